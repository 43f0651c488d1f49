"""The Mail texts page: save per kind and language (audited), preview the real mail for a sample person with the
words as typed, send a test to the organiser's own address; closed to visitors, desk staff and forged posts."""

import re

from sqlalchemy import func, select

from eventapp.platform.audit import AuditEntry
from eventapp.platform.extensions import db
from eventapp.platform.mail.models import MailText, OutgoingMail, TextKind
from eventapp.registration.models import RegistrationMail
from tests.organiser.test_pages import csrf

EN = {"Accept-Language": "en"}
NL = {"Accept-Language": "nl"}


def path_of(day) -> str:
    return f"/organiser/e/{day['slug']}/texts"


def post(client, day, action="save", show="confirmation/en", headers=EN, **fields):
    data = {"csrf_token": csrf(client, path_of(day)), "action": action, "show": show, **fields}
    return client.post(path_of(day), data=data, headers=headers)


def visible(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_page_shows_a_fold_per_kind_with_both_languages(day, organiser):
    page = organiser.get(path_of(day), headers=EN).get_data(as_text=True)
    assert page.count('<details class="fold card"') == len(TextKind)
    assert 'name="opening_confirmation_nl"' in page and 'name="closing_message_en"' in page
    assert "Opening words in Dutch" in page and 'aria-current="page"' in page
    dutch = organiser.get(path_of(day), headers=NL).get_data(as_text=True)
    assert "Openingswoorden in het Nederlands" in dutch and "Mailteksten" in dutch


def test_save_stores_the_texts_and_audits_what_changed(app, day, organiser):
    response = post(
        organiser, day, opening_confirmation_nl="Fijn dat u komt.", closing_reminder_en="See you *tomorrow*."
    )
    assert response.status_code == 302 and response.headers["Location"].endswith(path_of(day))
    page = organiser.get(path_of(day), headers=EN).get_data(as_text=True)
    assert "2 texts saved." in page and "Fijn dat u komt." in page and "See you *tomorrow*." in page
    with app.app_context():
        rows = {(str(r.kind), r.language): (r.opening, r.closing) for r in db.session.scalars(select(MailText))}
        assert rows == {
            ("confirmation", "nl"): ("Fijn dat u komt.", ""),
            ("reminder", "en"): ("", "See you *tomorrow*."),
        }
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "mail_texts.changed"))
        assert entry.event_id == day["event_id"] and entry.details["texts"] == ["confirmation/nl", "reminder/en"]
    log = organiser.get(f"/organiser/e/{day['slug']}/audit", headers=EN).get_data(as_text=True)
    assert "Changed the words of the mails: Registration confirmed (Dutch), Reminder the day before (English)" in (
        visible(log)
    )
    # saving the same again changes nothing and records nothing
    post(organiser, day, opening_confirmation_nl="Fijn dat u komt.", closing_reminder_en="See you *tomorrow*.")
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == 1


def test_preview_shows_the_real_mail_with_the_words_as_typed_unsaved(app, day, organiser):
    response = post(
        organiser, day, "preview", "confirmation/nl", headers=NL, opening_confirmation_nl="Welkom *allemaal*."
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and 'id="preview-heading"' in page
    text = visible(page.split('id="preview-heading"')[1])
    assert "Beste Voorbeeld Deelnemer," in text and "Welkom *allemaal*." in text
    assert text.index("Beste Voorbeeld Deelnemer,") < text.index("Welkom *allemaal*.")
    assert "U bent aangemeld" in text[text.index("Welkom *allemaal*.") :]  # the mail's own opening follows
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(MailText)) == 0  # a preview saves nothing
        to_organiser = select(func.count(OutgoingMail.id)).where(OutgoingMail.recipient.like("organiser%"))
        assert db.session.scalar(to_organiser) == 0  # nor sends anything


def test_preview_of_each_kind_builds(day, organiser):
    for kind in TextKind:
        response = post(organiser, day, "preview", f"{kind}/en", **{f"closing_{kind}_en": f"Closing of {kind}."})
        assert response.status_code == 200, kind
        assert f"Closing of {kind}." in response.get_data(as_text=True), kind


def test_a_test_goes_to_the_organiser_only_about_a_sample(app, day, organiser, make_user):
    with app.app_context():
        before = db.session.scalar(select(func.count()).select_from(OutgoingMail))
    response = post(organiser, day, "test", "confirmation/en", opening_confirmation_en="Typed, not saved.")
    assert response.status_code == 200 and "A test is on its way to organiser-" in response.get_data(as_text=True)
    with app.app_context():
        mails = db.session.scalars(select(OutgoingMail).order_by(OutgoingMail.id)).all()
        assert len(mails) == before + 1
        test = mails[-1]
        assert test.recipient.startswith("organiser-") and test.kind == RegistrationMail.CONFIRMED
        assert test.registration_id is None and test.language == "en"
        assert test.payload["texts"] == {"opening": "Typed, not saved.", "closing": ""}
        assert db.session.scalar(select(func.count()).select_from(MailText)) == 0


def test_too_long_a_text_is_refused(day, organiser):
    response = post(organiser, day, opening_cancel_nl="x" * 4001)
    assert response.status_code == 422 and 'aria-invalid="true"' in response.get_data(as_text=True)


def test_closed_to_visitors_desk_staff_and_posts_without_csrf(app, day, make_user, login, client):
    anonymous = app.test_client()
    assert anonymous.get(path_of(day)).headers["Location"].startswith("/staff/login")
    assert anonymous.post(path_of(day), data={"action": "save"}).status_code == 400
    login(*make_user("desk"))
    assert client.get(path_of(day)).status_code == 403
    organiser = app.test_client()
    email, password = make_user("organiser")
    page = organiser.get("/staff/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    organiser.post("/staff/login", data={"csrf_token": token, "email": email, "password": password})
    forged = organiser.post(path_of(day), data={"action": "save", "show": "confirmation/en", "opening_cancel_en": "x"})
    assert forged.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(MailText)) == 0
