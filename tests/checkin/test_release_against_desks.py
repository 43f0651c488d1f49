"""The release of no-show seats against four desks checking people in at the same moment, on PostgreSQL.

Each desk and the release are threads with their own database session (their own connection),
released together by a barrier, many rounds. Whoever checked in, before or while the release
committed, still holds their day seat and their session seats (nobody waits at the door here, so
a released seat stays free for its holder), and every counter equals the rows it counts.
"""

import os
import threading

import pytest
from sqlalchemy import func, select

from eventapp.checkin import release, services
from eventapp.checkin.models import CheckIn
from eventapp.events.models import Event, Session
from eventapp.platform.db import utcnow
from eventapp.platform.extensions import db
from eventapp.platform.staff.access import Actor
from eventapp.registration.models import Choice, Registration, RegistrationStatus
from eventapp.registration.services import register
from tests.checkin.days import on_the_day
from tests.registration.helpers import confirmed_in, person, slots

pytestmark = pytest.mark.parametrize("backend", ["postgresql"], indirect=True)

ROUNDS = int(os.environ.get("RELEASE_RACE_ROUNDS", "100"))  # the issue: a hundred times
DESKS = 4
PEOPLE_PER_DESK = 2
ABSENT = 2  # people who do not come: their seats are released in every round


def one_round(app, make_event) -> None:
    people = DESKS * PEOPLE_PER_DESK + ABSENT
    with app.app_context():
        event = make_event(day_capacity=people, theme=(people, people), pilot=(people, people))
        theme, pilot = slots(event)
        registrations = [
            register(
                db.session,
                event,
                person(n),
                {theme.id: theme.sessions[n % 2].id, pilot.id: pilot.sessions[n % 2].id},
                "test",
                utcnow(),
            )
            for n in range(people)
        ]
        on_the_day(event)  # scans count on the event's day; people signed up before
        db.session.commit()  # one commit for the round's people: the rounds are many
        ids, event_id = [r.id for r in registrations], event.id
    barrier = threading.Barrier(DESKS + 1)
    errors = []

    def desk(number: int) -> None:
        try:
            with app.app_context():
                actor = Actor(user=None, device=None, desk=f"desk {number}")
                mine = ids[number * PEOPLE_PER_DESK : (number + 1) * PEOPLE_PER_DESK]
                barrier.wait(timeout=30)
                for registration_id in mine:
                    event = db.session.get(Event, event_id)
                    registration = db.session.get(Registration, registration_id)
                    assert services.check_in(db.session, event, registration, actor, utcnow()).status == "ok"
                    db.session.commit()
        except Exception as error:  # noqa: BLE001 - reported below, with the round
            errors.append(error)

    def releaser() -> None:
        try:
            with app.app_context():
                event = db.session.get(Event, event_id)
                barrier.wait(timeout=30)
                release.release(db.session, event, utcnow())
                db.session.commit()
        except Exception as error:  # noqa: BLE001
            errors.append(error)

    threads = [threading.Thread(target=desk, args=(n,)) for n in range(DESKS)] + [threading.Thread(target=releaser)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    with app.app_context():
        check_round(db.session.get(Event, event_id))


def check_round(event: Event) -> None:
    """Counters equal rows; every checked-in person holds their day seat and a seat in each slot."""
    db.session.expire_all()
    holding_day_seats = db.session.scalar(
        select(func.count())
        .select_from(Registration)
        .where(
            Registration.event_id == event.id,
            Registration.status == RegistrationStatus.CONFIRMED,
            Registration.day_seat_released_at.is_(None),
        )
    )
    assert event.seats_taken == holding_day_seats <= event.capacity
    for slot in slots(event):
        for session in slot.sessions:
            assert session.seats_taken == len(confirmed_in(session)) <= session.capacity, session
    came = db.session.scalars(select(CheckIn.registration_id).where(CheckIn.event_id == event.id)).all()
    assert len(came) == DESKS * PEOPLE_PER_DESK
    for registration_id in came:
        registration = db.session.get(Registration, registration_id)
        assert registration.day_seat_released_at is None, registration_id
        seated_slots = db.session.scalars(
            select(Session.agenda_item_id)
            .join(Choice, Choice.session_id == Session.id)
            .where(Choice.registration_id == registration_id, Choice.status == RegistrationStatus.CONFIRMED)
        ).all()
        assert sorted(seated_slots) == sorted(slot.id for slot in slots(event)), registration_id


def test_the_release_never_takes_the_seat_of_someone_checking_in(app, make_event):
    for _round in range(ROUNDS):
        one_round(app, make_event)
