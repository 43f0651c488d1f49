"""Allocating an event's session seats from the rankings, through the seat rules; switching an event's mode.

`switch_mode` is the organiser's and the command's switch: a first-come day whose people hold session seats
starts its round of rankings from those seats (conversion.py), and a day whose people ranked stays in
preference mode until the allocation.

`plan` reads the rankings and solves (nothing changes: the preview and `--dry-run`); `run` applies a plan
under the event's lock with the guarded seat statements of events/seats.py, puts the people who could not
be placed on the waitlist of their first choice, tells each person their sessions in one mail (with the
updated calendar invitation) and records the run. Functions flush; the caller commits.
"""

import datetime as dt
import random
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import select

from eventapp.allocation import conversion, solver
from eventapp.allocation.models import AllocationRun
from eventapp.events.models import AllocationMode, Event, Session
from eventapp.events.seats import lock_event, take_seat
from eventapp.events.services import choice_slots
from eventapp.platform.db import DbSession
from eventapp.platform.mail import outbox
from eventapp.registration.choices import calendar_changed, new_choice, slot_choices
from eventapp.registration.models import Registration, RegistrationMail, RegistrationStatus
from eventapp.registration.preferences import Preference


class AllocationError(Exception):
    """An allocation or a change of mode that the rules refuse."""


class SwitchBackRefused(AllocationError):
    """Back to first come while people have ranked: they would be left without sessions; allocate instead."""


@dataclass
class Plan:
    """A solved allocation with what it was solved from, and its figures."""

    event: Event
    seed: int
    max_type_share: float
    registrations: dict[int, Registration]
    rankings: dict[int, dict[int, list[int]]]  # registration id -> slot id -> session ids, best first
    sessions: dict[int, Session]
    allocation: solver.Allocation

    def figures(self) -> dict:
        """What `flask allocate --json` prints; sessions by their English title, in the order of the day."""
        by_rank = self.allocation.by_rank()
        kinds = {registration.id: str(registration.organisation_type) for registration in self.registrations.values()}
        mix = self.allocation.kinds_per_session(kinds)
        return {
            "people": len(self.registrations),
            "assigned": len(self.allocation.placed),
            "by_rank": {str(rank): by_rank.get(rank, 0) for rank in (1, 2, 3)},
            "unassigned": len(self.allocation.unplaced),
            "sessions": {
                session.title_en: {
                    "seats": session.capacity,
                    "assigned": sum(mix[session.id].values()),
                    "max_type_share": max_share(mix[session.id]),
                }
                for session in self.sessions.values()
            },
        }

    def mix(self) -> dict[int, Counter]:
        """session id -> kinds of organisation placed there."""
        kinds = {registration.id: str(registration.organisation_type) for registration in self.registrations.values()}
        return self.allocation.kinds_per_session(kinds)


def max_share(kinds: Counter) -> float:
    """The largest kind's share of the people counted (0.0 for nobody), rounded to three decimals."""
    total = sum(kinds.values())
    return round(max(kinds.values()) / total, 3) if total else 0.0


def set_mode(event: Event, mode: str, deadline: dt.datetime | None) -> None:
    """Switch how the event hands out session seats; preference mode needs a deadline and starts a new round."""
    mode = AllocationMode(mode)
    if mode == AllocationMode.PREFERENCES:
        deadline = deadline or event.preferences_deadline
        if deadline is None:
            raise AllocationError("preference mode needs a deadline")
        if event.allocation_mode != AllocationMode.PREFERENCES:
            event.allocated_at = None  # a new round: rankings are collected again until the deadline
        event.preferences_deadline = deadline
    elif deadline is not None:
        raise AllocationError("a deadline belongs to preference mode")
    event.allocation_mode = mode


def switch_mode(
    db_session: DbSession, event: Event, mode: str, deadline: dt.datetime | None, now: dt.datetime
) -> list[Registration]:
    """Switch under the event's lock; returns the people whose session seats became their first choices.

    Starting a round of rankings on a day whose people hold session seats gives those seats up: the
    allocation at the deadline hands out all of them again. Back to first come is refused once people
    have ranked (before the allocation): their seats are the allocation's to give.
    """
    lock_event(db_session, event.id)
    new_round = AllocationMode(mode) == AllocationMode.PREFERENCES and event.allocation_mode != mode
    if AllocationMode(mode) == AllocationMode.FIRST_COME and event.collects_preferences:
        if conversion.anyone_ranked(db_session, event):
            raise SwitchBackRefused("people have ranked sessions: allocate the seats instead")
    set_mode(event, mode, deadline)
    return conversion.seats_to_rankings(db_session, event, now) if new_round else []


def plan(db_session: DbSession, event: Event, seed: int, max_type_share: float = solver.DEFAULT_MAX_TYPE_SHARE) -> Plan:
    """Solve the allocation of the event's rankings now; changes nothing.

    People placed are those admitted to the day who ranked sessions, in each slot where they hold no seat yet;
    the seats are the sessions' free seats.
    """
    slots = choice_slots(event)
    sessions = {session.id: session for slot in slots for session in slot.sessions}
    rows = db_session.execute(
        select(Registration, Preference)
        .join(Preference, Preference.registration_id == Registration.id)
        .where(Registration.event_id == event.id, Registration.status == RegistrationStatus.CONFIRMED)
        .order_by(Registration.id, Preference.agenda_item_id, Preference.rank)
    ).all()
    registrations: dict[int, Registration] = {}
    rankings: dict[int, dict[int, list[int]]] = {}
    for registration, preference in rows:
        if slot_choices(registration, preference.agenda_item_id)[0] is not None:
            continue  # already seated in that slot (e.g. before the event switched mode)
        registrations[registration.id] = registration
        rankings.setdefault(registration.id, {}).setdefault(preference.agenda_item_id, []).append(preference.session_id)
    people = [
        solver.Person(registration.id, str(registration.organisation_type), rankings[registration.id])
        for registration in registrations.values()
    ]
    seats = [
        solver.SessionSeats(session.id, session.agenda_item_id, session.seats_left) for session in sessions.values()
    ]
    allocation = solver.allocate(people, seats, max_type_share, seed)
    return Plan(event, seed, max_type_share, registrations, rankings, sessions, allocation)


def run(
    db_session: DbSession,
    event: Event,
    seed: int,
    now: dt.datetime,
    max_type_share: float = solver.DEFAULT_MAX_TYPE_SHARE,
) -> Plan:
    """Allocate under the event's lock, seat by seat through the guarded statements; one mail per person."""
    lock_event(db_session, event.id)
    if event.allocation_mode != AllocationMode.PREFERENCES or event.allocated_at is not None:
        raise AllocationError("the event has no rankings waiting for an allocation")
    result = plan(db_session, event, seed, max_type_share)
    for (registration_id, _slot), (session_id, _rank) in sorted(result.allocation.placed.items()):
        registration = result.registrations[registration_id]
        status = RegistrationStatus.CONFIRMED if take_seat(db_session, session_id) else RegistrationStatus.WAITLISTED
        registration.choices.append(new_choice(registration, result.sessions[session_id], status, now))
    _queue_the_unplaced(result, random.Random(seed), now)
    _wishes_of_the_waiting(db_session, event, now)
    event.allocated_at = now
    db_session.flush()
    for registration in result.registrations.values():
        calendar_changed(registration)
        outbox.enqueue(db_session, RegistrationMail.CHOICE_CHANGED, registration, now, allocated=True)
    db_session.add(
        AllocationRun(
            event_id=event.id, seed=seed, max_type_share=result.max_type_share, figures=result.figures(), ran_at=now
        )
    )
    db_session.flush()
    return result


def _queue_the_unplaced(result: Plan, lottery: random.Random, now: dt.datetime) -> None:
    """People without a seat wait for their first choice, in the order of the seeded lottery."""
    unplaced = sorted(result.allocation.unplaced)
    lottery.shuffle(unplaced)
    for place, (registration_id, slot_id) in enumerate(unplaced):
        registration = result.registrations[registration_id]
        first = result.rankings[registration_id][slot_id][0]
        # Microseconds apart, so the line keeps the lottery's order (place in line reads waitlisted_at, then id).
        waiting_since = now + dt.timedelta(microseconds=place)
        registration.choices.append(
            new_choice(registration, result.sessions[first], RegistrationStatus.WAITLISTED, waiting_since)
        )


def _wishes_of_the_waiting(db_session: DbSession, event: Event, now: dt.datetime) -> None:
    """People on the day's waitlist keep their first choices as wishes: admitted later, they take a seat or wait."""
    rows = db_session.execute(
        select(Registration, Preference)
        .join(Preference, Preference.registration_id == Registration.id)
        .where(
            Registration.event_id == event.id,
            Registration.status == RegistrationStatus.WAITLISTED,
            Preference.rank == 1,
        )
        .order_by(Registration.id)
    ).all()
    for registration, preference in rows:
        if not any(choice.agenda_item_id == preference.agenda_item_id for choice in registration.choices):
            session = db_session.get_one(Session, preference.session_id)
            registration.choices.append(new_choice(registration, session, RegistrationStatus.WAITLISTED, now))


def due_events(db_session: DbSession, now: dt.datetime) -> list[Event]:
    """Events in preference mode whose deadline has passed and that were not allocated yet."""
    return list(
        db_session.scalars(
            select(Event)
            .where(
                Event.allocation_mode == AllocationMode.PREFERENCES,
                Event.allocated_at.is_(None),
                Event.preferences_deadline <= now,
            )
            .order_by(Event.preferences_deadline)
        )
    )


def runs_of(db_session: DbSession, event: Event) -> list[AllocationRun]:
    """The event's allocations, latest first."""
    return list(
        db_session.scalars(
            select(AllocationRun).where(AllocationRun.event_id == event.id).order_by(AllocationRun.ran_at.desc())
        )
    )
