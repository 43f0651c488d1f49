"""Organiser rules: the dashboard's numbers, setting up a day, people and their history, messages, audit."""

import datetime as dt
import hashlib
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import selectinload

from eventapp.checkin.attended import attendees_of, has_arrived
from eventapp.checkin.models import Scan
from eventapp.events.models import Event, Session
from eventapp.organiser.audit_log import sentence
from eventapp.organiser.people_order import PeopleOrder, order_clauses
from eventapp.platform.audit import AuditEntry, audit
from eventapp.platform.db import DbSession
from eventapp.platform.mail import kinds, outbox
from eventapp.platform.mail.models import OutgoingMail
from eventapp.platform.staff.models import User
from eventapp.privacy import services as privacy
from eventapp.registration import services as registration_services
from eventapp.registration import waitlists
from eventapp.registration.models import (
    Choice,
    OrganisationType,
    Registration,
    RegistrationMail,
    RegistrationStatus,
    search_words,
)

# --- people ----------------------------------------------------------------------------------------


@dataclass
class PeopleFilter:
    query: str = ""
    session_id: int | None = None
    status: str = ""
    checked_in: bool | None = None
    order: PeopleOrder = PeopleOrder()


def people_query(event: Event, wanted: PeopleFilter) -> Select[Registration]:
    """Registrations of the event matching the filter, in its order (a select, for paging or exporting)."""
    statement = (
        select(Registration)
        .where(Registration.event_id == event.id)
        .options(selectinload(Registration.choices))
        .order_by(*order_clauses(wanted.order))
    )
    for word in search_words(wanted.query[:200])[:8]:
        statement = statement.where(Registration.search_text.contains(word, autoescape=True))
    if wanted.status:
        statement = statement.where(Registration.status == wanted.status)
    if wanted.session_id:
        statement = statement.where(Registration.choices.any(Choice.session_id == wanted.session_id))
    arrived = has_arrived()
    if wanted.checked_in is True:
        statement = statement.where(arrived)
    elif wanted.checked_in is False:
        statement = statement.where(~arrived)
    return statement


@dataclass(frozen=True)
class HistoryItem:
    at: dt.datetime
    what: str
    detail: str = ""
    who: str = ""


def history(db_session: DbSession, registration: Registration) -> list[HistoryItem]:
    """What happened to a registration, in the reader's words: registered, mails, scans, organiser actions;
    newest first."""
    items = [HistoryItem(registration.created_at, _("Registered"))]
    if registration.cancelled_at:
        items.append(HistoryItem(registration.cancelled_at, _("Cancelled")))
    for mail in db_session.scalars(select(OutgoingMail).where(OutgoingMail.registration_id == registration.id)):
        items.append(
            HistoryItem(mail.created_at, _("Mail: %(kind)s", kind=kinds.label_of(mail.kind)), mail.status.label)
        )
    for scan in db_session.scalars(select(Scan).where(Scan.registration_id == registration.id)):
        outcome = scan.outcome.label + (" " + _("(undone)") if scan.undone_at else "")
        outcome += " " + _("(test scan, does not count)") if scan.test else ""
        items.append(HistoryItem(scan.scanned_at, _("Scanned %(where)s", where=scan.mode.label), outcome, scan.desk))
    for entry in db_session.scalars(select(AuditEntry).where(AuditEntry.registration_id == registration.id)):
        who = entry.user.email if entry.user else ""
        items.append(HistoryItem(entry.created_at, sentence(db_session, entry), "", who))
    return sorted(items, key=lambda item: item.at, reverse=True)


def move_person(
    db_session: DbSession,
    registration: Registration,
    session: Session,
    user: User,
    now: dt.datetime,
    over_capacity: bool = False,
) -> registration_services.SwapResult:
    """Put a person in a session: within its seats, or deliberately over them (recorded)."""
    result = registration_services.change_session(
        db_session, registration, session.id, now, join_waitlist=False, over_capacity=over_capacity, by_staff=True
    )
    if result.outcome == "waitlisted":  # already waiting for it: a seat needs the organiser's say-so
        raise registration_services.SessionFull(session)
    audit(
        db_session,
        user,
        "person.moved",
        registration=registration,
        session=session.title_en,
        over_capacity=over_capacity,
    )
    return result


def admit_person(db_session: DbSession, registration: Registration, user: User, now: dt.datetime) -> None:
    """Give a day place to someone on the day's waitlist, over the day's capacity if need be (recorded)."""
    waitlists.admit_to_day(db_session, registration, now)
    audit(db_session, user, "person.admitted", registration=registration)


def cancel_person(db_session: DbSession, registration: Registration, user: User, now: dt.datetime) -> None:
    """Cancel on the person's behalf: seats go to the people waiting, as when they cancel themselves."""
    registration_services.cancel(db_session, registration, now)
    audit(db_session, user, "person.cancelled", registration=registration)


def erase_person(
    db_session: DbSession, registration: Registration, user: User, now: dt.datetime, remove_newsletter: bool
) -> None:
    """Erase a person's details on their request (AVG article 17), recorded without the details."""
    privacy.erase(db_session, registration, now, remove_newsletter)
    audit(db_session, user, "person.erased", registration=registration)


def resend_confirmation(db_session: DbSession, registration: Registration, user: User, now: dt.datetime) -> None:
    """Send the person their current confirmation (with ticket and calendar) again."""
    kind = (
        RegistrationMail.CONFIRMED
        if registration.status == RegistrationStatus.CONFIRMED
        else RegistrationMail.WAITLISTED
    )
    outbox.enqueue(db_session, kind, registration, now, resent=True)
    audit(db_session, user, "person.confirmation_resent", registration=registration)


# --- messages --------------------------------------------------------------------------------------

AUDIENCES = ("confirmed", "waitlisted", "checked_in", "not_checked_in", "came", "did_not_come")
# and per session "session-<id>" (a seat) and "attended-<id>" (went in), per kind of organisation "type-<key>"
WITH_STATEMENT = ("came", "attended")  # people who came: their mail links to their attendance statement
TEST_PREFIX = "[Test] "


class NoRecipients(ValueError):
    """A message to an audience with nobody in it: nothing is sent."""


@dataclass(frozen=True)
class Audience:
    """Who a message goes to: one of AUDIENCES, the people with a seat in (kind "session") or who attended
    (kind "attended") `session`, or the confirmed people of one kind of organisation (kind "type")."""

    kind: str = "confirmed"
    session: Session | None = None
    organisation_type: OrganisationType | None = None

    @property
    def key(self) -> str:
        if self.session is not None:
            return f"{self.kind}-{self.session.id}"
        return f"type-{self.organisation_type}" if self.organisation_type else self.kind

    @property
    def gets_statement_link(self) -> bool:
        return self.kind in WITH_STATEMENT


def audience_of(key: str, sessions: list[Session]) -> Audience | None:
    """The audience a form's value names (None for a value that names none of the day's)."""
    if key in AUDIENCES:
        return Audience(key)
    kind, _, rest = key.partition("-")
    if kind == "type" and rest in OrganisationType._value2member_map_:
        return Audience("type", organisation_type=OrganisationType(rest))
    if kind in ("session", "attended"):
        return next((Audience(kind, s) for s in sessions if rest == str(s.id)), None)
    return None


def audience_query(db_session: DbSession, event: Event, audience: Audience) -> Select[Registration]:
    """The registrations an audience holds, oldest first (a select)."""
    arrived = has_arrived()
    statement = select(Registration).where(Registration.event_id == event.id).order_by(Registration.id)
    if audience.kind == "waitlisted":
        return statement.where(Registration.status == RegistrationStatus.WAITLISTED)
    statement = statement.where(Registration.status == RegistrationStatus.CONFIRMED)
    if audience.kind in ("checked_in", "came"):
        return statement.where(arrived)
    if audience.kind in ("not_checked_in", "did_not_come"):
        return statement.where(~arrived)
    if audience.kind == "type":
        return statement.where(Registration.organisation_type == audience.organisation_type)
    if audience.kind == "attended" and audience.session is not None:
        return statement.where(Registration.id.in_(attendees_of(db_session, audience.session)))
    if audience.session is not None:
        seated = (Choice.session_id == audience.session.id) & (Choice.status == RegistrationStatus.CONFIRMED)
        return statement.where(Registration.choices.any(seated))
    return statement


def audience_people(db_session: DbSession, event: Event, audience: Audience) -> list[Registration]:
    return list(db_session.scalars(audience_query(db_session, event, audience)))


def audience_count(db_session: DbSession, event: Event, audience: Audience) -> int:
    query = audience_query(db_session, event, audience).subquery()
    return db_session.scalar(select(func.count()).select_from(query)) or 0


def first_of(db_session: DbSession, event: Event, audience: Audience) -> Registration | None:
    """The audience's first person: the preview and the test show the mail as they will receive it."""
    return db_session.scalars(audience_query(db_session, event, audience).limit(1)).first()


def message_fingerprint(audience: Audience, subject: str, body: str) -> str:
    """A short digest of what was previewed: sending asks for the same, so an edit after the preview is seen again."""
    return hashlib.sha256("\x00".join((audience.key, subject, body)).encode()).hexdigest()[:32]


def message_payload(audience: Audience, subject: str, body: str) -> dict[str, str | bool]:
    """What a message's builder needs; after the day, the mail also links to the person's statement."""
    payload: dict[str, str | bool] = {"subject": subject, "body": body}
    if audience.gets_statement_link:
        payload["statement"] = True
    return payload


def message_mail(sample: Registration, audience: Audience, subject: str, body: str) -> OutgoingMail:
    """The message as `sample` will receive it, not saved: for a preview through the real mail builder."""
    payload = message_payload(audience, subject, body)
    return OutgoingMail(
        kind=RegistrationMail.ORGANISER_MESSAGE,
        recipient=sample.email,
        language=sample.language,
        registration_id=sample.id,
        payload=payload,
    )


def send_test_message(
    db_session: DbSession, event: Event, audience: Audience, subject: str, body: str, user: User, now: dt.datetime
) -> OutgoingMail:
    """Put one copy in the outbox for the organiser, marked as a test, in the language of the audience's first.

    It is about a sample person, not a real one (registration/sample.py): the copy goes to a mailbox outside the
    back office. So it is in no one's history and counts for no one; raises NoRecipients for an empty audience.
    """
    sample = first_of(db_session, event, audience)
    if sample is None:
        raise NoRecipients(audience.key)
    return outbox.enqueue_to(
        db_session,
        RegistrationMail.ORGANISER_MESSAGE,
        user.email,
        sample.language,
        now,
        **{**message_payload(audience, subject, body), "subject": TEST_PREFIX + subject},
        sample={"event_id": event.id, "session_id": audience.session.id if audience.session else None},
    )


def message_people(
    db_session: DbSession, event: Event, audience: Audience, subject: str, body: str, user: User, now: dt.datetime
) -> int:
    """Put a message from the organisers in the outbox for everyone in the audience; returns how many.

    Raises NoRecipients when the audience is empty.
    """
    recipients = audience_people(db_session, event, audience)
    if not recipients:
        raise NoRecipients(audience.key)
    for registration in recipients:
        payload = message_payload(audience, subject, body)
        outbox.enqueue(db_session, RegistrationMail.ORGANISER_MESSAGE, registration, now, **payload)
    audit(
        db_session,
        user,
        "message.sent",
        event,
        subject=subject,
        session=audience.session.title_en if audience.session else "",
        audience=audience.kind,
        **({"organisation_type": str(audience.organisation_type)} if audience.organisation_type else {}),
        recipients=len(recipients),
    )
    return len(recipients)


def audit_log(
    db_session: DbSession, event: Event, limit: int = 500, action: str = "", actor_id: int | None = None
) -> list[AuditEntry]:
    """The event's entries (and those of no event), newest first; of one kind of action (its first part, e.g.
    "person") and by one staff member when asked."""
    statement = select(AuditEntry).where(or_(AuditEntry.event_id == event.id, AuditEntry.event_id.is_(None)))
    if action:
        statement = statement.where(AuditEntry.action.startswith(action + ".", autoescape=True))
    if actor_id is not None:
        statement = statement.where(AuditEntry.user_id == actor_id)
    statement = statement.options(selectinload(AuditEntry.user))
    return list(db_session.scalars(statement.order_by(AuditEntry.id.desc()).limit(limit)))


def audited_people(db_session: DbSession, entries: list[AuditEntry]) -> dict[int, Registration]:
    """The registrations the entries are about, by id, in one query."""
    ids = {entry.registration_id for entry in entries if entry.registration_id is not None}
    if not ids:
        return {}
    return {r.id: r for r in db_session.scalars(select(Registration).where(Registration.id.in_(ids)))}


def audit_actors(db_session: DbSession, event: Event) -> list[User]:
    """The staff members who have entries in the event's log, by name and address."""
    has_entry = select(AuditEntry.id).where(
        AuditEntry.user_id == User.id, or_(AuditEntry.event_id == event.id, AuditEntry.event_id.is_(None))
    )
    return list(db_session.scalars(select(User).where(has_entry.exists()).order_by(User.name, User.email)))
