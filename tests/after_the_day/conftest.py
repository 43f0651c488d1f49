"""A day that is over: who came, who went through which door, and who stayed away."""

import datetime as dt

import pytest

from eventapp.checkin import services as checkin
from eventapp.platform.db import utcnow
from eventapp.platform.extensions import db
from eventapp.platform.staff.access import Actor
from eventapp.registration.services import cancel
from tests.registration.helpers import sign_up

DESK = Actor(user=None, device=None, desk="desk 1")


def check_in(event, registration, at=None):
    """Scanned at the desk during the day (a scan after it is not_today: eventapp/checkin/test_scans.py)."""
    checkin.check_in(db.session, event, registration, DESK, at or event.local_datetime(dt.time(13, 45)))
    db.session.commit()


def through_door(event, session, registration):
    moment = event.local_datetime(session.agenda_item.starts_at)
    checkin.admit_to_session(db.session, event, session, registration, DESK, moment, admit_anyway=True)
    db.session.commit()


@pytest.fixture
def past_day(app, make_event):
    """Yesterday's day. Person 1 (Łucja Ëlbrink, police) came and went through the door of Theme 1 (not the
    Theme 0 they chose); person 2 (municipality) came, no pilot door was scanned, so their pilot seat counts;
    person 3 (police) registered and did not come; person 4 cancelled."""
    with app.app_context():
        event = make_event(day_capacity=10, theme=[5, 5], pilot=[5, 5])
        theme0, theme1 = event.agenda_items[1].sessions
        people = [
            sign_up(
                event,
                1,
                theme=0,
                pilot=1,
                name="Łucja Ëlbrink",
                organisation="Politie Oost",
                organisation_type="police",
            ),
            sign_up(event, 2, theme=0, pilot=0, organisation_type="municipality", language="nl"),
            sign_up(event, 3, theme=1, pilot=0, organisation_type="police"),
            sign_up(event, 4, theme=1, pilot=1),
        ]
        event.date = (utcnow() - dt.timedelta(days=1)).date()
        db.session.commit()
        cancel(db.session, people[3], utcnow())
        db.session.commit()
        check_in(event, people[0])
        check_in(event, people[1])
        through_door(event, theme1, people[0])
        through_door(event, theme0, people[1])
        return {
            "slug": event.slug,
            "event_id": event.id,
            "people": [p.id for p in people],
            "tokens": [p.manage_token for p in people],
            "theme0": theme0.id,
            "theme1": theme1.id,
            "pilot0": event.agenda_items[2].sessions[0].id,
            "pilot1": event.agenda_items[2].sessions[1].id,
        }


@pytest.fixture
def organiser(client, make_user, login):
    login(*make_user("organiser"))
    return client
