"""'Contact me about this pilot': an attendee's revocable request, and the organiser's hand-over to the contact.

The attendee consents to exactly what is handed over (name, organisation, e-mail address and their note);
withdrawing removes the request. The organiser sends each contact person of a pilot the requests not handed
over yet, in one mail (the outbox kind below), in the contact's language.
"""

import datetime as dt

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, String, Text, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.orm import Session as DbSession

from eventapp.db import UTCDateTime, utcnow
from eventapp.events.models import Session
from eventapp.extensions import db
from eventapp.i18n import Labelled, set_labels, text_in
from eventapp.mail import kinds, outbox
from eventapp.mail.messages import MailParts
from eventapp.mail.models import OutgoingMail
from eventapp.registration.models import Registration, RegistrationStatus

NOTE_LIMIT = 500


class ContactMail(Labelled):
    """The mail that hands the requests of a pilot to its contact person."""

    HAND_OVER = "pilot_contact_requests"


set_labels(ContactMail, {ContactMail.HAND_OVER: _l("requests to be contacted, for a pilot's contact person")})


class ContactRequest(db.Model):
    """An attendee asks a pilot's contact person to get in touch (consent given when asked)."""

    __tablename__ = "contact_request"
    __table_args__ = (UniqueConstraint("registration_id", "session_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("registration.id", ondelete="CASCADE"), index=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("session.id", ondelete="CASCADE"), index=True)
    note: Mapped[str] = mapped_column(Text, default="")
    consent_text: Mapped[str] = mapped_column(String(300))  # what the person agreed to share, as they read it
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    handed_over_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    registration: Mapped[Registration] = relationship()
    session: Mapped[Session] = relationship()


def consent_sentence(session: Session, language: str) -> str:
    """What the person agrees to, in so many words (kept with the request)."""
    names = ", ".join(contact.name for contact in session.contacts)
    with force_locale(language):
        return _(
            "I agree that my name, organisation, e-mail address and note are given to %(names)s (%(pilot)s), "
            "who may contact me about this pilot.",
            names=names,
            pilot=text_in(session, "title", language),
        )


def pilots_with_contacts(sessions: list[Session]) -> list[Session]:
    return [session for session in sessions if session.contacts]


def requests_of(db_session: DbSession, registration_id: int) -> dict[int, ContactRequest]:
    """A person's requests by session id."""
    rows = db_session.scalars(select(ContactRequest).where(ContactRequest.registration_id == registration_id))
    return {request.session_id: request for request in rows}


def ask(db_session: DbSession, registration: Registration, session: Session, note: str, consent: str, now):
    """Record (or update the note of) the person's request to be contacted about `session`."""
    if registration.status == RegistrationStatus.CANCELLED or not session.contacts:
        raise ValueError("no contact to hand over to")
    request = requests_of(db_session, registration.id).get(session.id)
    if request is None:
        request = ContactRequest(registration_id=registration.id, session_id=session.id, created_at=now)
        db_session.add(request)
    request.note, request.consent_text = note[:NOTE_LIMIT], consent[:300]
    db_session.flush()
    return request


def withdraw(db_session: DbSession, registration_id: int, session_id: int) -> bool:
    """Withdraw the consent: the request goes (one handed over already cannot be taken back from the contact)."""
    request = requests_of(db_session, registration_id).get(session_id)
    if request is not None:
        db_session.delete(request)
        db_session.flush()
    return request is not None


def requests_for(db_session: DbSession, session_id: int) -> list[ContactRequest]:
    """The requests of one pilot, oldest first."""
    return list(
        db_session.scalars(
            select(ContactRequest).where(ContactRequest.session_id == session_id).order_by(ContactRequest.id)
        )
    )


def hand_over(db_session: DbSession, session: Session, now: dt.datetime) -> list[ContactRequest]:
    """Mail each contact person of the pilot the requests not handed over yet; returns those requests."""
    waiting = [request for request in requests_for(db_session, session.id) if request.handed_over_at is None]
    if not waiting:
        return []
    ids = [request.id for request in waiting]
    for contact in session.contacts:
        if contact.email:
            outbox.enqueue_to(
                db_session,
                ContactMail.HAND_OVER,
                contact.email,
                contact.language,
                now,
                session_id=session.id,
                contact_name=contact.name,
                request_ids=ids,
            )
    for request in waiting:
        request.handed_over_at = now
    db_session.flush()
    return waiting


def _requests_in(mail: OutgoingMail) -> list[ContactRequest]:
    ids = mail.payload.get("request_ids", [])
    return list(
        db.session.scalars(select(ContactRequest).where(ContactRequest.id.in_(ids)).order_by(ContactRequest.id))
    )


def hand_over_parts(mail: OutgoingMail) -> MailParts:
    """The contact person's list: name, organisation, e-mail address and note of each attendee."""
    session = db.session.get(Session, mail.payload["session_id"])
    requests = _requests_in(mail)
    if session is None or not requests:
        raise kinds.NothingToCompose(f"mail {mail.id}: its requests were withdrawn or erased")
    pilot = text_in(session, "title", mail.language)
    context = {"contact_name": mail.payload.get("contact_name", ""), "pilot": pilot, "requests": requests}
    config = current_app.config
    return MailParts(
        subject=_("People who would like to hear from you: %(pilot)s", pilot=pilot),
        sender=(config["ORGANIZER_NAME"], config["ORGANIZER_EMAIL"]),
        recipient=(context["contact_name"], mail.recipient),
        text=render_template("mail/pilot_contacts.txt", **context),
        html=render_template("mail/pilot_contacts.html", **context),
    )


def register_kinds() -> None:
    """Make the hand-over mail known to the outbox; it is not sent when every request in it was withdrawn."""
    kinds.register(ContactMail.HAND_OVER, hand_over_parts, lambda mail: bool(_requests_in(mail)))
