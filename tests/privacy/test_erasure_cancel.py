"""Erasure sends the calendar CANCEL a cancellation sends (same UID, higher SEQUENCE) to the real SMTP server,
before the address is forgotten; once sent, the outbox keeps neither the address nor the message."""

import icalendar
import pytest
from sqlalchemy import select

from eventapp.extensions import db
from eventapp.mail.models import OutgoingMail
from eventapp.mail.sender import deliver_due, sending_context
from eventapp.registration.models import Registration
from tests.organiser.test_pages import csrf
from tests.registration.helpers import sign_up


@pytest.fixture
def app_settings(smtp_port):
    return {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": smtp_port, "MAIL_SUPPRESS_SEND": False}


def deliver(app):
    with app.app_context(), sending_context(app):
        return deliver_due()


def calendar_of(message) -> icalendar.Calendar:
    for part in message.walk():
        if part.get_content_type() == "text/calendar":
            return icalendar.Calendar.from_ical(part.get_payload(decode=True))
    raise AssertionError("no calendar part")


def test_erasure_sends_the_cancel_before_forgetting_the_address(app, client, make_event, smtp):
    with app.app_context():
        registration = sign_up(make_event(), 1, name="Noor Verwijderd")
        token, registration_id = registration.manage_token, registration.id
    assert deliver(app).sent
    (invitation,) = smtp.wait_for(1)
    invited = calendar_of(invitation)
    assert invited["method"] == "REQUEST"
    event_entry = invited.walk("VEVENT")[0]

    response = client.post(f"/r/{token}/erase", data={"confirm_erase": "y", "csrf_token": csrf(client, f"/r/{token}")})
    assert response.status_code in (200, 302)
    with app.app_context():
        assert db.session.get(Registration, registration_id).email != "person1@example.org"
    assert deliver(app).sent
    messages = smtp.wait_for(2)
    assert len(messages) == 2 and smtp.envelopes[1].rcpt_tos == ["person1@example.org"]
    cancel = calendar_of(messages[1])
    assert cancel["method"] == "CANCEL"
    cancelled_entry = cancel.walk("VEVENT")[0]
    assert str(cancelled_entry["uid"]) == str(event_entry["uid"])
    assert int(cancelled_entry["sequence"]) > int(event_entry["sequence"])

    with app.app_context():  # sent: the outbox forgot the address and the message
        mails = db.session.scalars(select(OutgoingMail)).all()
        assert all(mail.recipient != "person1@example.org" for mail in mails)
        assert all(mail.mime is None or b"Noor Verwijderd" not in mail.mime for mail in mails)
