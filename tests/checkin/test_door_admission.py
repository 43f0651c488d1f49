"""At a session's door, people without a seat there: their verdicts, and "admit anyway" by the seat rules."""

import pytest
from sqlalchemy import func, select

from eventapp.checkin import admission, lookups, services
from eventapp.checkin.models import ScanStatus, SessionAttendance
from eventapp.organiser.dashboard import dashboard
from eventapp.platform.db import utcnow
from eventapp.platform.extensions import db
from eventapp.platform.staff.access import Actor
from eventapp.registration import services as registration_services
from eventapp.registration.models import Choice, RegistrationStatus
from tests.checkin.days import on_the_day
from tests.registration.helpers import confirmed_in, sign_up, slots

pytestmark = pytest.mark.usefixtures("app_context")

DOOR = Actor(user=None, device=None, desk="door 1")


def at_door(event, session, registration, **kwargs):
    on_the_day(event)  # door scans count on the event's day; people signed up before
    outcome = services.admit_to_session(db.session, event, session, registration, DOOR, utcnow(), **kwargs)
    db.session.commit()
    return outcome


def attended(session) -> int:
    return lookups.occupancy(db.session, session)[0]


def seats_match_rows(session) -> bool:
    """The session's counter equals its confirmed choices (nothing taken or freed beside the rules)."""
    db.session.expire_all()
    rows = db.session.scalar(
        select(func.count())
        .select_from(Choice)
        .join(Choice.registration)
        .where(Choice.session_id == session.id, Choice.status == RegistrationStatus.CONFIRMED)
    )
    return rows == session.seats_taken


@pytest.fixture
def full_session(make_event):
    """Theme 0 has 3 seats, taken; 24 people wait for it (no seat in the theme part); theme 1 has room."""
    event = make_event(day_capacity=40, theme=[3, 10], pilot=[40, 40])
    seated = [sign_up(event, n, theme=0) for n in range(3)]
    waiting = [sign_up(event, n, theme=0) for n in range(3, 27)]
    return event, slots(event)[0], seated, waiting


def test_the_waitlist_of_a_full_session_is_not_let_in_without_the_admit_step(full_session):
    event, theme, seated, waiting = full_session
    full = theme.sessions[0]
    verdicts = [at_door(event, full, person) for person in waiting]
    assert {outcome.status for outcome in verdicts} == {ScanStatus.WAITLISTED_HERE}
    assert {outcome.admit for outcome in verdicts} == {None}  # full, and no standing: nothing to admit
    assert attended(full) == 0
    assert [at_door(event, full, person).status for person in seated] == [ScanStatus.OK] * 3
    assert attended(full) == 3


def test_admit_anyway_into_a_full_session_is_refused_without_standing(full_session):
    event, theme, _seated, waiting = full_session
    full = theme.sessions[0]
    refused = at_door(event, full, waiting[0], admit_anyway=True, over_capacity=True)
    assert (refused.status, refused.reason) == (ScanStatus.WAITLISTED_HERE, "full")
    assert attended(full) == 0 and full.seats_taken == 3 and seats_match_rows(full)


def test_admit_anyway_takes_a_free_seat_and_no_more(make_event):
    event = make_event(day_capacity=10, theme=[1, 5], pilot=[10, 10])
    theme = slots(event)[0]
    first, second = sign_up(event, 1, theme=1), sign_up(event, 2, theme=1)
    small = theme.sessions[0]
    verdict = at_door(event, small, first)
    assert (verdict.status, verdict.expected_session, verdict.admit) == (
        ScanStatus.WRONG_ROOM,
        theme.sessions[1],
        "seat",
    )
    assert at_door(event, small, first, admit_anyway=True).status == ScanStatus.OK
    # Their seat moved with them: the one seat here is theirs, the one they left is free again.
    assert confirmed_in(small) == {first.id} and first.id not in confirmed_in(theme.sessions[1])
    assert seats_match_rows(small) and seats_match_rows(theme.sessions[1])
    late = at_door(event, small, second, admit_anyway=True)
    assert (late.status, late.reason, late.admit) == (ScanStatus.WRONG_ROOM, "full", None)
    assert attended(small) == 1 and small.seats_taken == small.capacity == 1


def test_no_seat_in_the_part(make_event):
    event = make_event(day_capacity=10, theme=[2, 2], pilot=[2, 2])
    theme = slots(event)[0]
    person = sign_up(event, 1, theme=0)
    db.session.delete(next(c for c in person.choices if c.agenda_item_id == theme.id))
    db.session.flush()
    db.session.refresh(person, ["choices"])
    assert admission.verdict(person, theme.sessions[0]) == (ScanStatus.NO_SEAT, None)
    outcome = at_door(event, theme.sessions[0], person)
    assert (outcome.status, outcome.admit) == (ScanStatus.NO_SEAT, "seat") and attended(theme.sessions[0]) == 0


def test_waiting_here_with_a_seat_elsewhere_is_waitlisted_here(make_event):
    event = make_event(day_capacity=10, theme=[1, 5], pilot=[10, 10])
    theme = slots(event)[0]
    sign_up(event, 1, theme=0)
    person = sign_up(event, 2, theme=1)
    registration_services.change_session(db.session, person, theme.sessions[0].id, utcnow(), join_waitlist=True)
    db.session.commit()
    outcome = at_door(event, theme.sessions[0], person)
    assert (outcome.status, outcome.expected_session) == (ScanStatus.WAITLISTED_HERE, theme.sessions[1])


def test_standing_needs_the_organiser_and_the_door_staffs_confirmation(full_session):
    event, theme, _seated, waiting = full_session
    full = theme.sessions[0]
    full.standing_allowed = True
    db.session.commit()
    offer = at_door(event, full, waiting[0])
    assert (offer.status, offer.admit) == (ScanStatus.WAITLISTED_HERE, "over_capacity")
    unconfirmed = at_door(event, full, waiting[0], admit_anyway=True)
    assert unconfirmed.status == ScanStatus.WAITLISTED_HERE and attended(full) == 0
    standing = at_door(event, full, waiting[0], admit_anyway=True, over_capacity=True)
    assert standing.status == ScanStatus.OK and attended(full) == 1
    assert full.seats_taken == 4 and seats_match_rows(full)  # over the capacity, and on the books
    over = db.session.scalar(select(SessionAttendance).where(SessionAttendance.registration_id == waiting[0].id))
    assert over.over_capacity and not over.chosen
    again = at_door(event, full, waiting[0], admit_anyway=True, over_capacity=True)
    assert again.status == ScanStatus.ALREADY_CHECKED_IN and full.seats_taken == 4
    board = dashboard(db.session, event, event.date)
    standing_per_session = {row.session.id: row.standing for _slot, rows in board.slots for row in rows}
    assert standing_per_session[full.id] == 1 and sum(standing_per_session.values()) == 1


def test_over_capacity_is_not_used_while_a_seat_is_free(make_event):
    event = make_event(day_capacity=10, theme=[2, 5], pilot=[10, 10])
    theme = slots(event)[0]
    theme.sessions[0].standing_allowed = True
    person = sign_up(event, 1, theme=1)
    assert at_door(event, theme.sessions[0], person, admit_anyway=True, over_capacity=True).status == ScanStatus.OK
    row = db.session.scalar(select(SessionAttendance))
    assert not row.over_capacity and theme.sessions[0].seats_taken == 1
