"""An organiser in Chromium: erasing asks first and changes nothing until confirmed; a message is previewed,
tested on yourself, and only then sent."""

from sqlalchemy import select

from eventapp.platform.extensions import db
from eventapp.platform.mail.models import OutgoingMail
from eventapp.registration.models import Registration, RegistrationMail
from tests.browser.tour import axe_findings


def log_in(page, base_url, email, password):
    page.goto(f"{base_url}/organiser/")
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("button[type=submit]")
    page.wait_for_selector("#dashboard")


def test_erase_asks_first_then_erases(app, day, server, launch, make_user, screenshot):
    email, password = make_user("organiser")
    with app.app_context():
        person = db.session.scalar(select(Registration).where(Registration.name.startswith("Sylvia")))
        person_id = person.id
    page = launch().new_context(locale="en-GB").new_page()
    log_in(page, server, email, password)
    page.goto(f"{server}/organiser/e/{day['slug']}/people/{person_id}")
    page.click("text=Erase their details…")
    page.wait_for_selector("text=Erase Sylvia Huis in 't Veld's details?")
    assert "This cannot be undone." in page.inner_text("main")
    assert axe_findings(page) == []
    screenshot(page, "organiser-erase-confirm", full_page=True)
    with app.app_context():
        assert db.session.get(Registration, person_id).name.startswith("Sylvia")  # nothing changed yet
    page.click("text=Yes, erase Sylvia Huis in 't Veld's details")
    page.wait_for_selector("text=Erased.")
    with app.app_context():
        assert db.session.get(Registration, person_id).name == "(erased)"


def test_message_preview_and_test_send(app, day, server, launch, make_user, screenshot):
    email, password = make_user("organiser")
    page = launch().new_context(locale="en-GB").new_page()
    log_in(page, server, email, password)
    page.goto(f"{server}/organiser/e/{day['slug']}/message")
    page.select_option("#audience", "confirmed")
    page.fill("#subject", "Room change")
    page.fill("#body", "We meet in room 5.")
    page.click("button[value=preview]")
    page.wait_for_selector("text=Send to 3 people")
    assert "We meet in room 5." in page.inner_text(".mail-text")
    assert axe_findings(page) == []
    screenshot(page, "organiser-message-preview", full_page=True)
    page.click("text=Send a test to me")
    page.wait_for_selector(f"text=A test is on its way to {email}")
    with app.app_context():
        mails = db.session.scalars(
            select(OutgoingMail).where(OutgoingMail.kind == RegistrationMail.ORGANISER_MESSAGE)
        ).all()
        assert [(m.recipient, m.payload["subject"]) for m in mails] == [(email, "[Test] Room change")]
    page.click("text=Send to 3 people")
    page.wait_for_selector("text=The message is on its way to 3 people.")
    with app.app_context():
        assert (
            db.session.scalar(
                select(db.func.count()).select_from(OutgoingMail).where(OutgoingMail.registration_id.is_not(None))
            )
            >= 3
        )
