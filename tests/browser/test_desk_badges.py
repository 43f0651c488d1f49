"""The desk's badge printer: chosen once on the device, remembered by its browser, and asked for by every badge."""

import io

from playwright.sync_api import expect
from pypdf import PdfReader
from sqlalchemy import select

from eventapp.platform.extensions import db
from eventapp.registration.models import Registration
from tests.browser.desk import log_in


def test_the_desk_remembers_its_label_printer_and_prints_on_it(app, launch, server, day):
    page = launch().new_context(locale="en-GB").new_page()
    log_in(page, server, day)
    page.click("text=Mode and sessions")
    page.select_option("#badge-layout", "label-62x100")
    page.reload()
    expect(page.locator("#badge-layout")).to_have_value("label-62x100")  # the device still knows after a reload

    with app.app_context():
        person_id = db.session.scalar(select(Registration.id).where(Registration.ticket_code == day["codes"][0]))
    page.goto(f"{server}/staff/checkin/person/{person_id}")
    link = page.locator("a[data-badge-link]")
    expect(link).to_have_attribute("href", f"/staff/checkin/badge/{person_id}.pdf?layout=label-62x100")
    badge = page.request.get(f"{server}{link.get_attribute('href')}")
    width, height = (round(float(v) * 25.4 / 72) for v in PdfReader(io.BytesIO(badge.body())).pages[0].mediabox[2:])
    assert (width, height) == (62, 100)

    page.select_option("#badge-layout", "2x4")  # chosen on the person's page: the link follows at once
    expect(link).to_have_attribute("href", f"/staff/checkin/badge/{person_id}.pdf?layout=2x4")
