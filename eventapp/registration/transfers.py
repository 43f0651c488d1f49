"""Transfer to a colleague: the registration, with its seats and places in line, moves to another person.

The person asks (`request_transfer`): the colleague's details are kept with the SHA-256 of a secret that only the
mail to the colleague carries; it is valid 48 hours and used once, and a newer request replaces an open one. The
colleague confirms (`confirm_transfer`); an organiser, who checked, transfers at once (`transfer_now`). Either way
the registration row stays (sessions, seats, waitlist places, the calendar UID) and everything personal changes:
new personal link and ticket (the old ones die, as after re-registration), the colleague's details; the answers to
the organiser's questions, the consents to contacts and the newsletter wish were the other person's and go.
Functions flush; the caller commits.
"""

import datetime as dt
import hashlib
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select, update

from eventapp.events.phases import Action, allows, event_phase
from eventapp.events.seats import lock_event
from eventapp.platform.audit import audit
from eventapp.platform.db import DbSession
from eventapp.platform.mail import outbox
from eventapp.platform.mail.models import MailStatus, OutgoingMail
from eventapp.questions.services import forget_answers
from eventapp.registration.choices import calendar_changed
from eventapp.registration.contacts import ContactRequest
from eventapp.registration.models import (
    OrganisationType,
    Registration,
    RegistrationMail,
    RegistrationStatus,
    TransferEnd,
    TransferRequest,
)
from eventapp.registration.services import PersonDetails, new_token, normalise_email
from eventapp.registration.transfer_mails import TransferMail

VALID_FOR = dt.timedelta(hours=48)


class TransferRefused(Exception):
    """A transfer the rules refuse; `reason` says why (the pages say it in words)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


ADDRESS_TAKEN = "address_taken"  # the colleague's address already has a live registration for the event
CANCELLED = "cancelled"  # the registration was cancelled: there is no place to give away
NOT_NOW = "not_now"  # the event's phase does not allow it (from the day on: the desk handles that)
SAME_ADDRESS = "same_address"  # the colleague's address is the holder's own


def refusal_text(reason: str) -> str:
    """Why a transfer cannot be made, in the reader's words."""
    return {
        ADDRESS_TAKEN: _("This address is already registered for this event: the colleague has a place already."),
        CANCELLED: _("This registration is cancelled: there is no place to give away."),
        NOT_NOW: _("A place can be given to a colleague until the day before; on the day, the desk helps."),
        SAME_ADDRESS: _("This is the address of the registration itself: fill in the colleague's address."),
    }[reason]


class TransferGone(Exception):
    """The confirmation link was used already, replaced by a newer request, or has expired (a 410)."""


@dataclass(frozen=True)
class Moved:
    """What a transfer did: the registration (now the colleague's) and who held it before."""

    registration: Registration
    before: PersonDetails
    mail: OutgoingMail  # the colleague's confirmation


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def may_transfer(registration: Registration, now: dt.datetime) -> bool:
    """The event's phase allows a transfer (registration open or closed; not on or after the day)."""
    return allows(event_phase(registration.event, now), Action.TRANSFER)


def check_transferable(db_session: DbSession, registration: Registration, email: str, now: dt.datetime) -> None:
    """Raise TransferRefused when this registration cannot go to `email` now."""
    if registration.status == RegistrationStatus.CANCELLED:
        raise TransferRefused(CANCELLED)
    if not may_transfer(registration, now):
        raise TransferRefused(NOT_NOW)
    if email == registration.email:
        raise TransferRefused(SAME_ADDRESS)
    taken = db_session.scalar(
        select(Registration.id).where(
            Registration.event_id == registration.event_id,
            Registration.email == email,
            Registration.status != RegistrationStatus.CANCELLED,
        )
    )
    if taken is not None:
        raise TransferRefused(ADDRESS_TAKEN)


def request_transfer(
    db_session: DbSession, registration: Registration, colleague: PersonDetails, now: dt.datetime
) -> tuple[TransferRequest, OutgoingMail]:
    """Keep the request and mail the colleague its link (the mail's payload is the one place of its secret)."""
    email = normalise_email(colleague.email)
    check_transferable(db_session, registration, email, now)
    db_session.execute(
        update(TransferRequest)
        .where(TransferRequest.registration_id == registration.id, TransferRequest.ended_at.is_(None))
        .values(ended_at=now, ended_as=TransferEnd.REPLACED)
    )
    secret = new_token()
    request = TransferRequest(
        registration_id=registration.id,
        name=colleague.name,
        email=email,
        organisation=colleague.organisation,
        organisation_type=OrganisationType(colleague.organisation_type),
        language=colleague.language,
        token_hash=hash_secret(secret),
        created_at=now,
        expires_at=now + VALID_FOR,
    )
    db_session.add(request)
    db_session.flush()
    mail = outbox.enqueue_to(
        db_session,
        TransferMail.CONFIRM,
        email,
        colleague.language,
        now,
        registration.id,
        request_id=request.id,
        token=secret,
    )
    return request, mail


def request_for(db_session: DbSession, secret: str) -> TransferRequest | None:
    """The request a confirmation link names (None: unknown, a 404)."""
    return db_session.scalar(select(TransferRequest).where(TransferRequest.token_hash == hash_secret(secret)))


def is_open(request: TransferRequest, now: dt.datetime) -> bool:
    return request.ended_at is None and now < request.expires_at


def confirm_transfer(db_session: DbSession, request: TransferRequest, now: dt.datetime) -> Moved:
    """The colleague accepts: the registration becomes theirs. TransferGone for a used or expired link."""
    lock_event(db_session, request.registration.event_id)
    db_session.refresh(request)
    if not is_open(request, now):
        raise TransferGone()
    registration = request.registration
    colleague = PersonDetails(
        name=request.name,
        email=request.email,
        organisation=request.organisation,
        language=request.language,
        organisation_type=request.organisation_type,
    )
    check_transferable(db_session, registration, request.email, now)
    request.ended_at, request.ended_as = now, TransferEnd.ACCEPTED
    return _move(db_session, registration, colleague, now, by=None)


def transfer_now(
    db_session: DbSession, registration: Registration, colleague: PersonDetails, by, now: dt.datetime
) -> Moved:
    """The organiser's transfer: checked by them, so no confirmation link; the same rules and mails."""
    lock_event(db_session, registration.event_id)
    colleague = PersonDetails(**{**colleague.__dict__, "email": normalise_email(colleague.email), "role": ""})
    check_transferable(db_session, registration, colleague.email, now)
    db_session.execute(
        update(TransferRequest)
        .where(TransferRequest.registration_id == registration.id, TransferRequest.ended_at.is_(None))
        .values(ended_at=now, ended_as=TransferEnd.REPLACED)
    )
    return _move(db_session, registration, colleague, now, by=by)


def _move(db_session: DbSession, registration: Registration, colleague: PersonDetails, now: dt.datetime, by) -> Moved:
    """Give the registration to `colleague`: new secrets, their details, the other person's answers gone.

    Audited with both addresses masked; `by` is the organiser (None: the colleague confirmed the person's request).
    """
    before = PersonDetails(
        name=registration.name,
        email=registration.email,
        organisation=registration.organisation,
        role=registration.role,
        language=registration.language,
        organisation_type=registration.organisation_type,
    )
    _farewell(db_session, registration, colleague, now)
    registration.manage_token, registration.ticket_code = new_token(), new_token()
    registration.name, registration.email = colleague.name, colleague.email
    registration.organisation, registration.role = colleague.organisation, ""
    registration.organisation_type = OrganisationType(colleague.organisation_type)
    registration.language = colleague.language
    registration.wants_newsletter = False
    registration.badge_printed_at = None
    _forget_the_other_persons(db_session, registration)
    confirmed = registration.status == RegistrationStatus.CONFIRMED
    kind = RegistrationMail.CONFIRMED if confirmed else RegistrationMail.WAITLISTED
    mail = outbox.enqueue(db_session, kind, registration, now, transferred_from=before.name)
    audit(
        db_session,
        by,
        "person.transferred",
        registration=registration,
        before=mask(before.email),
        after=mask(colleague.email),
        confirmed_by="organiser" if by is not None else "colleague",
    )
    return Moved(registration, before, mail)


def _farewell(db_session: DbSession, registration: Registration, colleague: PersonDetails, now) -> None:
    """The old holder's last mail, with the CANCEL of their appointment (one SEQUENCE higher, as the colleague's
    REQUEST); their mails still waiting would now be composed for the colleague: they are not sent."""
    db_session.execute(
        update(OutgoingMail)
        .where(
            OutgoingMail.registration_id == registration.id,
            OutgoingMail.recipient == registration.email,
            OutgoingMail.status == MailStatus.PENDING,
        )
        .values(status=MailStatus.SUPERSEDED)
    )
    calendar_changed(registration)
    outbox.enqueue_to(
        db_session,
        TransferMail.GONE,
        registration.email,
        registration.language,
        now,
        registration.id,
        old_name=registration.name,
        new_name=colleague.name,
        sequence=registration.calendar_sequence,
    )


def _forget_the_other_persons(db_session: DbSession, registration: Registration) -> None:
    """Answers to the organiser's questions and consents to be contacted were the old holder's."""
    forget_answers(db_session, registration.id)
    for contact_request in db_session.scalars(
        select(ContactRequest).where(ContactRequest.registration_id == registration.id)
    ):
        db_session.delete(contact_request)
    db_session.flush()


def mask(email: str) -> str:
    """An address for the audit log: its first letter and its domain ("e***@example.org")."""
    local, _, domain = email.partition("@")
    return f"{local[:1]}***@{domain}"
