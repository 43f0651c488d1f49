"""What the desk looks up, writing nothing: today's event, the registration a code names, people found by
name, who arrived, and the live counts. Recording scans is the business of checkin/services.py."""

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from eventapp.checkin.models import CheckIn, SessionAttendance
from eventapp.events.models import Event, Session
from eventapp.events.services import choice_slots
from eventapp.platform.db import DbSession, storable_text
from eventapp.registration.models import Choice, Registration, search_words

MAX_CODE_LENGTH = 200


@dataclass
class SessionCount:
    session: Session
    expected: int
    attended: int


@dataclass
class Counts:
    """Live numbers for the desk: the day, and per session."""

    checked_in: int
    expected: int
    sessions: list[SessionCount] = field(default_factory=list)


def current_event(db_session: DbSession, today: dt.date) -> Event | None:
    """The event of today, else the next one, else the most recent."""
    upcoming = db_session.scalar(select(Event).where(Event.date >= today).order_by(Event.date).limit(1))
    return upcoming or db_session.scalar(select(Event).order_by(Event.date.desc()).limit(1))


def find_by_code(db_session: DbSession, code: str) -> Registration | None:
    """The registration whose ticket carries `code` (looked up by the unique index).

    Anything no ticket can carry (too long, characters the database cannot take) is no ticket:
    None without a query, so a megabyte of junk costs no lookup.
    """
    code = (code or "").strip()
    if not code or len(code) > MAX_CODE_LENGTH or not storable_text(code):
        return None
    # With the choices and their sessions, which the desk's answer shows: one query, not one per attribute.
    return (
        db_session.scalars(
            select(Registration)
            .where(Registration.ticket_code == code)
            .options(joinedload(Registration.choices).joinedload(Choice.session))
        )
        .unique()
        .first()
    )


def search_people(db_session: DbSession, event: Event, query: str, limit: int = 20) -> list[Registration]:
    """Registrations whose name, address or organisation contain every word of `query`, ignoring case and accents."""
    words = search_words(query[:200])
    if not words:
        return []
    statement = select(Registration).where(Registration.event_id == event.id)
    for word in words[:8]:
        statement = statement.where(Registration.search_text.contains(word, autoescape=True))
    return list(db_session.scalars(statement.order_by(Registration.sort_name, Registration.id).limit(limit)))


def arrivals(db_session: DbSession, registrations: list[Registration]) -> dict[int, CheckIn]:
    """The check-ins of these registrations, by registration id."""
    ids = [registration.id for registration in registrations]
    if not ids:
        return {}
    return {
        row.registration_id: row for row in db_session.scalars(select(CheckIn).where(CheckIn.registration_id.in_(ids)))
    }


def counts(db_session: DbSession, event: Event) -> Counts:
    """Checked in against expected for the day, and door attendance against seats per session."""
    checked_in = db_session.scalars(select(func.count()).select_from(CheckIn).where(CheckIn.event_id == event.id)).one()
    sessions = [session for slot in choice_slots(event) for session in slot.sessions]
    attended = dict(
        db_session.execute(
            select(SessionAttendance.session_id, func.count())
            .where(SessionAttendance.session_id.in_([session.id for session in sessions]))
            .group_by(SessionAttendance.session_id)
        ).all()
    )
    session_counts = [
        SessionCount(session=session, expected=session.seats_taken, attended=attended.get(session.id, 0))
        for session in sessions
    ]
    return Counts(checked_in=checked_in, expected=event.seats_taken, sessions=session_counts)


def occupancy(db_session: DbSession, session: Session) -> tuple[int, int]:
    """People admitted at a session's door, and its seats."""
    attended = db_session.scalars(
        select(func.count()).select_from(SessionAttendance).where(SessionAttendance.session_id == session.id)
    ).one()
    return attended, session.capacity
