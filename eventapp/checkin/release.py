"""Seats of no-shows go to the people at the door.

At each choice slot's release moment (shortly before it starts) the seats of confirmed people who
have not checked in for the day are released: their choice becomes RELEASED and they keep their
registration. The seats go to the people present: first those checked in and waiting for that
session, in waitlist order; then walk-ins on the session's standby list (a walk-in registered at
the desk waits as standby for a full session). At the end of walk-in the day seats of no-shows are
released too, so that walk-ins find a place.

The same plan serves the preview (the dashboard, `--dry-run`), which changes nothing, and the
release, which applies it under the event's lock through the guarded seat UPDATEs: two app
servers releasing at once give every seat once, the second finds nothing left to do.
"""

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select

from eventapp.checkin.models import CheckIn
from eventapp.events.models import AgendaItem, Event, Session
from eventapp.events.phases import Action, allows, event_phase
from eventapp.events.seats import (
    force_day_seat,
    lock_event,
    lock_event_against_arrivals,
    release_day_seat,
    release_seat,
    take_day_seat,
    take_seat,
)
from eventapp.events.services import choice_slots
from eventapp.platform.db import DbSession
from eventapp.platform.i18n import text_in
from eventapp.platform.mail import outbox
from eventapp.registration import day_seats
from eventapp.registration.choices import calendar_changed, remove_choices, slot_choices
from eventapp.registration.models import Choice, Registration, RegistrationMail, RegistrationStatus
from eventapp.registration.waitlists import notify_promotions

# What `walk_in` records as a walk-in's consent: registered at the desk, on the day.
WALK_IN_CONSENT = "desk"


@dataclass
class SessionPlan:
    """One session's part of a release: whose seats are released, who is seated, in order."""

    session: Session
    released: list[Choice] = field(default_factory=list)
    seated: list[Choice] = field(default_factory=list)  # waiting choices that get a seat, first first


@dataclass
class Plan:
    """What a release does (or did): per session, and the day seats of no-shows."""

    sessions: list[SessionPlan] = field(default_factory=list)
    day_released: list[Registration] = field(default_factory=list)
    slot_ids: list[int] = field(default_factory=list)
    includes_day: bool = False

    @property
    def released(self) -> int:
        return sum(len(part.released) for part in self.sessions)

    @property
    def seated(self) -> int:
        return sum(len(part.seated) for part in self.sessions)

    def as_json(self, language: str) -> dict:
        """The command's `--json`: totals, and per session title in `language` (sessions of one title add up)."""
        sessions: dict[str, dict[str, int]] = {}
        for part in self.sessions:
            figures = sessions.setdefault(text_in(part.session, "title", language), {"released": 0, "seated": 0})
            figures["released"] += len(part.released)
            figures["seated"] += len(part.seated)
        return {"released": self.released, "seated": self.seated, "sessions": sessions}


# --- when ---------------------------------------------------------------------------------------


def release_moment(event: Event, slot: AgendaItem, minutes_before: int) -> dt.datetime:
    """When a choice slot's no-show seats are released: `minutes_before` its start."""
    return event.local_datetime(slot.starts_at) - dt.timedelta(minutes=minutes_before)


def walk_in_ends_at(event: Event) -> dt.datetime | None:
    """When walk-in ends: the end of the day's opening plenary item (the walk-in), else when the program starts."""
    if not event.agenda_items:
        return None
    first = event.agenda_items[0]
    return event.local_datetime(first.starts_at if first.is_choice else first.ends_at)


def due(event: Event, now: dt.datetime, minutes_before: int) -> tuple[list[AgendaItem], bool]:
    """The slots whose release moment has passed and that were not released yet, and whether the day's is due."""
    slots = [
        slot
        for slot in choice_slots(event)
        if slot.seats_released_at is None and release_moment(event, slot, minutes_before) <= now
    ]
    day_end = walk_in_ends_at(event)
    day_due = event.day_seats_released_at is None and day_end is not None and day_end <= now
    return slots, day_due


# --- the plan -------------------------------------------------------------------------------------


def plan(db_session: DbSession, event: Event, slots: list[AgendaItem], include_day: bool) -> Plan:
    """Who loses their seat and who gets one, without changing anything."""
    present = set(db_session.scalars(select(CheckIn.registration_id).where(CheckIn.event_id == event.id)))
    result = Plan(slot_ids=[slot.id for slot in slots], includes_day=include_day)
    for slot in slots:
        result.sessions += _plan_slot(db_session, slot, present)
    if include_day:
        result.day_released = list(
            db_session.scalars(
                select(Registration)
                .where(
                    Registration.event_id == event.id,
                    Registration.status == RegistrationStatus.CONFIRMED,
                    Registration.day_seat_released_at.is_(None),
                    Registration.id.not_in(present),
                )
                .order_by(Registration.id)
            )
        )
    return result


def _plan_slot(db_session: DbSession, slot: AgendaItem, present: set[int]) -> list[SessionPlan]:
    """Release the seats of the absent, then seat the present waiting, best first, until no seat moves.

    A present person seated in the session they waited for frees their old seat in the slot, which
    may seat the next person in turn; hence rounds until nothing changes.
    """
    choices = list(
        db_session.scalars(
            select(Choice)
            .join(Registration)
            .where(Choice.agenda_item_id == slot.id, Registration.status == RegistrationStatus.CONFIRMED)
        )
    )
    parts = {session.id: SessionPlan(session) for session in slot.sessions}
    free = {session.id: session.capacity - session.seats_taken for session in slot.sessions}
    seat_of = {c.registration_id: c for c in choices if c.status == RegistrationStatus.CONFIRMED}
    for choice in seat_of.values():
        if choice.registration_id not in present:
            parts[choice.session_id].released.append(choice)
            free[choice.session_id] += 1
    waiting = sorted(
        (c for c in choices if c.status == RegistrationStatus.WAITLISTED and c.registration_id in present),
        key=standby_order,
    )
    moved = True
    while moved:
        moved = False
        for choice in waiting:
            if free[choice.session_id] > 0:
                free[choice.session_id] -= 1
                parts[choice.session_id].seated.append(choice)
                old = seat_of.get(choice.registration_id)
                if old is not None:
                    free[old.session_id] += 1
                waiting.remove(choice)
                moved = True
                break
    return [parts[session.id] for session in slot.sessions]


def standby_order(choice: Choice) -> tuple:
    """People who registered before the day first, in waitlist order; then walk-ins, in the order they came."""
    return (choice.registration.consent_version == WALK_IN_CONSENT, choice.waitlisted_at, choice.id)


# --- the release ------------------------------------------------------------------------------------


def release(
    db_session: DbSession, event: Event, now: dt.datetime, slot_ids: list[int] | None = None, include_day: bool = True
) -> Plan:
    """Release the no-show seats of the slots (all choice slots unless `slot_ids`) and seat the people present.

    Runs under the event's lock and plans again there, so a release that another server has just
    made leaves nothing to do. Seated people are mailed their new program with a new invitation.
    """
    lock_event_against_arrivals(db_session, event.id)
    slots = [slot for slot in choice_slots(event) if slot_ids is None or slot.id in slot_ids]
    done = plan(db_session, event, slots, include_day)
    for part in done.sessions:
        for choice in part.released:
            choice.status = RegistrationStatus.RELEASED
            day_seats.settle(db_session, choice.registration, choice.agenda_item_id, None, now)
            calendar_changed(choice.registration)
            db_session.flush()
            release_seat(db_session, choice.session_id)
    seated = [choice for part in done.sessions for choice in part.seated if _seat(db_session, choice, now)]
    for registration in done.day_released:
        registration.day_seat_released_at = now
        release_day_seat(db_session, event.id)
    for slot in slots:
        slot.seats_released_at = now
    if include_day:
        event.day_seats_released_at = now
    db_session.flush()
    notify_promotions(db_session, [], seated, now)
    return done


def _seat(db_session: DbSession, choice: Choice, now: dt.datetime) -> bool:
    """Give a waiting choice its seat (the guarded UPDATE decides); the person's old seat in the slot is freed."""
    if not take_seat(db_session, choice.session_id):
        return False
    registration = choice.registration
    old = next(
        (
            c
            for c in registration.choices
            if c.agenda_item_id == choice.agenda_item_id and c.status == RegistrationStatus.CONFIRMED
        ),
        None,
    )
    if old is not None:
        remove_choices(db_session, registration, old)
        release_seat(db_session, old.session_id)
    choice.status, choice.waitlisted_at, choice.seated_from_door_at = RegistrationStatus.CONFIRMED, None, now
    day_seats.settle(db_session, registration, choice.agenda_item_id, choice.session_id, now)
    calendar_changed(registration)
    db_session.flush()
    return True


def preview(db_session: DbSession, event: Event) -> Plan:
    """What releasing now would do: the slots (and day seats) not released yet."""
    slots = [slot for slot in choice_slots(event) if slot.seats_released_at is None]
    return plan(db_session, event, slots, include_day=event.day_seats_released_at is None)


def release_due(db_session: DbSession, now: dt.datetime, minutes_before: int) -> dict[str, Plan]:
    """Release every slot (and day) of today's events whose moment has passed and was not released yet.

    Returns the plans by event slug. The caller commits.
    """
    results = {}
    around = (now.date() - dt.timedelta(days=1), now.date() + dt.timedelta(days=1))
    for event in db_session.scalars(select(Event).where(Event.date.between(*around)).order_by(Event.id)):
        if not allows(event_phase(event, now), Action.RELEASE_SEATS):
            continue  # not the day where the event is
        slots, day_due = due(event, now, minutes_before)
        if slots or day_due:
            results[event.slug] = release(db_session, event, now, [slot.id for slot in slots], include_day=day_due)
    return results


# --- at the desk ----------------------------------------------------------------------------------------


def door_places(db_session: DbSession, registration: Registration) -> list[tuple[Session, int]]:
    """For a present person: each session they wait for, and their number among the people at the door for it."""
    present = select(CheckIn.registration_id).where(CheckIn.event_id == registration.event_id)
    places = []
    for choice in registration.choices:
        if choice.status != RegistrationStatus.WAITLISTED:
            continue
        line = db_session.scalars(
            select(Choice)
            .join(Registration)
            .where(
                Choice.session_id == choice.session_id,
                Choice.status == RegistrationStatus.WAITLISTED,
                Registration.status == RegistrationStatus.CONFIRMED,
                Registration.id.in_(present),
            )
        ).all()
        places.append((choice.session, sorted(line, key=standby_order).index(choice) + 1))
    return places


def reclaim_day_seat(db_session: DbSession, registration: Registration) -> None:
    """A registered person whose day seat was released arrives after all: they are in, seat free or not."""
    if registration.day_seat_released_at is None:
        return
    if not take_day_seat(db_session, registration.event_id):
        force_day_seat(db_session, registration.event_id)
    registration.day_seat_released_at = None
    db_session.flush()


def reclaim_released_seats(db_session: DbSession, registration: Registration, now: dt.datetime) -> None:
    """A person whose session seats were released arrives: a seat still free is theirs again (the guarded UPDATE).

    A seat that went to someone at the door stays theirs; the desk then offers the sessions with room.
    """
    for choice in released_seats(registration):
        seated, _waiting = slot_choices(registration, choice.agenda_item_id)
        if seated is None and take_seat(db_session, choice.session_id):
            choice.status = RegistrationStatus.CONFIRMED
            day_seats.settle(db_session, registration, choice.agenda_item_id, choice.session_id, now)
            calendar_changed(registration)
            db_session.flush()


def released_seats(registration: Registration) -> list[Choice]:
    """The person's seats that went to others while they had not come."""
    return [choice for choice in registration.choices if choice.status == RegistrationStatus.RELEASED]


def sessions_with_room(registration: Registration) -> list[Session]:
    """For each slot whose seat was released: the sessions of that slot with a free seat now."""
    slots = {choice.agenda_item_id: choice.agenda_item for choice in released_seats(registration)}
    return [session for slot in slots.values() for session in slot.sessions if session.seats_left > 0]


class NoRoom(Exception):
    """The session has no free seat (any more) for a latecomer."""


def seat_latecomer(db_session: DbSession, registration: Registration, session_id: int, now: dt.datetime) -> Session:
    """One tap at the desk: a latecomer whose seat was released takes a free seat in a session of that slot.

    They get their new program by mail, with the invitation updated."""
    lock_event(db_session, registration.event_id)
    session = db_session.get(Session, session_id)
    released = {choice.agenda_item_id: choice for choice in released_seats(registration)}
    if session is None or session.agenda_item_id not in released:
        raise NoRoom()
    if not take_seat(db_session, session.id):
        raise NoRoom()
    remove_choices(db_session, registration, released[session.agenda_item_id])
    day_seats.settle(db_session, registration, session.agenda_item_id, session.id, now)
    waiting = [c for c in registration.choices if c.session_id == session.id]
    remove_choices(db_session, registration, *waiting)  # a place in line for the same session is no longer needed
    db_session.add(
        Choice(
            registration_id=registration.id,
            agenda_item_id=session.agenda_item_id,
            session_id=session.id,
            status=RegistrationStatus.CONFIRMED,
            created_at=now,
        )
    )
    calendar_changed(registration)
    db_session.flush()
    db_session.refresh(registration, ["choices"])
    outbox.enqueue(db_session, RegistrationMail.CHOICE_CHANGED, registration, now, session_id=session.id)
    return session
