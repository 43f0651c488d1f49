"""Scans on a day that is not the event's day (checkin/test_scans.py), called without HTTP: "not_today" in every
other phase, a confirmed test recorded apart, never in a figure, and a real first check-in on the day."""

import datetime as dt

import pytest
from sqlalchemy import func, select

from eventapp.checkin import attended, expected, lookups, release, services, test_scans
from eventapp.checkin.models import CheckIn, Scan, ScanStatus, SessionAttendance
from eventapp.events.phases import EventPhase
from eventapp.organiser import dashboard, lists
from eventapp.platform.db import utcnow
from eventapp.platform.extensions import db
from eventapp.platform.staff.access import Actor
from eventapp.platform.staff.services import create_user
from eventapp.report import figures
from tests.registration.helpers import person, sign_up, slots

pytestmark = pytest.mark.usefixtures("app_context")
NOON = dt.time(12)


@pytest.fixture
def desk(app_context):
    user = create_user(db.session, "desk@example.org", "desk", "long enough password")
    return Actor(user=user, device=None, desk="desk 2")


def scan(event, registration, actor, now, **kwargs):
    outcome = services.check_in(db.session, event, registration, actor, now, **kwargs)
    db.session.commit()
    return outcome


def arrivals_recorded() -> tuple[int, int]:
    return (
        db.session.scalar(select(func.count()).select_from(CheckIn)),
        db.session.scalar(select(func.count()).select_from(SessionAttendance)),
    )


def put_in_phase(event, phase: EventPhase):
    """The event as it stands in `phase`, and a moment in it (the event is 30 days ahead, people signed up)."""
    now = utcnow()
    if phase == EventPhase.DRAFT:
        event.published_at = None
    elif phase == EventPhase.ANNOUNCED:
        event.registration_opens_at = now + dt.timedelta(days=1)
    elif phase == EventPhase.CLOSED:
        event.registration_closes_at = now - dt.timedelta(hours=1)
    elif phase == EventPhase.ENDED:
        now = event.ends_at + dt.timedelta(hours=1)
    elif phase == EventPhase.ANONYMISED:
        event.anonymised_at = now
    db.session.commit()
    return now


NOT_THE_DAY = [phase for phase in EventPhase if phase != EventPhase.DAY]


@pytest.mark.parametrize("phase", NOT_THE_DAY)
def test_a_scan_outside_the_day_answers_not_today_and_records_nothing(make_event, desk, phase):
    event = make_event()
    registration = sign_up(event, 1)
    now = put_in_phase(event, phase)
    theme = slots(event)[0]
    entry = scan(event, registration, desk, now, client_scan_id="s-1")
    door = services.admit_to_session(db.session, event, theme.sessions[0], registration, desk, now)
    db.session.commit()
    assert entry.status == door.status == test_scans.NOT_TODAY
    assert entry.phase == door.phase == phase
    assert arrivals_recorded() == (0, 0)
    assert db.session.scalar(select(func.count()).select_from(Scan)) == 0  # so the desk may send it again as a test
    assert (
        not test_scans.test_allowed(phase)
        or scan(event, registration, desk, now, client_scan_id="s-1").replayed is False
    )


@pytest.mark.parametrize("phase", NOT_THE_DAY)
def test_a_test_scan_is_recorded_as_a_test_before_the_day_only(make_event, desk, phase):
    event = make_event()
    registration = sign_up(event, 1)
    now = put_in_phase(event, phase)
    first = scan(event, registration, desk, now, test=True)
    second = scan(event, registration, desk, now + dt.timedelta(minutes=1), test=True)
    if phase in (EventPhase.ENDED, EventPhase.ANONYMISED):
        assert first.status == second.status == test_scans.NOT_TODAY
        assert not test_scans.test_allowed(phase)
        assert db.session.scalar(select(func.count()).select_from(Scan)) == 0
        return
    assert (first.status, first.test) == (ScanStatus.OK, True)
    assert (second.status, second.test) == (ScanStatus.ALREADY_CHECKED_IN, True)
    assert (second.checked_in_at, second.desk) == (now, "desk 2")
    assert [s.test for s in db.session.scalars(select(Scan))] == [True, True]
    assert arrivals_recorded() == (0, 0)
    assert test_scans.count(db.session, event) == 2


def test_test_scans_at_a_door_give_the_door_s_verdict_and_take_no_seat(make_event, desk):
    event = make_event(theme=[1, 1])
    theme = slots(event)[0]
    registration = sign_up(event, 1, theme=0)
    now = utcnow()
    wrong = services.admit_to_session(db.session, event, theme.sessions[1], registration, desk, now, test=True)
    anyway = services.admit_to_session(
        db.session, event, theme.sessions[1], registration, desk, now, admit_anyway=True, test=True
    )
    right = services.admit_to_session(db.session, event, theme.sessions[0], registration, desk, now, test=True)
    again = services.admit_to_session(db.session, event, theme.sessions[0], registration, desk, now, test=True)
    db.session.commit()
    assert (wrong.status, wrong.expected_session, wrong.test) == (ScanStatus.WRONG_ROOM, theme.sessions[0], True)
    assert [anyway.status, right.status, again.status] == [ScanStatus.OK, ScanStatus.OK, ScanStatus.ALREADY_CHECKED_IN]
    db.session.refresh(theme.sessions[1])
    assert theme.sessions[1].seats_taken == 0  # "admit anyway" in a test moves nobody
    assert arrivals_recorded() == (0, 0)
    assert test_scans.count(db.session, event) == 4


def test_figures_lists_and_release_leave_test_scans_out(app, make_event, desk):
    event = make_event(theme=[2, 2])
    theme = slots(event)[0]
    people = [sign_up(event, n, theme=0) for n in (1, 2)]
    now = utcnow()
    for registration in people:
        scan(event, registration, desk, now, test=True)
        services.admit_to_session(db.session, event, theme.sessions[0], registration, desk, now, test=True)
    db.session.commit()
    board = dashboard.dashboard(db.session, event, now.date())
    assert (board.checked_in, board.test_scans) == (0, 4)
    assert all(row.checked_in == row.attended == 0 for _, rows in board.slots for row in rows)
    counts = lookups.counts(db.session, event)
    assert counts.checked_in == 0 and all(row.attended == 0 for row in counts.sessions)
    assert {r.id for r in expected.not_arrived(db.session, event)} == {r.id for r in people}
    assert not any(attended.is_checked_in(db.session, r) for r in people)
    assert attended.scanned_slots(db.session, event) == set()
    report = figures.event_figures(db.session, event)
    assert (report.day.came, report.arrivals, report.has_check_ins) == (0, [], False)  # the arrival chart's data
    plan = release.plan(db.session, event, slots(event), include_day=True)
    assert (plan.released, len(plan.day_released)) == (4, 2)  # nobody came: each of their seats would be released
    with app.test_request_context():  # the export's cells are translated
        rows = list(lists.attendance_rows(db.session, event, "en"))
    # The export's last two columns (without questions): "Checked in at" and "Desk".
    assert len(rows) == 2 and all(row[-2] is None and not row[-1] for row in rows)


def test_on_the_day_a_real_scan_after_a_test_is_a_first_check_in(make_event, desk):
    event = make_event()
    registration = sign_up(event, 1)
    scan(event, registration, desk, utcnow(), test=True)
    day = event.local_datetime(NOON)
    real = scan(event, registration, desk, day)
    asked_as_test = scan(event, registration, desk, day + dt.timedelta(minutes=1), test=True)
    assert (real.status, real.test, real.checked_in_at) == (ScanStatus.OK, False, day)
    assert (asked_as_test.status, asked_as_test.test) == (ScanStatus.ALREADY_CHECKED_IN, False)  # the day: real
    assert arrivals_recorded() == (1, 0)
    assert dashboard.dashboard(db.session, event, day.date()).checked_in == 1


def test_an_offline_scan_of_the_day_sent_after_it_still_counts(make_event, desk):
    event = make_event()
    registration = sign_up(event, 1)
    day = event.local_datetime(NOON)
    late = scan(event, registration, desk, event.ends_at + dt.timedelta(hours=3), scanned_at=day)
    assert (late.status, late.checked_in_at) == (ScanStatus.OK, day)


def test_clearing_test_scans_before_the_day_only(make_event, desk):
    event = make_event()
    registration = sign_up(event, 1)
    scan(event, registration, desk, utcnow(), test=True)
    day = event.local_datetime(NOON)
    scan(event, registration, desk, day)
    with pytest.raises(test_scans.TestScansNotAllowed):
        test_scans.clear(db.session, event, day)
    assert test_scans.clear(db.session, event, utcnow()) == 1
    db.session.commit()
    assert test_scans.count(db.session, event) == 0
    assert [s.test for s in db.session.scalars(select(Scan))] == [False]  # the real scan stays
    assert arrivals_recorded() == (1, 0)


def test_a_walk_in_before_the_day_is_refused_and_registers_nobody(make_event, desk):
    event = make_event()
    theme, pilot = slots(event)
    choices = {theme.id: theme.sessions[0].id, pilot.id: pilot.sessions[0].id}
    with pytest.raises(services.NotToday):
        services.walk_in(db.session, event, person(1), choices, desk, utcnow())
    db.session.rollback()
    assert arrivals_recorded() == (0, 0)
