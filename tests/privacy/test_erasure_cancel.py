"""Erasure sends the calendar CANCEL a cancellation sends (same UID, higher SEQUENCE) to the real SMTP server,
right after its commit and before the address is forgotten; once sent, the outbox keeps neither."""

import datetime as dt

import icalendar
import pytest
from sqlalchemy import select, update

from eventapp.platform.db import utcnow
from eventapp.platform.extensions import db
from eventapp.platform.mail.models import OutgoingMail
from eventapp.platform.mail.sender import deliver_due, sending_context
from eventapp.registration.models import Registration
from tests.mail.smtp import start_smtp
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
    messages = smtp.wait_for(2)  # sent right after the erasure's commit, with the address still known
    assert len(messages) == 2 and smtp.envelopes[1].rcpt_tos == ["person1@example.org"]
    cancel = calendar_of(messages[1])
    assert cancel["method"] == "CANCEL"
    cancelled_entry = cancel.walk("VEVENT")[0]
    assert str(cancelled_entry["uid"]) == str(event_entry["uid"])
    assert int(cancelled_entry["sequence"]) > int(event_entry["sequence"])

    with app.app_context():  # sent: the registration and the outbox forgot the address and the message
        assert db.session.get(Registration, registration_id).email != "person1@example.org"
        mails = db.session.scalars(select(OutgoingMail)).all()
        assert all(mail.recipient != "person1@example.org" for mail in mails)
        assert all(mail.mime is None or b"Noor Verwijderd" not in mail.mime for mail in mails)


def test_with_smtp_down_the_cancel_waits_and_forgets_once_sent(app, client, make_event, smtp_port):
    """No SMTP server yet: the erasure still succeeds, the CANCEL waits in the outbox, then goes and is forgotten."""
    with app.app_context():
        token = sign_up(make_event(), 1).manage_token
    response = client.post(f"/r/{token}/erase", data={"confirm_erase": "y", "csrf_token": csrf(client, f"/r/{token}")})
    assert response.status_code in (200, 302)
    with app.app_context():
        waiting = db.session.scalars(select(OutgoingMail).where(OutgoingMail.recipient == "person1@example.org")).all()
        assert [mail.kind for mail in waiting] == ["cancelled"] and waiting[0].mime
    controller, collector = start_smtp(smtp_port)
    try:
        with app.app_context():
            db.session.execute(update(OutgoingMail).values(next_attempt_at=utcnow() - dt.timedelta(minutes=1)))
            db.session.commit()
        assert deliver(app).sent
        (message,) = collector.wait_for(1)
        assert calendar_of(message)["method"] == "CANCEL"
    finally:
        controller.stop()
    with app.app_context():
        assert db.session.scalar(select(OutgoingMail.id).where(OutgoingMail.recipient == "person1@example.org")) is None
