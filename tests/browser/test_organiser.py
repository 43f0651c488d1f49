"""An organiser in Chromium: log in, open the dashboard, download both export formats."""

import csv
import io
from pathlib import Path

import openpyxl

from tests.conftest import load_demo
from tests.served import served_app


def test_dashboard_and_downloads(app, database_url, tmp_path, launch, make_user, screenshot):
    slug = load_demo(app)
    email, password = make_user("organiser")
    with served_app(database_url, tmp_path / "gunicorn.log", workers=1, threads=4) as base_url:
        context = launch().new_context(viewport={"width": 1200, "height": 900}, locale="en-GB", accept_downloads=True)
        page = context.new_page()
        page.goto(f"{base_url}/organiser/")
        page.fill("#email", email)
        page.fill("#password", password)
        page.click("button[type=submit]")
        page.wait_for_selector("#dashboard")
        assert "Prevention" in page.inner_text("#dashboard")
        screenshot(page, "organiser-dashboard", full_page=True)
        with page.expect_download() as xlsx:
            page.click("text=Excel (XLSX)")
        with page.expect_download() as as_csv:
            page.click("text=CSV with commas (,)")
        xlsx_path, csv_path = xlsx.value.path(), as_csv.value.path()
        assert xlsx.value.suggested_filename.startswith(f"{slug}-") and xlsx.value.suggested_filename.endswith(
            "-attendance.xlsx"
        )
        assert as_csv.value.suggested_filename.endswith("-attendance.csv")
        workbook = openpyxl.load_workbook(io.BytesIO(Path(xlsx_path).read_bytes()))  # the saved file has no extension
        try:
            assert workbook.active["A1"].value == "Name"
        finally:
            workbook.close()
        with open(csv_path, encoding="utf-8-sig") as handle:
            assert next(csv.reader(io.StringIO(handle.read())))[0] == "Name"


def test_the_mail_preview_shows_the_qr_code(app, database_url, tmp_path, launch, make_user, day, screenshot):
    """The confirmation's QR code loads inside the organiser's (sandboxed) preview frame."""
    from sqlalchemy import select

    from eventapp.platform.extensions import db
    from eventapp.platform.mail.models import OutgoingMail

    with app.app_context():
        mail_id = db.session.scalar(select(OutgoingMail.id).where(OutgoingMail.kind == "registration_confirmed"))
    email, password = make_user("organiser")
    with served_app(database_url, tmp_path / "gunicorn.log", workers=1, threads=4) as base_url:
        page = launch().new_page(viewport={"width": 375, "height": 900})
        page.goto(f"{base_url}/staff/login")
        page.fill("#email", email)
        page.fill("#password", password)
        page.click("button[type=submit]")
        page.wait_for_selector("main")
        page.goto(f"{base_url}/organiser/mail/{mail_id}")
        frame = page.frame_locator("iframe.mail-frame")
        qr = frame.locator("img").first
        qr.wait_for()
        qr.evaluate("img => img.complete || new Promise(done => img.addEventListener('load', done))")
        assert qr.evaluate("img => img.naturalWidth") > 100
        screenshot(page, "organiser-mail-preview", full_page=True)
