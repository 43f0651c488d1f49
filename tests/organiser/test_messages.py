"""Messages to the day's people: who is in each audience (rules, without HTTP), and the page's
preview, test to yourself, and send that asks for the count it showed."""

import io
import re

import pytest
import zxingcpp
from flask_babel import force_locale
from PIL import Image
from sqlalchemy import func, select

from eventapp.checkin import services as checkin_services
from eventapp.events.models import Event, Session
from eventapp.organiser import services
from eventapp.organiser.services import Audience
from eventapp.platform.audit import AuditEntry
from eventapp.platform.db import utcnow
from eventapp.platform.extensions import db
from eventapp.platform.mail.kinds import compose
from eventapp.platform.mail.models import OutgoingMail
from eventapp.platform.mail.sender import sending_context
from eventapp.platform.staff.access import Actor
from eventapp.platform.staff.models import User
from eventapp.registration.models import Registration, RegistrationMail
from eventapp.registration.sample import sample_registration
from tests.checkin.days import on_the_day
from tests.organiser.test_pages import csrf

EN = {"Accept-Language": "en"}


def names(db_session, event, audience) -> list[str]:
    return [r.name for r in services.audience_people(db_session, event, audience)]


def test_who_is_in_each_audience(app, day, make_user):
    """Persons 1-3 are confirmed (only 1 has Theme 0's one seat, all three Pilot 0's), 4 waits for the day."""
    make_user("organiser", email="org@example.org")
    with app.app_context():
        event = db.session.get(Event, day["event_id"])
        theme0, theme1 = db.session.get(Session, day["theme0"]), db.session.get(Session, day["theme1"])
        pilot0 = event.agenda_items[2].sessions[0]
        on_the_day(event)  # scans count on the event's day; people signed up before
        checkin_services.check_in(
            db.session, event, db.session.get(Registration, day["people"][1]), Actor(None, None, "desk"), utcnow()
        )
        db.session.commit()
        expected = {
            Audience("confirmed"): ["Person 1", "Person 2", "Person 3"],
            Audience("waitlisted"): ["Person 4"],
            Audience("session", theme0): ["Person 1"],
            Audience("session", theme1): [],
            Audience("session", pilot0): ["Person 1", "Person 2", "Person 3"],
            Audience("checked_in"): ["Person 2"],
            Audience("not_checked_in"): ["Person 1", "Person 3"],
        }
        for audience, people in expected.items():
            assert names(db.session, event, audience) == people, audience.key
            assert services.audience_count(db.session, event, audience) == len(people), audience.key
        sessions = [theme0, theme1]
        assert services.audience_of(f"session-{theme0.id}", sessions) == Audience("session", theme0)
        assert services.audience_of("waitlisted", sessions) == Audience("waitlisted")
        assert services.audience_of("session-99999", sessions) is None


def test_sending_queues_one_mail_each_and_refuses_an_empty_audience(app, day, make_user):
    make_user("organiser", email="org@example.org")
    with app.app_context():
        event = db.session.get(Event, day["event_id"])
        user = db.session.scalar(select(User))
        empty = Audience("session", db.session.get(Session, day["theme1"]))
        with pytest.raises(services.NoRecipients):
            services.message_people(db.session, event, empty, "Hi", "Body", user, utcnow())
        with pytest.raises(services.NoRecipients):
            services.send_test_message(db.session, event, empty, "Hi", "Body", user, utcnow())
        assert services.message_people(db.session, event, Audience("waitlisted"), "Hi", "Body", user, utcnow()) == 1
        db.session.commit()
        mail = db.session.scalar(select(OutgoingMail).where(OutgoingMail.kind == RegistrationMail.ORGANISER_MESSAGE))
        assert mail.registration_id == day["day_waiting"] and mail.payload == {"subject": "Hi", "body": "Body"}
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "message.sent"))
        assert entry.details == {"subject": "Hi", "session": "", "audience": "waitlisted", "recipients": 1}


def test_the_test_copy_goes_to_the_organiser_about_a_sample_person(app, day, make_user):
    """The organiser's mailbox is outside the back office: the copy names nobody real, and shows a sample program."""
    make_user("organiser", email="org@example.org")
    with app.app_context():
        event = db.session.get(Event, day["event_id"])
        user = db.session.scalar(select(User))
        people = db.session.scalar(select(func.count()).select_from(Registration))
        test = services.send_test_message(db.session, event, Audience("confirmed"), "Hi", "Body", user, utcnow())
        db.session.commit()
        assert (test.recipient, test.registration_id) == ("org@example.org", None)
        with sending_context(app):
            message = compose(test)
        db.session.commit()
        assert message["Subject"] == "[Test] Hi" and message["To"] == "org@example.org"
        text = message.get_body(("plain",)).get_content()
        assert "Dear Sample Attendee," in text and "Body" in text
        assert "- 14:20-15:15 Theme 0, Room 1" in text and "- 15:30-16:20 Pilot 0, Room 1" in text
        first = db.session.scalar(select(Registration).where(Registration.name == "Person 1"))
        assert first.name not in message.as_string() and first.manage_token not in message.as_string()
        assert f"/e/{event.slug}/" in text
        assert db.session.scalar(select(func.count()).select_from(Registration)) == people  # the sample was not saved
        qr = next(part for part in message.walk() if part.get_content_type() == "image/png").get_content()
        assert [result.text for result in zxingcpp.read_barcodes(Image.open(io.BytesIO(qr)))] == ["TEST"]


def test_a_message_with_its_own_greeting_gets_no_second(app, day, make_user):
    make_user("organiser", email="org@example.org")
    with app.app_context():
        event = db.session.get(Event, day["event_id"])
        user = db.session.scalar(select(User))
        body = "Beste deelnemer,\n\nWe zitten in zaal 5."
        test = services.send_test_message(db.session, event, Audience("confirmed"), "Zaal", body, user, utcnow())
        db.session.commit()
        with sending_context(app):
            text = compose(test).get_body(("plain",)).get_content()
        assert text.startswith("Beste deelnemer,") and "Dear" not in text


def message_data(organiser, path, **fields):
    data = {"csrf_token": csrf(organiser, path), "audience": "confirmed", "subject": "Zaalwijziging"}
    data["body"] = "We zitten in zaal 5.\nTot dan!"
    return data | fields


def hidden(html: str, name: str) -> str:
    return re.search(rf'name="{name}" type="hidden" value="([^"]*)"', html).group(1)


def organiser_messages(app) -> list[OutgoingMail]:
    with app.app_context():
        return list(
            db.session.scalars(select(OutgoingMail).where(OutgoingMail.kind == RegistrationMail.ORGANISER_MESSAGE))
        )


def test_the_page_previews_tests_and_sends_only_what_was_previewed(app, day, organiser):
    path = f"/organiser/e/{day['slug']}/message"
    form = organiser.get(path, headers=EN).get_data(as_text=True)
    assert 'rows="10"' in form and "Everyone on the waitlist for the day" in form and "Registered but not" in form
    data = message_data(organiser, path, audience=f"session-{day['theme0']}")
    preview = organiser.post(path, data={**data, "action": "preview"}, headers=EN)
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200 and "Send to 1 person" in html and "Send a test to me" in html
    assert (
        "As Person 1 will receive it" in html and "Dear Person 1," in html and "We zitten in zaal 5.\nTot dan!" in html
    )
    assert organiser_messages(app) == []
    confirm = {"recipients": hidden(html, "recipients"), "previewed": hidden(html, "previewed")}

    tested = organiser.post(path, data={**data, **confirm, "action": "test"}, headers=EN)
    assert tested.status_code == 200 and "A test is on its way to" in tested.get_data(as_text=True)
    [test] = organiser_messages(app)
    assert test.registration_id is None and test.recipient.startswith("organiser-")
    assert test.payload["subject"] == "[Test] Zaalwijziging"

    edited = organiser.post(path, data={**data, **confirm, "subject": "Other", "action": "send"}, headers=EN)
    assert edited.status_code == 200 and "changed since the preview" in edited.get_data(as_text=True)
    assert len(organiser_messages(app)) == 1

    sent = organiser.post(path, data={**data, **confirm, "action": "send"})
    assert sent.status_code == 302
    messages = organiser_messages(app)  # the test copy, and the one person with a seat in Theme 0
    assert sorted(m.registration_id or 0 for m in messages) == [0, day["people"][0]]
    audit = organiser.get(f"/organiser/e/{day['slug']}/audit", headers={"Accept-Language": "nl"}).get_data(as_text=True)
    assert "message.sent" not in audit and "“Zaalwijziging” verstuurd aan 1 persoon van Theme 0" in audit


def test_sending_to_nobody_is_refused(app, day, organiser):
    path = f"/organiser/e/{day['slug']}/message"
    data = message_data(organiser, path, audience="checked_in")
    preview = organiser.post(path, data={**data, "action": "preview"}, headers=EN).get_data(as_text=True)
    assert "Nobody is in this group." in preview and "Send to" not in preview
    confirm = {"recipients": "0", "previewed": hidden(preview, "previewed")}
    refused = organiser.post(path, data={**data, **confirm, "action": "send"}, headers=EN)
    assert refused.status_code == 422 and "the message is not sent" in refused.get_data(as_text=True)
    assert organiser_messages(app) == []


def test_the_audit_log_names_the_audience(app, day, organiser):
    path = f"/organiser/e/{day['slug']}/message"
    data = message_data(organiser, path, audience="waitlisted", subject="Wachtlijst")
    html = organiser.post(path, data={**data, "action": "preview"}).get_data(as_text=True)
    confirm = {"recipients": hidden(html, "recipients"), "previewed": hidden(html, "previewed")}
    assert organiser.post(path, data={**data, **confirm, "action": "send"}).status_code == 302
    audit = organiser.get(f"/organiser/e/{day['slug']}/audit", headers=EN).get_data(as_text=True)
    assert "Sent “Wachtlijst” to 1 person on the waitlist" in audit


def test_the_sample_person_is_dutch_in_dutch_and_sits_in_the_audiences_session(app, day):
    with app.app_context(), force_locale("nl"):
        event = db.session.get(Event, day["event_id"])
        sample = sample_registration(event, "org@example.org", session_id=day["theme1"])
        assert (sample.name, sample.organisation) == ("Voorbeeld Deelnemer", "Voorbeeldorganisatie")
        assert [choice.session.title_en for choice in sample.choices] == ["Theme 1", "Pilot 0"]
        assert sample not in db.session
