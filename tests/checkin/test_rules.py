"""Check-in rules called directly: outcomes, idempotence, undo, doors, walk-ins, search, counts."""

import datetime as dt

import pytest
from sqlalchemy import func, select

from eventapp.checkin import lookups, offline, services
from eventapp.checkin.models import CheckIn, Scan, ScanStatus
from eventapp.platform.db import utcnow
from eventapp.platform.extensions import db
from eventapp.platform.staff.access import Actor
from eventapp.platform.staff.services import create_device_token, create_user
from eventapp.registration import services as registration_services
from tests.checkin.days import earlier_on_the_day, on_the_day
from tests.registration.helpers import person, sign_up, slots

WINDOW = dt.timedelta(minutes=5)

pytestmark = pytest.mark.usefixtures("app_context")


@pytest.fixture
def desk(app_context):
    user = create_user(db.session, "desk@example.org", "desk", "long enough password")
    return Actor(user=user, device=None, desk="desk 2")


@pytest.fixture
def other_desk(app_context):
    device, _ = create_device_token(db.session, "handheld", None, utcnow())
    return Actor(user=None, device=device, desk="")


@pytest.fixture
def organiser(app_context):
    user = create_user(db.session, "org@example.org", "organiser", "long enough password")
    return Actor(user=user, device=None, desk="")


def scan(event, code, actor, now=None, **kwargs):
    """A scan at the desk on the event's day (the people signed up before it)."""
    on_the_day(event)
    outcome = services.check_in(
        db.session, event, lookups.find_by_code(db.session, code), actor, now or utcnow(), **kwargs
    )
    db.session.commit()
    return outcome


def test_first_scan_lets_in_the_second_says_when_and_where(make_event, desk, other_desk):
    event = make_event()
    registration = sign_up(event, 1)
    first = scan(event, registration.ticket_code, desk)
    second = scan(event, registration.ticket_code, other_desk)
    assert first.status == ScanStatus.OK and first.registration == registration
    assert second.status == ScanStatus.ALREADY_CHECKED_IN
    assert (second.desk, second.checked_in_at) == ("desk 2", first.checked_in_at)
    assert db.session.scalar(select(func.count()).select_from(CheckIn)) == 1
    assert [s.outcome for s in db.session.scalars(select(Scan).order_by(Scan.id))] == [
        ScanStatus.OK,
        ScanStatus.ALREADY_CHECKED_IN,
    ]
    assert db.session.scalar(select(Scan.device_id).order_by(Scan.id.desc()).limit(1)) == other_desk.device.id


def test_codes_that_do_not_let_in(make_event, desk):
    event, other = make_event(day_capacity=1), make_event()
    sign_up(event, 1)
    waiting = sign_up(event, 2)
    cancelled = sign_up(event, 3, email="c@example.org")
    registration_services.cancel(db.session, cancelled, utcnow())
    elsewhere = sign_up(other, 4)
    db.session.commit()
    cases = {
        "forged-code": (ScanStatus.INVALID, "unknown_code"),
        "": (ScanStatus.INVALID, "unknown_code"),
        "x" * 5000: (ScanStatus.INVALID, "unknown_code"),
        waiting.ticket_code: (ScanStatus.INVALID, "waitlisted"),
        cancelled.ticket_code: (ScanStatus.CANCELLED, ""),
        elsewhere.ticket_code: (ScanStatus.INVALID, "other_event"),
    }
    for code, expected in cases.items():
        outcome = scan(event, code, desk)
        assert (outcome.status, outcome.reason) == expected, code[:20]
    assert db.session.scalar(select(func.count()).select_from(CheckIn)) == 0
    assert db.session.scalar(select(func.count()).select_from(Scan)) == len(cases)


def test_a_scan_sent_twice_is_counted_once(make_event, desk):
    event = make_event()
    registration = sign_up(event, 1)
    first = scan(event, registration.ticket_code, desk, client_scan_id="scan-1")
    again = scan(event, registration.ticket_code, desk, client_scan_id="scan-1")
    assert first.status == again.status == ScanStatus.OK and again.replayed
    assert db.session.scalar(select(func.count()).select_from(Scan)) == 1


def test_offline_scans_keep_the_time_they_were_made(make_event, desk):
    event = make_event()
    registration = sign_up(event, 1)
    earlier = earlier_on_the_day(on_the_day(event), dt.timedelta(minutes=12))
    outcome = scan(event, registration.ticket_code, desk, scanned_at=earlier, client_scan_id="offline-1")
    assert outcome.checked_in_at == earlier
    assert db.session.scalar(select(Scan.scanned_at)) == earlier


def test_undo_by_the_same_desk_within_minutes_or_by_an_organiser(make_event, desk, other_desk, organiser):
    event = make_event()
    first, second = sign_up(event, 1), sign_up(event, 2)
    now = utcnow()
    scan(event, first.ticket_code, desk, now=now)
    scan(event, second.ticket_code, desk, now=now)
    with pytest.raises(services.UndoNotAllowed):
        services.undo_check_in(db.session, first, other_desk, now, WINDOW)
    with pytest.raises(services.UndoNotAllowed):
        services.undo_check_in(db.session, first, desk, now + dt.timedelta(minutes=6), WINDOW)
    services.undo_check_in(db.session, first, desk, now + dt.timedelta(minutes=4), WINDOW)
    services.undo_check_in(db.session, second, organiser, now + dt.timedelta(hours=2), WINDOW)
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(CheckIn)) == 0
    assert all(s.undone_at is not None for s in db.session.scalars(select(Scan)))
    with pytest.raises(services.NotCheckedIn):
        services.undo_check_in(db.session, first, organiser, now, WINDOW)
    assert scan(event, first.ticket_code, desk).status == ScanStatus.OK  # in again after the undo


def test_session_door(make_event, desk):
    event = make_event(theme=[2, 2])
    theme = slots(event)[0]
    registration = sign_up(event, 1, theme=0)
    on_the_day(event)
    wrong = services.admit_to_session(db.session, event, theme.sessions[1], registration, desk, utcnow())
    assert wrong.status == ScanStatus.WRONG_ROOM and wrong.expected_session == theme.sessions[0]
    right = services.admit_to_session(db.session, event, theme.sessions[0], registration, desk, utcnow())
    again = services.admit_to_session(db.session, event, theme.sessions[0], registration, desk, utcnow())
    anyway = services.admit_to_session(
        db.session, event, theme.sessions[1], registration, desk, utcnow(), admit_anyway=True
    )
    db.session.commit()
    assert (right.status, again.status, anyway.status) == (ScanStatus.OK, ScanStatus.ALREADY_CHECKED_IN, ScanStatus.OK)
    assert lookups.occupancy(db.session, theme.sessions[0]) == (1, 2)
    assert lookups.occupancy(db.session, theme.sessions[1]) == (1, 2)
    assert db.session.scalar(select(func.count()).select_from(CheckIn)) == 1  # through a door means arrived
    door_counts = {row.session.id: row.attended for row in lookups.counts(db.session, event).sessions}
    assert door_counts[theme.sessions[0].id] == door_counts[theme.sessions[1].id] == 1


def test_walk_in_registers_and_lets_in_while_seats_last(make_event, desk):
    event = on_the_day(make_event(day_capacity=1, opens_in=dt.timedelta(days=-10), closes_in=dt.timedelta(days=-1)))
    theme, pilot = slots(event)
    choices = {theme.id: theme.sessions[0].id, pilot.id: pilot.sessions[0].id}
    registration = services.walk_in(db.session, event, person(1), choices, desk, utcnow())
    db.session.commit()
    assert registration.status == "confirmed" and registration.consent_version == "desk"
    assert db.session.scalar(select(func.count()).select_from(CheckIn)) == 1
    with pytest.raises(services.DayFull):
        services.walk_in(db.session, event, person(2), choices, desk, utcnow())
    db.session.rollback()


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("soeder", ["Teun Søderhuizen"]),
        ("SØDER", ["Teun Søderhuizen"]),
        ("huis in t veld", ["Sylvia Huis in 't Veld"]),
        ("huis in 't", ["Sylvia Huis in 't Veld"]),
        ("veld sylv", ["Sylvia Huis in 't Veld"]),
        ("kinderbescherming", ["Teun Søderhuizen"]),
        ("ærø", ["Søren Ærø"]),
        ("aero", ["Søren Ærø"]),
        ("kennispunt", ["Sylvia Huis in 't Veld", "Søren Ærø"]),
        ("soderh", ["Teun Søderhuizen"]),
        ("100%_", []),
        ("", []),
    ],
)
def test_search_ignores_case_accents_and_punctuation(make_event, query, found):
    event = make_event()
    sign_up(event, 1, name="Sylvia Huis in 't Veld", organisation="Kennispunt Twente")
    sign_up(event, 2, name="Teun Søderhuizen", organisation="Raad voor de Kinderbescherming")
    sign_up(event, 3, name="Søren Ærø", organisation="Kennispunt Twente")
    assert sorted(r.name for r in lookups.search_people(db.session, event, query)) == sorted(found)


def test_counts_and_the_offline_list(make_event, desk):
    event = make_event()
    people = [sign_up(event, n) for n in range(1, 4)]
    scan(event, people[0].ticket_code, desk)
    counts = lookups.counts(db.session, event)
    assert (counts.checked_in, counts.expected) == (1, 3)
    listing = offline.offline_list(db.session, event, "secret")
    digests = {offline.code_digest(listing["salt"], p.ticket_code) for p in people}
    assert set(listing["valid"]) == digests
    assert listing["checked_in"] == [offline.code_digest(listing["salt"], people[0].ticket_code)]
    assert not any(p.ticket_code in str(listing) for p in people)  # no code in clear
