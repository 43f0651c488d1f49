"""The AVG in practice: a person's own data as JSON, erasure on request, and anonymising after the retention period.

Anonymising keeps the registration row (its status, sessions and check-in time stay, so counts
and attendance figures survive) but removes everything that identifies the person: name, address,
organisation, role, the personal link and ticket secrets, the mails in the outbox, the answers to the
organiser's questions (some are sensitive: diet, health, access), requests to be contacted about a pilot, and what
an organiser's corrections of their details said (the audit log keeps that they were corrected). Erasure on
request also removes their ranking of sessions. The newsletter subscription made with the same address goes too:
on request when the person ticks the box, after the retention period unless the subscriber confirmed it (see
`purge_personal_data`).
"""

import datetime as dt
import secrets

from sqlalchemy import ScalarResult, delete, select

from eventapp.checkin.models import CheckIn, SessionAttendance
from eventapp.events.models import Event
from eventapp.feedback.models import FeedbackResponse
from eventapp.newsletter import services as newsletter_services
from eventapp.platform.audit import AuditEntry
from eventapp.platform.db import DbSession
from eventapp.platform.mail.models import OutgoingMail
from eventapp.privacy.farewell import keep_the_cancellation
from eventapp.questions.services import answers_of, forget_answers
from eventapp.registration import services as registration_services
from eventapp.registration.contacts import ContactRequest, requests_of
from eventapp.registration.models import Registration, RegistrationStatus, TransferRequest
from eventapp.registration.preferences import Preference, preferences_of
from eventapp.registration.queries import registration_overview
from eventapp.statements.models import AttendanceStatement, ReplacedStatementCode

ERASED_NAME = "(erased)"


def personal_data(db_session: DbSession, registration: Registration) -> dict:
    """Everything kept about the person, as they may download it (AVG article 15 and 20)."""
    event = registration.event
    arrival = db_session.scalar(select(CheckIn).where(CheckIn.registration_id == registration.id))
    doors = db_session.scalars(select(SessionAttendance).where(SessionAttendance.registration_id == registration.id))
    mails = db_session.scalars(
        select(OutgoingMail).where(OutgoingMail.registration_id == registration.id).order_by(OutgoingMail.id)
    )
    return {
        "event": {"slug": event.slug, "title": event.title_en, "date": event.date.isoformat(), "venue": event.venue},
        "registration": {
            "name": registration.name,
            "email": registration.email,
            "organisation": registration.organisation,
            "organisation_type": registration.organisation_type,
            "role": registration.role,
            "language": registration.language,
            "status": registration.status,
            "registered_at": registration.created_at.isoformat(),
            "cancelled_at": registration.cancelled_at.isoformat() if registration.cancelled_at else None,
            "consent_version": registration.consent_version,
            "wants_newsletter": registration.wants_newsletter,
        },
        "sessions": [
            {
                "slot": item.slot.title_en,
                "seat": item.seat.title_en if item.seat else None,
                "waiting_for": item.waiting_for.title_en if item.waiting_for else None,
            }
            for item in registration_overview(db_session, registration)
        ],
        # Preference mode: the sessions they ranked, per slot best first.
        "ranking": [
            {
                "slot": preference.session.agenda_item.title_en,
                "rank": preference.rank,
                "session": preference.session.title_en,
            }
            for preference in preferences_of(db_session, registration)
        ],
        "checked_in_at": arrival.checked_in_at.isoformat() if arrival else None,
        "session_doors": [{"session": door.session.title_en, "at": door.admitted_at.isoformat()} for door in doors],
        "answers": [
            {"question": answer.question.label_en, "text": answer.text, "choices": answer.choices}
            for answer in answers_of(db_session, registration.id).values()
        ],
        "contact_requests": [
            {"pilot": request.session.title_en, "note": request.note, "consent": request.consent_text}
            for request in requests_of(db_session, registration.id).values()
        ],
        "mails": [
            {"kind": mail.kind, "status": mail.status, "created_at": mail.created_at.isoformat()} for mail in mails
        ],
    }


def erase(db_session: DbSession, registration: Registration, now: dt.datetime, remove_newsletter: bool) -> None:
    """On the person's request: cancel (seats go to the people waiting) and anonymise.

    With `remove_newsletter` the address's newsletter subscription goes too, confirmed or not:
    the person asks for it in the same breath. The caller commits, then calls `checkpoint_erased`.
    """
    if registration.status != RegistrationStatus.CANCELLED:
        registration_services.cancel(db_session, registration, now)
    keep_the_cancellation(db_session, registration)  # its calendar CANCEL goes out before the address is forgotten
    if remove_newsletter:
        newsletter_services.forget(db_session, registration.email)
    # Cancelled, the ranking counts nowhere any more (the allocation and its figures read the people admitted or
    # waiting): on request it goes. Anonymising after the retention period keeps it for the demand figures.
    db_session.execute(delete(Preference).where(Preference.registration_id == registration.id))
    anonymise(db_session, registration, now)


def _forget_corrections(db_session: DbSession, registration: Registration) -> None:
    """The audit log keeps that an organiser corrected the person's details, and which, but not what they said."""
    entries = db_session.scalars(
        select(AuditEntry).where(AuditEntry.registration_id == registration.id, AuditEntry.action == "person.changed")
    )
    for entry in entries:
        changes = entry.details.get("changes", {})
        entry.details = {**entry.details, "changes": {field: [ERASED_NAME, ERASED_NAME] for field in changes}}


def anonymise(db_session: DbSession, registration: Registration, now: dt.datetime) -> None:
    """Remove what identifies the person; keep what counts (status, sessions, check-in time)."""
    db_session.execute(delete(OutgoingMail).where(OutgoingMail.registration_id == registration.id))
    # Answers may be about health, diet or access (sensitive), and a request to be contacted names the person.
    forget_answers(db_session, registration.id)
    db_session.execute(delete(ContactRequest).where(ContactRequest.registration_id == registration.id))
    # A transfer request names a colleague (name, address, organisation).
    db_session.execute(delete(TransferRequest).where(TransferRequest.registration_id == registration.id))
    # A statement names the person: it goes. Feedback keeps its scores (they count, anonymously), not its words.
    db_session.execute(delete(AttendanceStatement).where(AttendanceStatement.registration_id == registration.id))
    db_session.execute(delete(ReplacedStatementCode).where(ReplacedStatementCode.registration_id == registration.id))
    response = db_session.scalar(select(FeedbackResponse).where(FeedbackResponse.registration_id == registration.id))
    if response is not None:
        response.different = ""
        for item in response.sessions:
            item.comment = ""
    _forget_corrections(db_session, registration)
    registration.name = ERASED_NAME
    registration.email = f"erased-{registration.id}@invalid"
    registration.organisation = registration.role = ""
    registration.manage_token = secrets.token_urlsafe(32)  # old links and tickets stop working
    registration.ticket_code = secrets.token_urlsafe(32)
    registration.wants_newsletter = False
    registration.anonymised_at = now
    db_session.flush()


def expired_registrations(db_session: DbSession, today: dt.date, retention_days: int) -> ScalarResult[Registration]:
    """Registrations of events that ended more than `retention_days` ago and still hold personal data."""
    return db_session.scalars(
        select(Registration)
        .join(Event)
        .where(Event.date < today - dt.timedelta(days=retention_days), Registration.anonymised_at.is_(None))
        .order_by(Registration.id)
    )


def purge_personal_data(
    db_session: DbSession, today: dt.date, retention_days: int, now: dt.datetime, dry_run: bool
) -> dict[str, int]:
    """Anonymise every registration past the retention period; returns counts per event slug."""
    counts: dict[str, int] = {}
    for registration in expired_registrations(db_session, today, retention_days).all():
        counts[registration.event.slug] = counts.get(registration.event.slug, 0) + 1
        if not dry_run:
            # A subscription the subscriber confirmed with the link in their mail is their own
            # consent to the newsletter, not part of the registration, so it outlives the event;
            # one never confirmed (or unsubscribed) was only ever kept for this registration.
            newsletter_services.forget(db_session, registration.email, keep_confirmed=True)
            anonymise(db_session, registration, now)
    if not dry_run:
        mark_anonymised_events(db_session, today, retention_days, now)
    return counts


def mark_anonymised_events(db_session: DbSession, today: dt.date, retention_days: int, now: dt.datetime) -> None:
    """Events past the retention period enter their last phase (events.phases: `anonymised`)."""
    for event in db_session.scalars(
        select(Event).where(Event.date < today - dt.timedelta(days=retention_days), Event.anonymised_at.is_(None))
    ):
        event.anonymised_at = now
    db_session.flush()
