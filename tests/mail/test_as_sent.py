"""Mails as sent: the outbox keeps the message as handed to SMTP from the moment it was built; the organiser's
mail page and /outbox/mine show exactly that, QR image and calendar part included, after the program changed."""

import pytest
from sqlalchemy import select

from eventapp.events.models import Session
from eventapp.platform.extensions import db
from eventapp.platform.mail.models import MailStatus, OutgoingMail
from eventapp.platform.mail.own_outbox import SESSION_KEY
from eventapp.platform.mail.sender import deliver_due, sending_context
from tests.registration.helpers import sign_up, slots

EN = {"Accept-Language": "en"}


def deliver(app):
    with app.app_context(), sending_context(app):
        return deliver_due()


def sent_before_a_room_change(app, make_event):
    """Person 1's confirmation goes out with Theme 0 in "Room 1"; then the room moves to "Zaal Nieuw"."""
    with app.app_context():
        event = make_event()
        sign_up(event, 1, theme=0, pilot=0)
        theme0_id = slots(event)[0].sessions[0].id
    assert deliver(app).sent
    with app.app_context():
        db.session.get(Session, theme0_id).room = "Zaal Nieuw"
        db.session.get(Session, theme0_id).room_en = "New Hall"
        db.session.commit()
        mail = db.session.scalars(select(OutgoingMail)).one()
        assert mail.status == MailStatus.SENT and mail.mime is not None
        return mail.id, mail.mime


class TestDelivered:
    @pytest.fixture
    def app_settings(self, smtp_port):
        return {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": smtp_port, "MAIL_SUPPRESS_SEND": False}

    def test_the_stored_message_is_what_smtp_received(self, app, make_event, smtp):
        _, mime = sent_before_a_room_change(app, make_event)
        (envelope,) = smtp.envelopes
        assert envelope.content.rstrip(b"\r\n") == mime.rstrip(b"\r\n")

    def test_the_organisers_mail_page_shows_the_old_room(self, app, client, make_event, make_user, login, smtp):
        mail_id, _ = sent_before_a_room_change(app, make_event)
        login(*make_user("organiser"))
        page = client.get(f"/organiser/mail/{mail_id}", headers=EN).get_data(as_text=True)
        assert "Room 1" in page and "New Hall" not in page and "Zaal Nieuw" not in page
        html = client.get(f"/organiser/mail/{mail_id}/html").get_data(as_text=True)
        assert "Room 1" in html and "New Hall" not in html and "data:image/png;base64," in html
        calendars = [
            client.get(f"/organiser/mail/{mail_id}/part/{index}")
            for index in range(12)
            if client.get(f"/organiser/mail/{mail_id}/part/{index}").mimetype == "text/calendar"
        ]
        assert calendars and all(b"New Hall" not in part.data for part in calendars)
        assert any(b"Room 1" in part.data for part in calendars)


def test_the_own_outbox_shows_the_mail_as_it_was_sent(app, client, make_event):
    mail_id, _ = sent_before_a_room_change(app, make_event)  # in development: mail kept, not delivered
    with client.session_transaction() as session:
        session[SESSION_KEY] = mail_id
    page = client.get("/outbox/mine", headers=EN).get_data(as_text=True)
    assert "Room 1" in page and "New Hall" not in page


def test_a_mail_not_yet_built_is_rendered_now(app, client, make_event):
    with app.app_context():
        event = make_event()
        sign_up(event, 1, theme=0, pilot=0)
        db.session.get(Session, slots(event)[0].sessions[0].id).room_en = "New Hall"
        db.session.commit()
        mail_id = db.session.scalar(select(OutgoingMail.id))
    with client.session_transaction() as session:
        session[SESSION_KEY] = mail_id
    assert "New Hall" in client.get("/outbox/mine", headers=EN).get_data(as_text=True)
