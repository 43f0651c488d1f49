"""The waitlists: the day's and each session's line, first come first served, and who moves up when seats free.

Every function that moves seats runs under the event's lock (events/seats.py); functions flush,
the caller commits, which also commits the messages they put in the outbox.
"""

import datetime as dt

from sqlalchemy import ColumnElement, Select, func, select

from eventapp.events.models import Event, Session
from eventapp.events.seats import force_day_seat, lock_event, release_seat, take_day_seat, take_seat
from eventapp.platform import signals
from eventapp.platform.db import DbSession
from eventapp.platform.mail import outbox
from eventapp.registration import fallbacks
from eventapp.registration.choices import calendar_changed, new_choice, remove_choices, slot_choices
from eventapp.registration.models import Choice, Registration, RegistrationMail, RegistrationStatus


def serve_the_waiting(
    _row: Event | Session, db_session: DbSession, event_id: int, session_ids: list[int], now: dt.datetime
) -> None:
    """Seats were added (events/seats.py `change_capacity`): the first in line get them, and are told."""
    if session_ids:
        notify_promotions(db_session, [], fill_sessions(db_session, session_ids), now)
    else:
        notify_promotions(db_session, fill_day(db_session, event_id, now), [], now)


def connect_signals() -> None:
    """Listen for seats the organiser adds (the app factory calls this)."""
    signals.seats_added.connect(serve_the_waiting)


def in_line() -> ColumnElement[bool]:
    """Who the day's waitlist admits: not a released unclaimed hold until its holder opens the link (holds.py)."""
    return Registration.hold_released_at.is_(None) | Registration.claimed_at.is_not(None)


def day_line(event_id: int) -> Select[Registration]:
    """The day's waitlist in its order: first come, first served, among those in line (`in_line`)."""
    return (
        select(Registration)
        .where(Registration.event_id == event_id, Registration.status == RegistrationStatus.WAITLISTED, in_line())
        .order_by(Registration.waitlisted_at, Registration.id)
    )


def not_yet_in_line(event_id: int) -> Select[Registration]:
    """On the day's waitlist but not in its line: a released hold whose holder has not opened the link yet."""
    return (
        select(Registration)
        .where(Registration.event_id == event_id, Registration.status == RegistrationStatus.WAITLISTED, ~in_line())
        .order_by(Registration.waitlisted_at, Registration.id)
    )


def session_line(session_id: int) -> Select[Choice]:
    """A session's line in its order: the waiting choices of people admitted to the day, first come first served."""
    return (
        select(Choice)
        .join(Registration)
        .where(
            Choice.session_id == session_id,
            Choice.status == RegistrationStatus.WAITLISTED,
            Registration.status == RegistrationStatus.CONFIRMED,
        )
        .order_by(Choice.waitlisted_at, Choice.id)
    )


def fill_day(db_session: DbSession, event_id: int, now: dt.datetime) -> list[Registration]:
    """Admit people from the day's waitlist, first come first served, while day seats are free.

    An admitted person's session wishes then take a seat, or join that session's line from now.
    """
    admitted = []
    while True:
        waiter = db_session.scalar(day_line(event_id).limit(1).execution_options(populate_existing=True))
        if waiter is None or not take_day_seat(db_session, event_id):
            break
        _seat_wishes(db_session, waiter, now)
        admitted.append(waiter)
    return admitted


def admit_to_day(db_session: DbSession, registration: Registration, now: dt.datetime) -> None:
    """An organiser admits someone from the day's waitlist by hand, over the day's capacity if need be."""
    lock_event(db_session, registration.event_id)
    if registration.status != RegistrationStatus.WAITLISTED:
        return
    if not take_day_seat(db_session, registration.event_id):
        force_day_seat(db_session, registration.event_id)
    if registration.claimed_at is None:  # the organiser chose this person: their seat is not released (holds.py)
        registration.claimed_at = now
    _seat_wishes(db_session, registration, now)
    notify_promotions(db_session, [registration], [], now)


def _seat_wishes(db_session: DbSession, registration: Registration, now: dt.datetime) -> None:
    """A person admitted to the day: each wish takes a seat, or joins that session's line from now, sitting in
    their second choice meanwhile where it has a seat (fallbacks.py)."""
    registration.status, registration.waitlisted_at = RegistrationStatus.CONFIRMED, None
    registration.held_since = now  # a new hold: the person gets the full time to open the mail about it
    calendar_changed(registration)
    seconds = fallbacks.second_choices(db_session, registration)
    for choice in list(registration.choices):
        if take_seat(db_session, choice.session_id):
            choice.status, choice.waitlisted_at = RegistrationStatus.CONFIRMED, None
            continue
        choice.waitlisted_at = now
        second = seconds.get(choice.agenda_item_id)
        if second is not None and take_seat(db_session, second.id):
            registration.choices.append(new_choice(registration, second, RegistrationStatus.CONFIRMED, now))
    db_session.flush()


def fill_sessions(db_session: DbSession, session_ids: list[int]) -> list[Choice]:
    """Give free seats to the first in line; a promoted person's old seat in the slot is freed in turn."""
    promoted = []
    pending = list(session_ids)
    while pending:
        session_id = pending.pop(0)
        while True:
            waiter = _first_in_line(db_session, session_id)
            if waiter is None or not take_seat(db_session, session_id):
                break
            registration = waiter.registration
            old, _ = slot_choices(registration, waiter.agenda_item_id)
            if old is not None:
                remove_choices(db_session, registration, old)
                release_seat(db_session, old.session_id)
                pending.append(old.session_id)
            waiter.status, waiter.waitlisted_at = RegistrationStatus.CONFIRMED, None
            calendar_changed(registration)
            db_session.flush()
            promoted.append(waiter)
    return promoted


def _first_in_line(db_session: DbSession, session_id: int) -> Choice | None:
    """The earliest waiting choice for a session among people admitted to the day."""
    return db_session.scalar(session_line(session_id).limit(1).execution_options(populate_existing=True))


def place_in_line(db_session: DbSession, choice: Choice) -> int:
    """1 for the first person waiting for the choice's session, and so on."""
    ahead = db_session.scalars(
        select(func.count())
        .select_from(Choice)
        .join(Registration)
        .where(
            Choice.session_id == choice.session_id,
            Choice.status == RegistrationStatus.WAITLISTED,
            Registration.status == RegistrationStatus.CONFIRMED,
            (Choice.waitlisted_at < choice.waitlisted_at)
            | ((Choice.waitlisted_at == choice.waitlisted_at) & (Choice.id < choice.id)),
        )
    ).one()
    return ahead + 1


def day_place_in_line(db_session: DbSession, registration: Registration) -> int:
    """1 for the first person on the day's waitlist, and so on."""
    ahead = db_session.scalars(
        select(func.count())
        .select_from(Registration)
        .where(
            Registration.event_id == registration.event_id,
            Registration.status == RegistrationStatus.WAITLISTED,
            in_line(),
            (Registration.waitlisted_at < registration.waitlisted_at)
            | ((Registration.waitlisted_at == registration.waitlisted_at) & (Registration.id < registration.id)),
        )
    ).one()
    return ahead + 1


def notify_promotions(
    db_session: DbSession, admitted: list[Registration], promoted: list[Choice], now: dt.datetime
) -> None:
    for registration in admitted:
        outbox.enqueue(db_session, RegistrationMail.PROMOTED, registration, now, day=True)
    for choice in promoted:
        outbox.enqueue(db_session, RegistrationMail.PROMOTED, choice.registration, now, session_id=choice.session_id)
