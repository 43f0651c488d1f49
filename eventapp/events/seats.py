"""Seats, decided by the database: the day's and each session's seat counter.

A seat is taken by one guarded statement (`... WHERE seats_taken < capacity`), so a seat is never
given twice even if a caller forgot the lock; `lock_event` serialises the seat changes of one event
(a row lock on PostgreSQL, where SQLite's write transaction already does it), so changes to one
event happen one after another and never deadlock on each other's session rows.
"""

import datetime as dt

from sqlalchemy import select, update

from eventapp.events.models import Event, Session
from eventapp.platform import signals
from eventapp.platform.db import DbSession, rowcount


class CapacityBelowSeatsTaken(Exception):
    """A capacity lower than the seats already taken."""

    def __init__(self, seats_taken: int):
        super().__init__(f"{seats_taken} seats are taken")
        self.seats_taken = seats_taken


def lock_event(db_session: DbSession, event_id: int) -> None:
    """Serialise seat changes of one event (a row lock on PostgreSQL; SQLite's writer lock is already held).

    FOR NO KEY UPDATE: seat changes (registrations, cancellations, promotions, the allocation, the door) wait
    for one another, but arrivals, whose `share_event_lock` and foreign keys take FOR KEY SHARE, do not wait
    for them: a registration rush never queues the desks. Only the release excludes arrivals
    (`lock_event_against_arrivals`).
    """
    db_session.execute(select(Event.id).where(Event.id == event_id).with_for_update(key_share=True))
    # Rows read before the lock may be stale; read them again from here on.
    db_session.expire_all()


def lock_event_against_arrivals(db_session: DbSession, event_id: int) -> None:
    """`lock_event`, and no arrival meanwhile: for the release, which decides from who has arrived whose seats
    to free. FOR UPDATE conflicts with the arrivals' FOR KEY SHARE (and with every other seat change)."""
    db_session.execute(select(Event.id).where(Event.id == event_id).with_for_update())
    db_session.expire_all()


def share_event_lock(db_session: DbSession, event_id: int) -> None:
    """Wait for a release under way (`lock_event_against_arrivals`), without excluding the other sharers.

    For arrivals: a desk that records someone's arrival must not do so while a release decides
    whose seats to free, or the release misses the arrival (and the desk the release). FOR KEY
    SHARE conflicts with the release's FOR UPDATE only, so desks wait neither for one another nor for
    registrations (which hold FOR NO KEY UPDATE).
    """
    db_session.execute(select(Event.id).where(Event.id == event_id).with_for_update(read=True, key_share=True))


def take_seat(db_session: DbSession, session_id: int) -> bool:
    return _guarded_increment(db_session, Session, session_id)


def release_seat(db_session: DbSession, session_id: int) -> None:
    _guarded_decrement(db_session, Session, session_id)


def take_day_seat(db_session: DbSession, event_id: int) -> bool:
    return _guarded_increment(db_session, Event, event_id)


def release_day_seat(db_session: DbSession, event_id: int) -> None:
    _guarded_decrement(db_session, Event, event_id)


def _guarded_increment(db_session: DbSession, model: type[Event] | type[Session], row_id: int) -> bool:
    """Take a seat if one is free, in one statement: the database decides, not a read in Python."""
    result = db_session.execute(
        update(model)
        .where(model.id == row_id, model.seats_taken < model.capacity)
        .values(seats_taken=model.seats_taken + 1)
        .execution_options(synchronize_session=False)
    )
    return rowcount(result) == 1


def force_seat(db_session: DbSession, session_id: int) -> bool:
    """Take a session seat whether or not one is free: only for an organiser's deliberate overbooking."""
    return _forced_increment(db_session, Session, session_id)


def force_day_seat(db_session: DbSession, event_id: int) -> bool:
    """Take a day seat whether or not one is free: only for an organiser's deliberate admission."""
    return _forced_increment(db_session, Event, event_id)


def _forced_increment(db_session: DbSession, model: type[Event] | type[Session], row_id: int) -> bool:
    db_session.execute(
        update(model)
        .where(model.id == row_id)
        .values(seats_taken=model.seats_taken + 1)
        .execution_options(synchronize_session=False)
    )
    return True


def _guarded_decrement(db_session: DbSession, model: type[Event] | type[Session], row_id: int) -> None:
    db_session.execute(
        update(model)
        .where(model.id == row_id, model.seats_taken > 0)
        .values(seats_taken=model.seats_taken - 1)
        .execution_options(synchronize_session=False)
    )


def set_capacity(db_session: DbSession, row: Event | Session, capacity: int) -> None:
    """Set a capacity unless it is below the seats taken, in one guarded statement."""
    model = type(row)
    changed = db_session.execute(
        update(model)
        .where(model.id == row.id, model.seats_taken <= capacity)
        .values(capacity=capacity)
        .execution_options(synchronize_session=False)
    )
    if rowcount(changed) != 1:
        raise CapacityBelowSeatsTaken(row.seats_taken)
    db_session.expire(row)  # the statement changed the row behind the object's back


def change_capacity(db_session: DbSession, row: Event | Session, capacity: int, now: dt.datetime) -> None:
    """Change the day's or a session's seats under the event's lock; refused below the seats taken.

    Seats that become free are announced (`seats_added`), so that the people waiting get them in
    the same transaction: the waitlists are the registration area's, which listens.
    """
    event_id = row.id if isinstance(row, Event) else row.agenda_item.event_id
    lock_event(db_session, event_id)
    before = row.capacity
    set_capacity(db_session, row, capacity)
    if capacity > before:
        session_ids = [row.id] if isinstance(row, Session) else []
        signals.seats_added.send(row, db_session=db_session, event_id=event_id, session_ids=session_ids, now=now)
