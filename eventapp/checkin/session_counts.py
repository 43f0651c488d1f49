"""The desk's figures per session of a day, in a few queries: the one place they are counted, for the organiser's
dashboard and its live numbers as for anyone else who shows them."""

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import func, select

from eventapp.checkin.models import CheckIn, SessionAttendance
from eventapp.events.models import AgendaItem, Event, Session
from eventapp.platform.db import DbSession
from eventapp.registration.models import Choice, Registration, RegistrationStatus


@dataclass
class SessionCounts:
    waiting: int = 0  # people admitted to the day in the session's line
    checked_in: int = 0  # of the people with a seat, how many arrived at the day
    attended: int = 0  # through the session's door
    released: int = 0  # seats of people who had not come, given up at the release moment
    seated_from_door: int = 0  # people at the door who got a released (or free) seat
    waiting_at_door: int = 0  # checked in and waiting for this session (registered or on standby)
    standing: int = 0  # admitted at the door beyond the seats (confirmed twice by the door staff)


def session_counts(db_session: DbSession, event: Event) -> defaultdict[int, SessionCounts]:
    """Per session id of `event` (a session nobody is counted in gets zeros)."""
    counts: defaultdict[int, SessionCounts] = defaultdict(SessionCounts)
    for session_id, number in _waiting(db_session, event):
        counts[session_id].waiting = number
    for session_id, number in _seated_and_arrived(db_session, event):
        counts[session_id].checked_in = number
    for session_id, standing, number in _through_the_door(db_session, event):
        counts[session_id].attended += number
        counts[session_id].standing += number if standing else 0
    _at_the_door(db_session, event, counts)
    return counts


def _confirmed_choices(event: Event, status: RegistrationStatus):
    return (
        select(Choice.session_id, func.count())
        .join(Registration)
        .where(
            Registration.event_id == event.id,
            Registration.status == RegistrationStatus.CONFIRMED,
            Choice.status == status,
        )
        .group_by(Choice.session_id)
    )


def _waiting(db_session: DbSession, event: Event):
    return db_session.execute(_confirmed_choices(event, RegistrationStatus.WAITLISTED)).all()


def _seated_and_arrived(db_session: DbSession, event: Event):
    return db_session.execute(
        select(Choice.session_id, func.count())
        .join(CheckIn, CheckIn.registration_id == Choice.registration_id)
        .where(CheckIn.event_id == event.id, Choice.status == RegistrationStatus.CONFIRMED)
        .group_by(Choice.session_id)
    ).all()


def _through_the_door(db_session: DbSession, event: Event):
    return db_session.execute(
        select(SessionAttendance.session_id, SessionAttendance.over_capacity, func.count())
        .join(Session)
        .join(AgendaItem)
        .where(AgendaItem.event_id == event.id)
        .group_by(SessionAttendance.session_id, SessionAttendance.over_capacity)
    ).all()


def _at_the_door(db_session: DbSession, event: Event, counts: defaultdict[int, SessionCounts]) -> None:
    """Seats released, people seated from the door, and people waiting at the door now."""
    present = select(CheckIn.registration_id).where(CheckIn.event_id == event.id)
    rows = db_session.execute(
        select(Choice.session_id, Choice.status, Choice.seated_from_door_at.is_not(None))
        .join(Registration)
        .where(Registration.event_id == event.id, Registration.status == RegistrationStatus.CONFIRMED)
        .where(
            (Choice.status == RegistrationStatus.RELEASED)
            | Choice.seated_from_door_at.is_not(None)
            | ((Choice.status == RegistrationStatus.WAITLISTED) & Registration.id.in_(present))
        )
    ).all()
    for session_id, status, from_door in rows:
        if status == RegistrationStatus.RELEASED:
            counts[session_id].released += 1
        elif from_door:
            counts[session_id].seated_from_door += 1
        else:
            counts[session_id].waiting_at_door += 1
