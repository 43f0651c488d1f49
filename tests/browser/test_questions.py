"""The organiser's questions in Chromium against gunicorn: the form at 375 px in both languages (axe clean, no
sideways scroll), registering with both demo questions answered, then the export's columns and the summary's counts."""

import csv
import io

from tests.browser.tour import axe_findings
from tests.conftest import load_demo
from tests.served import served_app

PASSWORD = "correct horse battery"
LABELS = {
    "nl": ("Dieetwensen (optioneel)", "Wensen voor toegankelijkheid (optioneel)", "Vegetarisch", "Glutenvrij"),
    "en": ("Dietary requirements (optional)", "Accessibility needs (optional)", "Vegetarian", "Gluten-free"),
}


def register_in(page, base_url: str, slug: str, language: str, number: int) -> None:
    """Fill in the form as a person does, answering both questions, and send it."""
    diet, access, first, second = LABELS[language]
    page.goto(f"{base_url}/e/{slug}/register")
    assert page.locator("legend", has_text=diet).is_visible()
    assert page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]") == [375, 375]
    assert axe_findings(page) == []
    page.fill("#name", f"Person {number}")
    page.fill("#email", f"person{number}@example.org")
    page.fill("#organisation", "Gemeente Ede")
    page.select_option("#organisation_type", "municipality")
    for slot in page.locator("fieldset.slot").all():
        slot.locator("input[type=radio]").first.check()
    page.get_by_label(first, exact=True).check()
    page.get_by_label(second, exact=True).check()
    page.get_by_label("Other" if language == "en" else "Anders", exact=True).check()
    page.locator("input[name$=_other]").fill(f"No onions ({language})")
    page.get_by_label(access).fill(f"A quiet seat ({language})")
    page.locator("#consent").check()
    with page.expect_navigation():
        page.locator("form.form button[type=submit]").click()
    assert "/register/check-mail" in page.url


def test_the_questions_on_the_form_at_375px_then_the_export_and_summary(
    app, database_url, tmp_path, launch, make_user, screenshot
):
    slug = load_demo(app)
    make_user("organiser", email="organiser@example.org", password=PASSWORD)
    with served_app(database_url, tmp_path / "gunicorn.log", workers=1, threads=4) as base_url:
        browser = launch()
        for number, language in enumerate(("nl", "en"), start=1):
            context = browser.new_context(locale=language, viewport={"width": 375, "height": 800})
            page = context.new_page()
            register_in(page, base_url, slug, language, number)
            page.goto(f"{base_url}/e/{slug}/register")
            screenshot(page, f"questions-form-{language}-375", full_page=True)
            context.close()
        page = browser.new_context(locale="en", viewport={"width": 1280, "height": 900}).new_page()
        page.goto(f"{base_url}/staff/login")
        page.fill("#email", "organiser@example.org")
        page.fill("#password", PASSWORD)
        with page.expect_navigation():
            page.click("button[type=submit]")
        export = f"{base_url}/organiser/e/{slug}/export/attendance.csv?separator=comma&sensitive=yes"
        sheet = page.request.get(export, headers={"Accept-Language": "en"})
        rows = list(csv.reader(io.StringIO(sheet.text().lstrip("\ufeff"))))
        assert rows[0][-2:] == ["Dietary requirements", "Accessibility needs"]
        answers = {row[0]: row[-2:] for row in rows[1:]}
        assert answers["Person 2"] == ["Vegetarian; Gluten-free; Other; No onions (en)", "A quiet seat (en)"]
        page.goto(f"{base_url}/organiser/e/{slug}/questions/summary")
        cells = page.locator("table").first.locator("tbody tr").all_inner_texts()
        assert "Vegetarian\t2" in cells and "Gluten-free\t2" in cells and "Halal\t0" in cells
        assert page.get_by_text("held back: this question is sensitive").first.is_visible()
        page.click("text=Show the sensitive texts and names (this is recorded)")
        assert page.get_by_text("Person 1 (Gemeente Ede): A quiet seat (nl)").is_visible()
        assert axe_findings(page) == []
        screenshot(page, "questions-summary", full_page=True)
