"""The lists organisers hand out: rows for the exports, streamed from the database in batches.

Each function reads what it needs from the ORM objects at once and returns a generator that
only runs queries: a CSV download is streamed after the view has returned, when the objects
the view loaded are no longer attached to a database session.
"""

import datetime as dt
from collections.abc import Iterator
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from eventapp.checkin.models import CheckIn, SessionAttendance
from eventapp.events.models import Event, Session
from eventapp.events.services import choice_slots
from eventapp.exports import Column
from eventapp.i18n import text_in
from eventapp.registration.models import Choice, Registration, RegistrationStatus

BATCH = 1000


def _local(moment: dt.datetime | None, zone: ZoneInfo) -> dt.datetime | None:
    """Wall-clock time at the event, without a zone (spreadsheets store no zones)."""
    return moment.astimezone(zone).replace(tzinfo=None) if moment else None


def attendance_columns(event: Event, language: str) -> list[Column]:
    slots = [Column(text_in(slot, "title", language), 30) for slot in choice_slots(event)]
    return [
        Column("Name", 28),
        Column("E-mail", 30),
        Column("Organisation", 30),
        Column("Role", 22),
        Column("Status", 12),
        *slots,
        Column("Registered at", 17),
        Column("Checked in at", 17),
        Column("Desk", 14),
    ]


def attendance_rows(db_session: DbSession, event: Event, language: str) -> Iterator[list]:
    """Everyone registered for the day: details, chosen sessions, status and check-in time."""
    zone = ZoneInfo(event.timezone)
    slot_ids = [slot.id for slot in choice_slots(event)]
    titles = {
        session.id: text_in(session, "title", language) for slot in choice_slots(event) for session in slot.sessions
    }
    return _attendance_rows(db_session, event.id, zone, slot_ids, titles)


def _attendance_rows(db_session, event_id: int, zone: ZoneInfo, slot_ids: list[int], titles: dict) -> Iterator[list]:
    chosen: dict[int, dict[int, str]] = {}
    for registration_id, slot_id, session_id, status in db_session.execute(
        select(Choice.registration_id, Choice.agenda_item_id, Choice.session_id, Choice.status)
        .join(Registration)
        .where(Registration.event_id == event_id)
        .order_by(Choice.status)  # a confirmed seat first, then a place in a line
    ):
        label = titles[session_id] if status == RegistrationStatus.CONFIRMED else f"{titles[session_id]} (waiting)"
        slot_labels = chosen.setdefault(registration_id, {})
        slot_labels[slot_id] = f"{slot_labels[slot_id]}; {label}" if slot_id in slot_labels else label
    rows = db_session.execute(
        select(
            Registration.id,
            Registration.name,
            Registration.email,
            Registration.organisation,
            Registration.role,
            Registration.status,
            Registration.created_at,
            CheckIn.checked_in_at,
            CheckIn.desk,
        )
        .outerjoin(CheckIn, CheckIn.registration_id == Registration.id)
        .where(Registration.event_id == event_id)
        .order_by(Registration.name, Registration.id)
        .execution_options(yield_per=BATCH)
    )
    for rid, name, email, organisation, role, status, created, checked_in_at, desk in rows:
        labels = chosen.get(rid, {})
        yield [
            name,
            email,
            organisation,
            role,
            status,
            *[labels.get(slot_id, "") for slot_id in slot_ids],
            _local(created, zone),
            _local(checked_in_at, zone),
            desk or "",
        ]


SESSION_COLUMNS = [
    Column("Name", 28),
    Column("Organisation", 30),
    Column("Role", 22),
    Column("E-mail", 30),
    Column("Checked in at", 17),
    Column("Came to the session", 12),
]


def session_rows(db_session: DbSession, session: Session) -> Iterator[list]:
    """The people with a seat in a session (and who came through its door), for the session's host."""
    return _session_rows(db_session, session.id, ZoneInfo(session.agenda_item.event.timezone))


def _session_rows(db_session: DbSession, session_id: int, zone: ZoneInfo) -> Iterator[list]:
    came = (
        select(SessionAttendance.id)
        .where(SessionAttendance.session_id == session_id, SessionAttendance.registration_id == Registration.id)
        .exists()
    )
    rows = db_session.execute(
        select(
            Registration.name,
            Registration.organisation,
            Registration.role,
            Registration.email,
            CheckIn.checked_in_at,
            came,
        )
        .join(Choice, Choice.registration_id == Registration.id)
        .outerjoin(CheckIn, CheckIn.registration_id == Registration.id)
        .where(
            Choice.session_id == session_id,
            Choice.status == RegistrationStatus.CONFIRMED,
            Registration.status == RegistrationStatus.CONFIRMED,
        )
        .order_by(Registration.name)
        .execution_options(yield_per=BATCH)
    )
    for name, organisation, role, email, checked_in_at, attended in rows:
        yield [name, organisation, role, email, _local(checked_in_at, zone), bool(attended)]


def walk_ins_at_door(db_session: DbSession, session: Session) -> list[str]:
    """Names of people admitted at the door who had chosen another session."""
    return list(
        db_session.scalars(
            select(Registration.name)
            .join(SessionAttendance, SessionAttendance.registration_id == Registration.id)
            .where(SessionAttendance.session_id == session.id, SessionAttendance.chosen.is_(False))
            .order_by(Registration.name)
        )
    )


WAITLIST_COLUMNS = [
    Column("Waiting for", 32),
    Column("Place", 8),
    Column("Name", 28),
    Column("Organisation", 30),
    Column("E-mail", 30),
    Column("Waiting since", 17),
]


def waitlist_rows(db_session: DbSession, event: Event, language: str) -> Iterator[list]:
    """The day's waitlist, then each session's line, in order of place."""
    lines = [
        (session.id, text_in(session, "title", language)) for slot in choice_slots(event) for session in slot.sessions
    ]
    return _waitlist_rows(db_session, event.id, ZoneInfo(event.timezone), lines)


def _waitlist_rows(
    db_session: DbSession, event_id: int, zone: ZoneInfo, lines: list[tuple[int, str]]
) -> Iterator[list]:
    day_line = db_session.execute(
        select(Registration.name, Registration.organisation, Registration.email, Registration.waitlisted_at)
        .where(Registration.event_id == event_id, Registration.status == RegistrationStatus.WAITLISTED)
        .order_by(Registration.waitlisted_at, Registration.id)
    )
    for place, (name, organisation, email, since) in enumerate(day_line, start=1):
        yield ["The day", place, name, organisation, email, _local(since, zone)]
    for session_id, title in lines:
        line = db_session.execute(
            select(Registration.name, Registration.organisation, Registration.email, Choice.waitlisted_at)
            .join(Registration)
            .where(
                Choice.session_id == session_id,
                Choice.status == RegistrationStatus.WAITLISTED,
                Registration.status == RegistrationStatus.CONFIRMED,
            )
            .order_by(Choice.waitlisted_at, Choice.id)
        )
        for place, (name, organisation, email, since) in enumerate(line, start=1):
            yield [title, place, name, organisation, email, _local(since, zone)]
