"""Organiser rules: the dashboard's numbers, setting up a day, people and their history, messages, audit."""

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session as DbSession
from sqlalchemy.orm import selectinload

from eventapp.checkin.models import CheckIn, Scan, SessionAttendance
from eventapp.events.models import AgendaItem, Event, Session
from eventapp.mail import outbox
from eventapp.mail.models import FAILED, OutgoingMail
from eventapp.organiser.models import AuditEntry
from eventapp.privacy import services as privacy
from eventapp.registration import services as registration_services
from eventapp.registration.models import CANCELLED, CONFIRMED, WAITLISTED, Choice, Registration, searchable
from eventapp.staff.models import User


class SetupError(Exception):
    """A change to the day's set-up that would lose or break something (the message says what)."""


def audit(
    db_session: DbSession, user: User | None, action: str, event: Event | None = None, registration=None, **details
):
    """Record an organiser action."""
    entry = AuditEntry(
        user_id=user.id if user else None,
        event_id=event.id if event else (registration.event_id if registration is not None else None),
        registration_id=registration.id if registration is not None else None,
        action=action,
        details=details,
    )
    db_session.add(entry)
    return entry


# --- the dashboard -----------------------------------------------------------------------------


@dataclass
class SessionStats:
    session: Session
    taken: int
    capacity: int
    waiting: int
    checked_in: int  # of the people with a seat, how many arrived at the day
    attended: int  # through the session's door

    @property
    def no_shows(self) -> int:
        return max(self.taken - self.checked_in, 0)

    @property
    def percent_taken(self) -> int:
        return min(round(100 * self.taken / self.capacity), 100) if self.capacity else 100


@dataclass
class Dashboard:
    event: Event
    confirmed: int
    waitlisted: int
    cancelled: int
    checked_in: int
    failed_mails: int
    is_over: bool
    slots: list[tuple[AgendaItem, list[SessionStats]]] = field(default_factory=list)

    @property
    def no_shows(self) -> int:
        return max(self.confirmed - self.checked_in, 0)


def dashboard(db_session: DbSession, event: Event, today: dt.date) -> Dashboard:
    """Registrations, seats, waitlists and check-ins of one event, in a fixed number of queries."""
    by_status = dict(
        db_session.execute(
            select(Registration.status, func.count())
            .where(Registration.event_id == event.id)
            .group_by(Registration.status)
        ).all()
    )
    waiting = dict(
        db_session.execute(
            select(Choice.session_id, func.count())
            .join(Registration)
            .where(Registration.event_id == event.id, Registration.status == CONFIRMED, Choice.status == WAITLISTED)
            .group_by(Choice.session_id)
        ).all()
    )
    arrived = dict(
        db_session.execute(
            select(Choice.session_id, func.count())
            .join(CheckIn, CheckIn.registration_id == Choice.registration_id)
            .where(CheckIn.event_id == event.id, Choice.status == CONFIRMED)
            .group_by(Choice.session_id)
        ).all()
    )
    attended = dict(
        db_session.execute(
            select(SessionAttendance.session_id, func.count())
            .join(Session)
            .join(AgendaItem)
            .where(AgendaItem.event_id == event.id)
            .group_by(SessionAttendance.session_id)
        ).all()
    )
    checked_in = db_session.scalar(select(func.count()).select_from(CheckIn).where(CheckIn.event_id == event.id))
    failed = db_session.scalar(
        select(func.count())
        .select_from(OutgoingMail)
        .join(Registration)
        .where(Registration.event_id == event.id, OutgoingMail.status == FAILED)
    )
    slots = [
        (
            slot,
            [
                SessionStats(
                    s, s.seats_taken, s.capacity, waiting.get(s.id, 0), arrived.get(s.id, 0), attended.get(s.id, 0)
                )
                for s in slot.sessions
            ],
        )
        for slot in registration_services.choice_slots(event)
    ]
    return Dashboard(
        event=event,
        confirmed=by_status.get(CONFIRMED, 0),
        waitlisted=by_status.get(WAITLISTED, 0),
        cancelled=by_status.get(CANCELLED, 0),
        checked_in=checked_in,
        failed_mails=failed,
        is_over=event.date < today,
        slots=slots,
    )


# --- setting up a day ----------------------------------------------------------------------------

EVENT_FIELDS = ("slug", "edition", "title_nl", "title_en", "intro_nl", "intro_en", "date", "venue", "timezone")
SESSION_FIELDS = ("title_nl", "title_en", "description_nl", "description_en", "room", "host_organisation", "position")
AGENDA_FIELDS = ("starts_at", "ends_at", "kind", "title_nl", "title_en")


def save_event(db_session: DbSession, event: Event | None, data: dict, user: User, now: dt.datetime) -> Event:
    """Create or change an event; a new capacity goes through the seat rules (refused below the people confirmed)."""
    if db_session.scalar(select(Event.id).where(Event.slug == data["slug"], Event.id != (event.id if event else -1))):
        raise SetupError(f"the address /e/{data['slug']}/ is taken by another event")
    if data["registration_closes_at"] <= data["registration_opens_at"]:
        raise SetupError("registration must close after it opens")
    creating = event is None
    if creating:
        event = Event(capacity=data["capacity"], seats_taken=0)
        db_session.add(event)
    changes = _assign(event, data, (*EVENT_FIELDS, "registration_opens_at", "registration_closes_at"))
    db_session.flush()
    if not creating and data["capacity"] != event.capacity:
        changes["capacity"] = [event.capacity, data["capacity"]]
        try:
            registration_services.set_event_capacity(db_session, event, data["capacity"], now)
        except registration_services.CapacityBelowSeatsTaken as error:
            raise SetupError(f"{error.seats_taken} people are confirmed: the day cannot hold fewer") from error
    audit(db_session, user, "event.created" if creating else "event.changed", event, changes=_plain(changes))
    return event


def save_session(
    db_session: DbSession, session: Session | None, slot: AgendaItem, data: dict, user: User, now: dt.datetime
) -> Session:
    """Create or change a session; lowering seats below those taken is refused, raising them serves the waitlist."""
    if not slot.is_choice:
        raise SetupError("sessions belong to a choice slot")
    creating = session is None
    if creating:
        session = Session(agenda_item=slot, capacity=data["capacity"], seats_taken=0)
        db_session.add(session)
    changes = _assign(session, data, SESSION_FIELDS)
    db_session.flush()
    if not creating and data["capacity"] != session.capacity:
        changes["capacity"] = [session.capacity, data["capacity"]]
        try:
            registration_services.set_session_capacity(db_session, session, data["capacity"], now)
        except registration_services.CapacityBelowSeatsTaken as error:
            raise SetupError(f"{error.seats_taken} seats are taken: the session cannot have fewer") from error
    audit(
        db_session,
        user,
        "session.created" if creating else "session.changed",
        slot.event,
        session_id=session.id,
        changes=_plain(changes),
    )
    return session


def delete_session(db_session: DbSession, session: Session, user: User) -> None:
    """Remove a session nobody chose; one with registrations cannot silently vanish."""
    in_use = db_session.scalar(select(func.count()).select_from(Choice).where(Choice.session_id == session.id))
    if in_use:
        raise SetupError(f"{in_use} people chose this session: move them first")
    audit(db_session, user, "session.deleted", session.agenda_item.event, title=session.title_en)
    db_session.delete(session)
    db_session.flush()


def save_agenda_item(
    db_session: DbSession, event: Event, item: AgendaItem | None, data: dict, user: User
) -> AgendaItem:
    """Create or change an agenda item; a slot with sessions keeps being a choice slot."""
    if data["ends_at"] <= data["starts_at"]:
        raise SetupError("an agenda item ends after it starts")
    if item is not None and item.sessions and data["kind"] != item.kind:
        raise SetupError("this slot has sessions: it stays a choice slot")
    creating = item is None
    if creating:
        item = AgendaItem(event=event)
        db_session.add(item)
    changes = _assign(item, data, AGENDA_FIELDS)
    db_session.flush()
    audit(
        db_session,
        user,
        "agenda.created" if creating else "agenda.changed",
        event,
        item_id=item.id,
        changes=_plain(changes),
    )
    return item


def delete_agenda_item(db_session: DbSession, item: AgendaItem, user: User) -> None:
    """Remove an agenda item without sessions."""
    if item.sessions:
        raise SetupError("this slot has sessions: delete or move them first")
    audit(db_session, user, "agenda.deleted", item.event, title=item.title_en)
    db_session.delete(item)
    db_session.flush()


def copy_event(db_session: DbSession, event: Event, slug: str, date: dt.date, user: User, now: dt.datetime) -> Event:
    """The next edition: the same program, texts and seats, a new date, no registrations."""
    if db_session.scalar(select(Event.id).where(Event.slug == slug)):
        raise SetupError(f"the address /e/{slug}/ is taken by another event")
    shift = date - event.date
    copy = Event(
        slug=slug,
        edition=(event.edition or 0) + 1 if event.edition else None,
        capacity=event.capacity,
        seats_taken=0,
        registration_opens_at=now,
        registration_closes_at=max(event.registration_closes_at + shift, now + dt.timedelta(days=1)),
        **{
            name: getattr(event, name) for name in ("title_nl", "title_en", "intro_nl", "intro_en", "venue", "timezone")
        },
        date=date,
    )
    for item in event.agenda_items:
        new_item = AgendaItem(**{name: getattr(item, name) for name in AGENDA_FIELDS})
        for session in item.sessions:
            new_item.sessions.append(
                Session(capacity=session.capacity, seats_taken=0, **{n: getattr(session, n) for n in SESSION_FIELDS})
            )
        copy.agenda_items.append(new_item)
    db_session.add(copy)
    db_session.flush()
    audit(db_session, user, "event.copied", copy, source=event.slug)
    return copy


def _assign(obj, data: dict, names) -> dict:
    """Set the named attributes; return {name: [old, new]} for those that changed."""
    changes = {}
    for name in names:
        if name in data and getattr(obj, name, None) != data[name]:
            changes[name] = [getattr(obj, name, None), data[name]]
            setattr(obj, name, data[name])
    return changes


def _plain(changes: dict) -> dict:
    """Changes as JSON can hold them (dates and times as text)."""
    return {
        k: [v if isinstance(v, (str, int, float, bool, type(None))) else str(v) for v in pair]
        for k, pair in changes.items()
    }


# --- people ----------------------------------------------------------------------------------------


@dataclass
class PeopleFilter:
    query: str = ""
    session_id: int | None = None
    status: str = ""
    checked_in: bool | None = None


def people_query(event: Event, wanted: PeopleFilter):
    """Registrations of the event matching the filter, by name (a select, for paging or exporting)."""
    statement = (
        select(Registration)
        .where(Registration.event_id == event.id)
        .options(selectinload(Registration.choices))
        .order_by(Registration.name, Registration.id)
    )
    for word in searchable(wanted.query[:200]).split(" | ")[0].split()[:8]:
        statement = statement.where(Registration.search_text.contains(word, autoescape=True))
    if wanted.status:
        statement = statement.where(Registration.status == wanted.status)
    if wanted.session_id:
        statement = statement.where(Registration.choices.any(Choice.session_id == wanted.session_id))
    arrived = select(CheckIn.id).where(CheckIn.registration_id == Registration.id).exists()
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
    """What happened to a registration: registered, mails, scans, organiser actions; newest first."""
    items = [HistoryItem(registration.created_at, "registered")]
    if registration.cancelled_at:
        items.append(HistoryItem(registration.cancelled_at, "cancelled"))
    for mail in db_session.scalars(select(OutgoingMail).where(OutgoingMail.registration_id == registration.id)):
        items.append(HistoryItem(mail.created_at, f"mail: {mail.kind}", mail.status))
    for scan in db_session.scalars(select(Scan).where(Scan.registration_id == registration.id)):
        undone = " (undone)" if scan.undone_at else ""
        items.append(HistoryItem(scan.scanned_at, f"scan at {scan.mode}", f"{scan.outcome}{undone}", scan.desk))
    for entry in db_session.scalars(select(AuditEntry).where(AuditEntry.registration_id == registration.id)):
        items.append(
            HistoryItem(
                entry.created_at, entry.action, _describe(entry.details), entry.user.email if entry.user else ""
            )
        )
    return sorted(items, key=lambda item: item.at, reverse=True)


def _describe(details: dict) -> str:
    return ", ".join(f"{key}: {value}" for key, value in details.items())


def move_person(db_session, registration, session: Session, user: User, now, over_capacity: bool = False):
    """Put a person in a session: within its seats, or deliberately over them (recorded)."""
    result = registration_services.change_session(
        db_session, registration, session.id, now, join_waitlist=False, over_capacity=over_capacity
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


def admit_person(db_session, registration, user: User, now) -> None:
    """Give a day place to someone on the day's waitlist, over the day's capacity if need be (recorded)."""
    registration_services.admit_to_day(db_session, registration, now)
    audit(db_session, user, "person.admitted", registration=registration)


def cancel_person(db_session, registration, user: User, now) -> None:
    """Cancel on the person's behalf: seats go to the people waiting, as when they cancel themselves."""
    registration_services.cancel(db_session, registration, now)
    audit(db_session, user, "person.cancelled", registration=registration)


def erase_person(db_session, registration, user: User, now, remove_newsletter: bool) -> None:
    """Erase a person's details on their request (AVG article 17), recorded without the details."""
    privacy.erase(db_session, registration, now, remove_newsletter)
    audit(db_session, user, "person.erased", registration=registration)


def resend_confirmation(db_session, registration, user: User, now) -> None:
    """Send the person their current confirmation (with ticket and calendar) again."""
    kind = outbox.REGISTRATION_CONFIRMED if registration.status == CONFIRMED else outbox.REGISTRATION_WAITLISTED
    outbox.enqueue(db_session, kind, registration, now, resent=True)
    audit(db_session, user, "person.confirmation_resent", registration=registration)


# --- messages --------------------------------------------------------------------------------------


def message_people(db_session, event: Event, session: Session | None, subject: str, body: str, user: User, now) -> int:
    """Put a message from the organisers in the outbox for everyone confirmed (or one session's people)."""
    statement = select(Registration).where(Registration.event_id == event.id, Registration.status == CONFIRMED)
    if session is not None:
        statement = statement.where(
            Registration.choices.any((Choice.session_id == session.id) & (Choice.status == CONFIRMED))
        )
    recipients = db_session.scalars(statement).all()
    for registration in recipients:
        outbox.enqueue(db_session, outbox.ORGANISER_MESSAGE, registration, now, subject=subject, body=body)
    audit(
        db_session,
        user,
        "message.sent",
        event,
        subject=subject,
        session=session.title_en if session else "",
        recipients=len(recipients),
    )
    return len(recipients)


def audit_log(db_session: DbSession, event: Event, limit: int = 500) -> list[AuditEntry]:
    return list(
        db_session.scalars(
            select(AuditEntry)
            .where(or_(AuditEntry.event_id == event.id, AuditEntry.event_id.is_(None)))
            .order_by(AuditEntry.id.desc())
            .limit(limit)
        )
    )
