"""'Contact me about this pilot': an attendee's revocable request, and the organiser's hand-over to the contact.

The attendee consents to exactly what is handed over (name, organisation, e-mail address and their note) and to
whom: the consent names the contact persons shown (ContactConsent, one row per contact), so a contact the
organiser adds later receives nothing until the person agrees again. Withdrawing removes the request. The organiser
sends each contact person of a pilot the requests that name them and were not sent to them yet, in one mail (the
outbox kind below), in the contact's language.
"""

import datetime as dt
from dataclasses import dataclass

from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, String, Text, UniqueConstraint, select, update
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eventapp.events.models import PilotContact, Session
from eventapp.platform.db import DbSession, UTCDateTime, utcnow
from eventapp.platform.extensions import Model, db
from eventapp.platform.i18n import Labelled, set_labels, text_in
from eventapp.platform.mail import kinds, outbox
from eventapp.platform.mail.messages import MailParts
from eventapp.platform.mail.models import OutgoingMail
from eventapp.platform.settings import settings
from eventapp.registration.models import Registration, RegistrationStatus

NOTE_LIMIT = 500


class ContactMail(Labelled):
    """The mail that hands the requests of a pilot to its contact person."""

    HAND_OVER = "pilot_contact_requests"


set_labels(ContactMail, {ContactMail.HAND_OVER: _l("requests to be contacted, for a pilot's contact person")})


class ContactRequest(Model):
    """An attendee asks a pilot's contact persons to get in touch (consent given when asked, to those it names)."""

    __tablename__ = "contact_request"
    __table_args__ = (UniqueConstraint("registration_id", "session_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("registration.id", ondelete="CASCADE"), index=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("session.id", ondelete="CASCADE"), index=True)
    note: Mapped[str] = mapped_column(Text, default="")
    consent_text: Mapped[str] = mapped_column(String(300))  # what the person agreed to share, as they read it
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    handed_over_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)  # first passed on to a contact

    registration: Mapped[Registration] = relationship()
    session: Mapped[Session] = relationship()
    consents: Mapped[list["ContactConsent"]] = relationship(
        back_populates="request", cascade="all, delete-orphan", passive_deletes=True
    )

    @property
    def contact_ids(self) -> set[int]:
        """The contact persons this consent names."""
        return {consent.contact_id for consent in self.consents}

    @property
    def is_waiting(self) -> bool:
        """A contact it names, one with an address, has not been sent it yet."""
        return any(consent.handed_over_at is None and consent.contact.email for consent in self.consents)


class ContactConsent(Model):
    """The person's request names this contact person; `handed_over_at` once that contact was sent it."""

    __tablename__ = "contact_consent"
    __table_args__ = (UniqueConstraint("request_id", "contact_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("contact_request.id", ondelete="CASCADE"), index=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("pilot_contact.id", ondelete="CASCADE"), index=True)
    given_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    handed_over_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    request: Mapped[ContactRequest] = relationship(back_populates="consents")
    contact: Mapped[PilotContact] = relationship()


@dataclass(frozen=True)
class HandOver:
    """What a hand-over did: the requests passed on (to one contact or more), and the contacts mailed."""

    requests: list[ContactRequest]
    contacts: list[PilotContact]


def consent_sentence(session: Session, language: str, named: list[PilotContact] | None = None) -> str:
    """What the person agrees to, in so many words (kept with the request): the contacts `named`, else all the
    pilot's contact persons."""
    names = ", ".join(contact.name for contact in (session.contacts if named is None else named))
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


def named_in(session: Session, shown: str) -> list[PilotContact]:
    """The pilot's contact persons among the ids the page showed ("3,4"): the ones the person read and agreed to."""
    ids = {part.strip() for part in (shown or "").split(",")}
    return [contact for contact in session.contacts if str(contact.id) in ids]


def new_contacts(session: Session, request: ContactRequest | None) -> list[PilotContact]:
    """Contact persons of the pilot that the person's request does not name (added after they agreed)."""
    if request is None:
        return []
    return [contact for contact in session.contacts if contact.id not in request.contact_ids]


def ask(
    db_session: DbSession,
    registration: Registration,
    session: Session,
    note: str,
    consent: str,
    now: dt.datetime,
    named: list[PilotContact] | None = None,
) -> ContactRequest:
    """Record (or update the note of) the person's request to be contacted about `session` by the contacts
    `named` (default: all of them); asking again adds the contacts named then, and keeps those named before."""
    named = list(session.contacts) if named is None else named
    if registration.status == RegistrationStatus.CANCELLED or not named:
        raise ValueError("no contact to hand over to")
    request = requests_of(db_session, registration.id).get(session.id)
    if request is None:
        request = ContactRequest(registration_id=registration.id, session_id=session.id, created_at=now)
        db_session.add(request)
    request.note, request.consent_text = note[:NOTE_LIMIT], consent[:300]
    known = request.contact_ids
    for contact in named:
        if contact.session_id == session.id and contact.id not in known:
            request.consents.append(ContactConsent(contact_id=contact.id, given_at=now))
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


def _claim(db_session: DbSession, contact: PilotContact, now: dt.datetime) -> list[ContactConsent]:
    """The consents that name `contact` and were not sent to them yet, marked sent now by one guarded UPDATE (of
    two hand-overs at once, each consent goes with one); oldest request first."""
    ids = db_session.scalars(
        update(ContactConsent)
        .where(ContactConsent.contact_id == contact.id, ContactConsent.handed_over_at.is_(None))
        .values(handed_over_at=now)
        .returning(ContactConsent.id)
        .execution_options(synchronize_session=False)
    ).all()
    return list(
        db_session.scalars(
            select(ContactConsent)
            .join(ContactRequest)
            .where(ContactConsent.id.in_(ids))
            .order_by(ContactRequest.id)
            .execution_options(populate_existing=True)
        )
    )


def hand_over(db_session: DbSession, session: Session, now: dt.datetime) -> HandOver:
    """Mail each contact person of the pilot the requests that name them and were not sent to them yet."""
    handed: dict[int, ContactRequest] = {}
    mailed = []
    for contact in session.contacts:
        claimed = _claim(db_session, contact, now) if contact.email else []
        if not claimed:
            continue
        ids = [consent.request_id for consent in claimed]
        payload = {"session_id": session.id, "contact_id": contact.id, "contact_name": contact.name}
        outbox.enqueue_to(
            db_session, ContactMail.HAND_OVER, contact.email, contact.language, now, **payload, request_ids=ids
        )
        mailed.append(contact)
        for consent in claimed:
            consent.request.handed_over_at = consent.request.handed_over_at or now
            handed[consent.request_id] = consent.request
    db_session.flush()
    return HandOver(requests=[handed[key] for key in sorted(handed)], contacts=mailed)


def _requests_in(mail: OutgoingMail) -> list[ContactRequest]:
    """The mail's requests that still name its contact (a withdrawn one is gone). Mails queued before consents
    named contacts carry no contact_id: they keep their requests."""
    statement = select(ContactRequest).where(ContactRequest.id.in_(mail.payload.get("request_ids", [])))
    contact_id = mail.payload.get("contact_id")
    if contact_id is not None:
        statement = statement.join(ContactConsent).where(ContactConsent.contact_id == contact_id)
    return list(db.session.scalars(statement.order_by(ContactRequest.id)))


def hand_over_parts(mail: OutgoingMail) -> MailParts:
    """The contact person's list: name, organisation, e-mail address and note of each attendee."""
    session = db.session.get(Session, mail.payload["session_id"])
    requests = _requests_in(mail)
    if session is None or not requests:
        raise kinds.NothingToCompose(f"mail {mail.id}: its requests were withdrawn or erased")
    pilot = text_in(session, "title", mail.language)
    context = {"contact_name": mail.payload.get("contact_name", ""), "pilot": pilot, "requests": requests}
    config = settings()
    return MailParts(
        subject=_("People who would like to hear from you: %(pilot)s", pilot=pilot),
        sender=(config.organizer_name, config.organizer_email),
        recipient=(context["contact_name"], mail.recipient),
        text=render_template("mail/pilot_contacts.txt", **context),
        html=render_template("mail/pilot_contacts.html", **context),
    )


def register_kinds() -> None:
    """Make the hand-over mail known to the outbox; it is not sent when every request in it was withdrawn."""
    kinds.register(ContactMail.HAND_OVER, hand_over_parts, lambda mail: bool(_requests_in(mail)))
