"""The demo day as it looks on the morning itself: people checked in, a full session with people waiting at
the door, walk-ins on standby, and a third of the registered not come yet. So that `make run` shows the
release of no-show seats (the dashboard's preview) and the desk's "number N at the door"."""

import datetime as dt

from sqlalchemy import select

from eventapp.checkin.services import check_in, walk_in
from eventapp.demo.day import demo_people
from eventapp.events.models import Event
from eventapp.events.services import choice_slots
from eventapp.platform.db import DbSession
from eventapp.platform.staff.access import Actor
from eventapp.registration.models import Registration, RegistrationStatus
from eventapp.registration.services import PersonDetails, register

WAITING_AT_THE_DOOR = 6
WALK_INS = 2
DESK = Actor(user=None, device=None, desk="Balie")


def fill_the_first_session(db_session: DbSession, event: Event, first_number: int, now: dt.datetime) -> int:
    """Register more people for the first theme session until it is full and some wait; returns how many."""
    theme, pilot = choice_slots(event)
    session, added, waiting = theme.sessions[0], 0, 0
    for person in demo_people(first_number + 200)[first_number:]:
        details = PersonDetails(
            person["name"], person["email"], person["organisation"], person["role"], "nl", person["organisation_type"]
        )
        full = session.seats_left == 0
        register(
            db_session,
            event,
            details,
            {theme.id: session.id, pilot.id: pilot.sessions[person["pilot"]].id},
            "demo",
            now,
            claimed=True,
        )
        db_session.refresh(session)
        added += 1
        waiting += full
        if waiting == WAITING_AT_THE_DOOR:
            break
    return added


def morning_of_the_day(db_session: DbSession, event: Event, registered: int, now: dt.datetime) -> None:
    """A full first session with people waiting; two of every three people checked in, the waiting ones all;
    two walk-ins waiting for the full session too. The people register now; they arrive during the day's walk-in
    (a scan counts on the day only, events.phases), however many weeks ahead the demo day is."""
    if event.day_starts_at is None:
        raise ValueError(f"{event.slug} has no program: no walk-in to arrive at")
    added = fill_the_first_session(db_session, event, registered, now)
    morning = event.local_datetime(event.day_starts_at) + dt.timedelta(minutes=10)
    people = db_session.scalars(
        select(Registration)
        .where(Registration.event_id == event.id, Registration.status == RegistrationStatus.CONFIRMED)
        .order_by(Registration.id)
    ).all()
    theme = choice_slots(event)[0].sessions[0]
    for number, person in enumerate(people):
        waits = any(c.session_id == theme.id and c.status == RegistrationStatus.WAITLISTED for c in person.choices)
        if waits or number % 3:
            check_in(db_session, event, person, DESK, morning)
    theme_slot, pilot_slot = choice_slots(event)
    for walker in demo_people(registered + added + WALK_INS)[registered + added :]:
        details = PersonDetails(
            walker["name"], walker["email"], walker["organisation"], walker["role"], "nl", walker["organisation_type"]
        )
        walk_in(
            db_session,
            event,
            details,
            {theme_slot.id: theme.id, pilot_slot.id: pilot_slot.sessions[0].id},
            DESK,
            morning,
        )
