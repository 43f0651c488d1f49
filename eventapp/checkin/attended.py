"""What a person attended: the sessions (from the door scans where the desk scanned at the doors, else the seat
held when the day began) and the hours."""

import datetime as dt

from sqlalchemy import ColumnElement, inspect, select
from sqlalchemy.orm import selectinload

from eventapp.checkin.models import CheckIn, SessionAttendance
from eventapp.events.models import AgendaItem, Event, Session
from eventapp.events.services import choice_slots
from eventapp.platform.db import DbSession
from eventapp.registration import day_seats
from eventapp.registration.choices import slot_choices
from eventapp.registration.models import Registration, RegistrationStatus


def scanned_slots(db_session: DbSession, event: Event) -> set[int]:
    """The choice slots at whose session doors the desk scanned: there the scans, not the choices, say who was in."""
    return set(
        db_session.scalars(
            select(Session.agenda_item_id)
            .join(SessionAttendance, SessionAttendance.session_id == Session.id)
            .join(AgendaItem, AgendaItem.id == Session.agenda_item_id)
            .where(AgendaItem.event_id == event.id)
            .distinct()
        )
    )


def attended_sessions(db_session: DbSession, registration: Registration) -> list[Session]:
    """Per choice slot, the session the person attended: the door they went through where doors were scanned,
    else the session they had a seat in when the day began (registration.day_seats). In the order of the day."""
    return attended_by_person(db_session, registration.event, [registration])[registration.id]


def attended_minutes(event: Event, sessions: list[Session]) -> int:
    """The plenary parts of the day and the slots of the sessions attended, in minutes."""
    attended_slots = {session.agenda_item_id for session in sessions}
    minutes = 0
    for item in event.agenda_items:
        if not item.is_choice or item.id in attended_slots:
            start = dt.datetime.combine(event.date, item.starts_at)
            minutes += int((dt.datetime.combine(event.date, item.ends_at) - start).total_seconds() // 60)
    return minutes


def has_arrived() -> ColumnElement[bool]:
    """A clause on Registration: the person was checked in for the day (the desks' one rule of "came")."""
    return select(CheckIn.id).where(CheckIn.registration_id == Registration.id).exists()


def attendees_of(db_session: DbSession, session: Session) -> set[int]:
    """The ids of the people who attended `session`, by the rule of attended_sessions (door scans, else the seat
    held when the day began), among those who came."""
    event = session.agenda_item.event
    came = list(
        db_session.scalars(
            select(Registration).where(
                Registration.event_id == event.id, Registration.status == RegistrationStatus.CONFIRMED, has_arrived()
            )
        )
    )
    attended = attended_by_person(db_session, event, came)
    return {person for person, sessions in attended.items() if session in sessions}


def is_checked_in(db_session: DbSession, registration: Registration) -> bool:
    return db_session.scalar(select(CheckIn.id).where(CheckIn.registration_id == registration.id)) is not None


def attended_by_person(
    db_session: DbSession, event: Event, registrations: list[Registration]
) -> dict[int, list[Session]]:
    """attended_sessions for many people of one event, in a few queries, not a few per person."""
    # Their choices in one query (the seat of a slot without door scans), not one lazy load per person.
    db_session.scalars(
        select(Registration)
        .where(Registration.id.in_([r.id for r in registrations if "choices" in inspect(r).unloaded]))
        .options(selectinload(Registration.choices))
    ).all()
    scanned = scanned_slots(db_session, event)
    sessions = {s.id: s for slot in choice_slots(event) for s in slot.sessions}
    doors: dict[int, dict[int, Session]] = {}
    rows = db_session.execute(
        select(SessionAttendance.registration_id, SessionAttendance.session_id)
        .where(SessionAttendance.registration_id.in_([r.id for r in registrations]))
        .order_by(SessionAttendance.admitted_at)
    )
    for registration_id, session_id in rows:
        if session_id in sessions:
            session = sessions[session_id]
            doors.setdefault(registration_id, {})[session.agenda_item_id] = session
    held = day_seats.held_at_start(db_session, [r.id for r in registrations]) if event.seats_frozen_at else {}
    attended: dict[int, list[Session]] = {}
    for registration in registrations:
        mine = []
        for slot in choice_slots(event):
            if slot.id in scanned:
                found = doors.get(registration.id, {}).get(slot.id)
            else:
                seat = _seat_of(registration, slot.id, held)
                found = sessions.get(seat) if seat is not None else None
            if found is not None:
                mine.append(found)
        attended[registration.id] = mine
    return attended


def _seat_of(registration: Registration, slot_id: int, held: dict[tuple[int, int], int]) -> int | None:
    """The seat written down at the start of the day (or given by the desk since), else the one held now
    (a walk-in's, or before the day)."""
    if (registration.id, slot_id) in held:
        return held[registration.id, slot_id]
    seat, _ = slot_choices(registration, slot_id)
    return seat.session_id if seat else None
