"""The Mail texts page in Chromium against gunicorn, at 375 px in both languages: every fold open, no sideways
scroll, axe clean; then Preview shows the real mail with the words as typed, still axe clean and as narrow."""

from tests.browser.tour import axe_findings
from tests.conftest import load_demo
from tests.served import served_app

PASSWORD = "correct horse battery"
WIDTH = "() => [document.documentElement.scrollWidth, window.innerWidth]"
OPEN_FOLDS = "() => document.querySelectorAll('details').forEach(d => d.open = true)"
PREVIEW = {"nl": ("Voorbeeld", "Beste Voorbeeld Deelnemer,"), "en": ("Preview", "Dear Sample Attendee,")}


def test_the_texts_page_and_its_preview_at_375px(app, database_url, tmp_path, launch, make_user, screenshot):
    slug = load_demo(app)
    make_user("organiser", email="organiser@example.org", password=PASSWORD)
    with served_app(database_url, tmp_path / "gunicorn.log", workers=1, threads=4) as base_url:
        browser = launch()
        for language in ("nl", "en"):
            page = browser.new_context(locale=language, viewport={"width": 375, "height": 800}).new_page()
            page.goto(f"{base_url}/staff/login")
            page.fill("#email", "organiser@example.org")
            page.fill("#password", PASSWORD)
            with page.expect_navigation():
                page.click("button[type=submit]")
            page.goto(f"{base_url}/organiser/e/{slug}/texts")
            page.evaluate(OPEN_FOLDS)
            assert page.evaluate(WIDTH) == [375, 375]
            assert axe_findings(page) == []
            screenshot(page, f"mail-texts-{language}-375", full_page=True)
            opening = f"Welkom bij *onze dag* ({language}), zie [de route](https://example.org/route)."
            page.fill(f"#opening_confirmation_{language}", opening)
            page.select_option("#show", f"confirmation/{language}")
            button, greeting = PREVIEW[language]
            with page.expect_navigation():
                page.click(f"button[name=action][value=preview]:has-text('{button}')")
            text = page.locator("pre.mail-text").inner_text()
            assert text.index(greeting) < text.index(opening)
            page.evaluate(OPEN_FOLDS)
            assert page.evaluate(WIDTH) == [375, 375]
            assert axe_findings(page) == []
            screenshot(page, f"mail-texts-preview-{language}-375", full_page=True)
            page.context.close()
