"""The "not arrived yet" list, called directly: who is expected today and has not been checked in."""

import datetime as dt

import pytest

from eventapp.checkin import expected, services
from eventapp.platform.db import utcnow
from eventapp.platform.extensions import db
from eventapp.platform.staff.access import Actor
from eventapp.platform.staff.services import create_user
from eventapp.registration import services as registration_services
from eventapp.registration.models import RegistrationStatus
from tests.checkin.days import on_the_day
from tests.registration.helpers import sign_up

pytestmark = pytest.mark.usefixtures("app_context")


@pytest.fixture
def desk(app_context):
    return Actor(
        user=create_user(db.session, "desk@example.org", "desk", "long enough password"), device=None, desk="1"
    )


def names(people):
    return [person.name for person in people]


def test_confirmed_and_not_checked_in_by_surname(make_event, desk):
    event = make_event(day_capacity=10)
    zoe, anna, bram = (sign_up(event, n, name=name) for n, name in [(1, "Zoë Dijk"), (2, "Anna Smit"), (3, "Bram Eck")])
    on_the_day(event)
    services.check_in(db.session, event, bram, desk, utcnow())
    db.session.commit()
    assert names(expected.not_arrived(db.session, event)) == ["Zoë Dijk", "Anna Smit"]  # Dijk before Smit
    assert {zoe.id, anna.id} == {person.id for person in expected.not_arrived(db.session, event)}


def test_the_waitlist_cancellations_and_other_events_are_not_expected(make_event):
    event, other = make_event(day_capacity=1), make_event(day_capacity=5)
    sign_up(event, 1, name="Seated")
    waiting = sign_up(event, 2, name="Waiting", email="w@example.org")
    cancelled = sign_up(other, 3, name="Cancelled")
    registration_services.cancel(db.session, cancelled, utcnow())
    sign_up(other, 4, name="Elsewhere")
    db.session.commit()
    assert waiting.status == RegistrationStatus.WAITLISTED
    assert names(expected.not_arrived(db.session, event)) == ["Seated"]
    assert names(expected.not_arrived(db.session, other)) == ["Elsewhere"]


def test_undoing_a_check_in_puts_someone_back_on_the_list(make_event, desk):
    event = make_event(day_capacity=5)
    person = sign_up(event, 1, name="Back Again")
    on_the_day(event)
    services.check_in(db.session, event, person, desk, utcnow())
    db.session.commit()
    assert expected.not_arrived(db.session, event) == []
    services.undo_check_in(db.session, person, desk, utcnow(), dt.timedelta(minutes=5))
    db.session.commit()
    assert names(expected.not_arrived(db.session, event)) == ["Back Again"]


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("soeder", ["Teun Søderhuizen"]),
        ("huis in t veld", ["Sylvia Huis in 't Veld"]),
        ("KINDERBESCHERMING", ["Teun Søderhuizen"]),
        ("gemeente", ["Denise van der Plaat", "Teun Søderhuizen"]),
        ("nobody-like-this", []),
        ("", ["Sylvia Huis in 't Veld", "Denise van der Plaat", "Teun Søderhuizen"]),  # Huis, Plaat, Søderhuizen
    ],
)
def test_search_like_the_desk_any_case_accents_or_not(make_event, query, found):
    event = make_event(day_capacity=10)
    sign_up(event, 1, name="Sylvia Huis in 't Veld", organisation="Kennispunt Twente")
    sign_up(event, 2, name="Teun Søderhuizen", organisation="Raad voor de Kinderbescherming", email="teun@gemeente.nl")
    sign_up(event, 3, name="Denise van der Plaat", organisation="Gemeente Ede")
    assert names(expected.not_arrived(db.session, event, query)) == found
