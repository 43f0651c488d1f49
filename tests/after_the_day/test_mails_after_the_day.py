"""A mail that leaves after the day (the organiser's thank-you, the feedback request) shows no ticket:
there is no desk left to show it at. Before the day and on it, the same kind of mail still does."""

from sqlalchemy import select

from eventapp.events.models import Event
from eventapp.organiser import services
from eventapp.organiser.services import Audience
from eventapp.platform.db import utcnow
from eventapp.platform.extensions import db
from eventapp.platform.mail.kinds import compose
from eventapp.platform.mail.models import OutgoingMail
from eventapp.platform.mail.sender import sending_context
from eventapp.platform.staff.models import User
from eventapp.registration.models import RegistrationMail
from tests.registration.helpers import sign_up

TICKET = "show the QR code in this mail"


def thank_you(event: Event) -> OutgoingMail:
    """The organiser's message to those who came (or, before the day, to everyone registered), as queued."""
    user = db.session.scalar(select(User))
    audience = Audience("came") if event.date < utcnow().date() else Audience("all")
    services.message_people(db.session, event, audience, "Thank you", "Thank you for coming.", user, utcnow())
    db.session.commit()
    return db.session.scalars(
        select(OutgoingMail).where(OutgoingMail.kind == RegistrationMail.ORGANISER_MESSAGE)
    ).first()


def ticket_in(app, mail: OutgoingMail) -> tuple[bool, bool, bool]:
    """Whether the text, the HTML and the attachments of the mail as sent carry the ticket."""
    with sending_context(app):
        message = compose(mail)
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    images = [part for part in message.walk() if part.get_content_type() == "image/png"]
    return TICKET in text, "cid:ticket-qr" in html, bool(images)


def test_the_thank_you_after_the_day_shows_no_ticket(app, past_day, make_user):
    make_user("organiser")
    with app.app_context():
        mail = thank_you(db.session.get(Event, past_day["event_id"]))
        assert ticket_in(app, mail) == (False, False, False)


def test_a_message_before_the_day_still_carries_the_ticket(app, make_event, make_user):
    make_user("organiser")
    with app.app_context():
        event = make_event()
        sign_up(event, 1)
        mail = thank_you(event)
        assert ticket_in(app, mail) == (True, True, True)
