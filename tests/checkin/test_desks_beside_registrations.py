"""A desk never waits behind a registration (PostgreSQL): the registration's event lock leaves arrivals free.

A registration holds the event's lock until it commits; the check-in used to take a lock (and insert rows whose
foreign keys take one) that conflicts with it, so at 13:25 a rush of registrations queued every scan behind it.
Here a registration holds its transaction open while a desk checks someone in with a lock timeout of two
seconds: on the old lock the check-in ran into the timeout. The release still waits for the registration.
"""

import threading

import pytest
from sqlalchemy import select, text

from eventapp.checkin import release, services
from eventapp.checkin.models import CheckIn
from eventapp.events.models import Event
from eventapp.platform.db import utcnow
from eventapp.platform.extensions import db
from eventapp.platform.staff.access import Actor
from eventapp.registration.models import Registration
from eventapp.registration.services import register
from tests.checkin.days import on_the_day
from tests.registration.helpers import person, slots

pytestmark = pytest.mark.parametrize("backend", ["postgresql"], indirect=True)


def seated(event: Event, number: int, at_the_desk: bool = False) -> Registration:
    theme, pilot = slots(event)
    choices = {theme.id: theme.sessions[0].id, pilot.id: pilot.sessions[0].id}
    return register(db.session, event, person(number), choices, "test", utcnow(), open_anyway=at_the_desk)


class OpenRegistration(threading.Thread):
    """A registration (a walk-in at another desk) that has taken its seats and holds its transaction until told to
    commit."""

    def __init__(self, app, event_id: int):
        super().__init__()
        self.app, self.event_id = app, event_id
        self.holding, self.commit, self.errors = threading.Event(), threading.Event(), []

    def run(self) -> None:
        try:
            with self.app.app_context():
                seated(db.session.get(Event, self.event_id), 99, at_the_desk=True)
                self.holding.set()
                self.commit.wait(timeout=30)
                db.session.commit()
        except Exception as error:  # noqa: BLE001 - reported by the test
            self.errors.append(error)
            self.holding.set()


def test_a_check_in_does_not_wait_for_an_open_registration(app, make_event):
    with app.app_context():
        event = make_event(day_capacity=10, theme=(5, 5), pilot=(5, 5))
        arriving = seated(event, 1)
        on_the_day(event)
        db.session.commit()
        event_id, arriving_id = event.id, arriving.id
    registration = OpenRegistration(app, event_id)
    registration.start()
    assert registration.holding.wait(timeout=30)
    try:
        with app.app_context():
            db.session.execute(text("SET LOCAL lock_timeout = '2s'"))
            event, arriving = db.session.get(Event, event_id), db.session.get(Registration, arriving_id)
            outcome = services.check_in(
                db.session, event, arriving, Actor(user=None, device=None, desk="desk 1"), utcnow()
            )
            db.session.commit()
    finally:
        registration.commit.set()
        registration.join(timeout=30)
    assert outcome.status == "ok"
    assert not registration.errors, registration.errors
    with app.app_context():
        assert db.session.scalar(select(CheckIn.registration_id)) == arriving_id
        assert db.session.scalar(select(Registration.id).where(Registration.email == person(99).email))


def test_the_release_still_waits_for_an_open_registration(app, make_event):
    with app.app_context():
        event = make_event(day_capacity=10, theme=(5, 5), pilot=(5, 5))
        on_the_day(event)
        db.session.commit()
        event_id = event.id
    registration = OpenRegistration(app, event_id)
    registration.start()
    assert registration.holding.wait(timeout=30)
    try:
        with app.app_context():
            db.session.execute(text("SET LOCAL lock_timeout = '1s'"))
            with pytest.raises(Exception, match="lock timeout"):
                release.release(db.session, db.session.get(Event, event_id), utcnow())
            db.session.rollback()
    finally:
        registration.commit.set()
        registration.join(timeout=30)
    assert not registration.errors, registration.errors
