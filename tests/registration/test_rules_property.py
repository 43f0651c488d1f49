"""Random sequences of register / change / cancel / capacity changes keep every rule.

After each step: no session and no day holds more people than its seats; counters equal the
rows they count; a session's line is non-empty only while the session is full (the same for the
day); and whoever got a seat from a line during the step stood ahead of everyone still in it.
"""

import datetime as dt

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from eventapp.events import seats
from eventapp.events.seats import CapacityBelowSeatsTaken
from eventapp.platform.db import utcnow
from eventapp.platform.extensions import db
from eventapp.registration import services
from eventapp.registration.models import Choice, Registration, RegistrationStatus
from tests.registration.helpers import check_counters, day_waiting, person, slots, waiting_for

# Picks lean towards the first session, so that lines of several people form often.
session_pick = st.sampled_from([0, 0, 0, 1, 2])
register_step = st.tuples(st.just("register"), session_pick, session_pick)
change_step = st.tuples(st.just("change"), st.integers(0, 30), st.integers(0, 1), session_pick, st.booleans())
cancel_step = st.tuples(st.just("cancel"), st.integers(0, 30))
session_capacity_step = st.tuples(st.just("session_capacity"), st.integers(0, 1), session_pick, st.integers(0, 4))
day_capacity_step = st.tuples(st.just("day_capacity"), st.integers(0, 10))
steps = st.lists(
    st.one_of(
        register_step,
        register_step,
        register_step,
        change_step,
        cancel_step,
        cancel_step,
        session_capacity_step,
        day_capacity_step,
    ),
    min_size=1,
    max_size=30,
)

pytestmark = pytest.mark.usefixtures("app_context")


def lines(event) -> dict:
    """Every line of the event, first first: per session, and the day's."""
    result = {("day",): day_waiting(event)}
    for slot in slots(event):
        for session in slot.sessions:
            result[("session", session.id)] = waiting_for(session)
    return result


def seated(key, registration_id) -> bool:
    """Whether the person now has what they stood in line `key` for."""
    if key == ("day",):
        return db.session.get(Registration, registration_id).status == RegistrationStatus.CONFIRMED
    return (
        db.session.scalar(
            select(Choice.id).where(
                Choice.registration_id == registration_id,
                Choice.session_id == key[1],
                Choice.status == RegistrationStatus.CONFIRMED,
            )
        )
        is not None
    )


def check_first_come_first_served(before: dict, after: dict) -> None:
    """Those served from a line during the step all stood ahead of those still in it."""
    for key, line in before.items():
        still_waiting = set(after[key])
        served = [position for position, rid in enumerate(line) if rid not in still_waiting and seated(key, rid)]
        remaining = [position for position, rid in enumerate(line) if rid in still_waiting]
        if served and remaining:
            assert max(served) < min(remaining), (key, line, after[key])


def check_lines_only_when_full(event) -> None:
    event_lines = lines(event)
    if event_lines[("day",)]:
        assert event.seats_taken == event.capacity
    for slot in slots(event):
        for session in slot.sessions:
            if event_lines[("session", session.id)]:
                assert session.seats_taken == session.capacity, session


def apply(step, event, people: list, now: dt.datetime) -> None:
    """Carry out one step; refusals by the rules are part of the game."""
    kind = step[0]
    try:
        if kind == "register":
            theme, pilot = slots(event)
            number = len(people) + 1
            people.append(
                services.register(
                    db.session,
                    event,
                    person(number, email=f"p{number}-{event.id}@example.org"),
                    {theme.id: theme.sessions[step[1]].id, pilot.id: pilot.sessions[step[2]].id},
                    "test",
                    now,
                )
            )
        elif kind == "change" and people:
            registration = people[step[1] % len(people)]
            session = slots(event)[step[2]].sessions[step[3]]
            services.change_session(db.session, registration, session.id, now, join_waitlist=step[4])
        elif kind == "cancel" and people:
            services.cancel(db.session, people[step[1] % len(people)], now)
        elif kind == "session_capacity":
            seats.change_capacity(db.session, slots(event)[step[1]].sessions[step[2]], step[3], now)
        elif kind == "day_capacity":
            seats.change_capacity(db.session, event, step[1], now)
        db.session.commit()
    except (services.SessionFull, services.RegistrationCancelled, CapacityBelowSeatsTaken):
        db.session.rollback()


# Always tried besides the random ones: a line of two served by a cancellation; a swap whose
# promotion frees a seat in turn; a capacity raise that serves a line of three.
@example(steps=[("register", 0, 0)] * 3 + [("cancel", 0)])
@example(
    steps=[
        ("register", 0, 0),
        ("register", 1, 0),
        ("register", 1, 1),
        ("change", 0, 0, 1, True),
        ("register", 0, 1),
        ("register", 0, 1),
        ("cancel", 1),
    ]
)
@example(steps=[("register", 0, 0)] * 5 + [("session_capacity", 0, 0, 4)])
@example(steps=[("register", 0, 0)] * 9 + [("cancel", 1), ("day_capacity", 8)])
@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(steps=steps)
def test_random_sequences_keep_the_rules(make_event, steps):
    event = make_event(day_capacity=6, theme=[1, 2, 1], pilot=[2, 1, 0])
    people: list = []
    now = utcnow()
    for number, step in enumerate(steps):
        before = lines(event)
        apply(step, event, people, now + dt.timedelta(seconds=number))
        db.session.expire_all()
        check_counters(event)
        check_lines_only_when_full(event)
        check_first_come_first_served(before, lines(event))
        for registration in people:
            if registration.status != "cancelled":
                assert {choice.agenda_item_id for choice in registration.choices} == {slot.id for slot in slots(event)}
            if registration.status == RegistrationStatus.WAITLISTED:
                assert all(choice.status == RegistrationStatus.WAITLISTED for choice in registration.choices)
