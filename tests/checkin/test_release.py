"""The release of no-show seats, called directly: who loses a seat, who gets one and in what order, latecomers."""

import datetime as dt

import pytest
from sqlalchemy import func, select

from eventapp.checkin import release, services
from eventapp.events.models import Session
from eventapp.platform.db import utcnow
from eventapp.platform.extensions import db
from eventapp.platform.mail.models import OutgoingMail
from eventapp.platform.staff.access import Actor
from eventapp.platform.staff.services import create_user
from eventapp.registration.models import Choice, Registration, RegistrationMail, RegistrationStatus
from eventapp.registration.services import change_session
from tests.checkin.days import on_the_day
from tests.registration.helpers import choice_in, confirmed_in, mails, person, sign_up, slots

pytestmark = pytest.mark.usefixtures("app_context")


@pytest.fixture
def desk(app_context):
    user = create_user(db.session, "desk@example.org", "desk", "long enough password")
    return Actor(user=user, device=None, desk="desk 1")


def arrive(event, registration, desk):
    on_the_day(event)  # scans count on the event's day; people signed up before
    outcome = services.check_in(db.session, event, registration, desk, utcnow())
    db.session.commit()
    return outcome


def walk_in(event, number, desk, theme=0, pilot=0):
    theme_slot, pilot_slot = slots(event)
    choices = {theme_slot.id: theme_slot.sessions[theme].id, pilot_slot.id: pilot_slot.sessions[pilot].id}
    on_the_day(event)
    registration = services.walk_in(db.session, event, person(number), choices, desk, utcnow())
    db.session.commit()
    return registration


def check_session_counters(event) -> None:
    """A session's counter equals its confirmed choices: released seats are free again, none given twice."""
    db.session.expire_all()
    for slot in slots(event):
        for session in slot.sessions:
            assert session.seats_taken == len(confirmed_in(session)) <= session.capacity, session


@pytest.fixture
def full_session(make_event, desk):
    """Theme 0 has 2 seats, both held by people who do not come; four registered people wait for it."""
    event = make_event(day_capacity=20, theme=(2, 4), pilot=(10, 10))
    seated = [sign_up(event, n, theme=0) for n in (1, 2)]
    waiting = [sign_up(event, n, theme=0) for n in (3, 4, 5, 6)]
    return event, seated, waiting


def test_present_waitlisted_go_first_in_waitlist_order_then_walk_ins(full_session, desk):
    event, seated, waiting = full_session
    theme = slots(event)[0].sessions[0]
    walk = walk_in(event, 50, desk)  # came early, but registered at the desk: standby, after the registered
    assert choice_in(walk, theme).status == RegistrationStatus.WAITLISTED
    for registration in (waiting[3], waiting[1]):  # number 6 arrives before number 4
        arrive(event, registration, desk)
    arrive(event, seated[1], desk)  # one seat holder came: keeps the seat

    plan = release.release(db.session, event, utcnow(), [slots(event)[0].id], include_day=False)
    db.session.commit()

    assert plan.released == 1 and plan.seated == 1
    assert [c.registration_id for c in plan.sessions[0].seated] == [waiting[1].id]  # number 4: earlier in line
    assert choice_in(seated[0], theme).status == RegistrationStatus.RELEASED
    assert seated[0].status == RegistrationStatus.CONFIRMED  # they keep their registration
    assert confirmed_in(theme) == {seated[1].id, waiting[1].id}
    assert choice_in(waiting[3], theme).status == RegistrationStatus.WAITLISTED
    assert choice_in(walk, theme).status == RegistrationStatus.WAITLISTED
    assert choice_in(waiting[0], theme).status == RegistrationStatus.WAITLISTED  # not here: not seated
    promoted = mails(RegistrationMail.PROMOTED, waiting[1])
    assert promoted and promoted[-1].payload["session_id"] == theme.id  # the update, with a new invitation
    check_session_counters(event)


def test_walk_ins_on_standby_get_the_seats_left_after_the_waiting(full_session, desk):
    event, _seated, waiting = full_session
    theme = slots(event)[0].sessions[0]
    walks = [walk_in(event, 50, desk), walk_in(event, 51, desk)]
    arrive(event, waiting[2], desk)
    plan = release.release(db.session, event, utcnow(), None, include_day=False)
    db.session.commit()
    seated = [c.registration_id for c in plan.sessions[0].seated]
    assert seated == [waiting[2].id, walks[0].id]  # two seats: the registered first, then the first walk-in
    assert choice_in(walks[1], theme).status == RegistrationStatus.WAITLISTED
    assert plan.as_json("en")["sessions"]["Theme 0"] == {"released": 2, "seated": 2}
    check_session_counters(event)


def test_a_person_seated_from_the_door_frees_their_old_seat_for_the_next(make_event, desk):
    event = make_event(day_capacity=20, theme=(1, 1), pilot=(10, 10))
    absent = sign_up(event, 1, theme=0)
    mover = sign_up(event, 2, theme=1)  # seated in Theme 1, waits for Theme 0
    theme0, theme1 = slots(event)[0].sessions
    change_session(db.session, mover, theme0.id, utcnow(), join_waitlist=True)
    db.session.commit()
    next_in_line = sign_up(event, 3, theme=1)
    for registration in (mover, next_in_line):
        arrive(event, registration, desk)
    plan = release.release(db.session, event, utcnow(), None, include_day=False)
    db.session.commit()
    assert plan.released == 2 and plan.seated == 2  # the absent person's theme and pilot seats
    assert confirmed_in(theme0) == {mover.id} and confirmed_in(theme1) == {next_in_line.id}
    assert choice_in(absent, theme0).status == RegistrationStatus.RELEASED
    check_session_counters(event)


def test_a_dry_run_changes_nothing(full_session, desk):
    event, _seated, waiting = full_session
    arrive(event, waiting[0], desk)
    before = db.session.execute(select(Choice.id, Choice.status).order_by(Choice.id)).all()
    taken = list(db.session.scalars(select(Session.seats_taken).order_by(Session.id)))
    mail_count = db.session.scalar(select(func.count()).select_from(OutgoingMail))

    preview = release.plan(db.session, event, slots(event), include_day=True)
    db.session.commit()

    assert preview.released == 2 + 5 and preview.seated == 1  # theme 0's two, the five absent people's pilot seats
    db.session.expire_all()
    assert db.session.execute(select(Choice.id, Choice.status).order_by(Choice.id)).all() == before
    assert list(db.session.scalars(select(Session.seats_taken).order_by(Session.id))) == taken
    assert db.session.scalar(select(func.count()).select_from(OutgoingMail)) == mail_count
    assert slots(event)[0].seats_released_at is None and event.day_seats_released_at is None


def test_a_second_release_finds_nothing_left(full_session, desk):
    event, _seated, waiting = full_session
    arrive(event, waiting[0], desk)
    first = release.release(db.session, event, utcnow())
    db.session.commit()
    second = release.release(db.session, event, utcnow())
    db.session.commit()
    assert first.seated == 1 and (second.released, second.seated, len(second.day_released)) == (0, 0, 0)
    check_session_counters(event)


def test_a_released_latecomer_is_told_and_seated_with_one_tap(full_session, desk):
    event, seated, waiting = full_session
    theme0, theme1 = slots(event)[0].sessions
    arrive(event, waiting[0], desk)
    arrive(event, waiting[1], desk)
    release.release(db.session, event, utcnow(), [slots(event)[0].id])  # the theme slot and the day; pilots later
    db.session.commit()
    latecomer = seated[0]
    assert latecomer.day_seat_released_at is not None
    day_taken = event.seats_taken

    outcome = arrive(event, latecomer, desk)

    assert outcome.status == "ok"
    db.session.refresh(latecomer)
    assert latecomer.day_seat_released_at is None and event.seats_taken == day_taken + 1  # in the day again
    assert [c.session_id for c in release.released_seats(latecomer)] == [theme0.id]
    assert [s.id for s in release.sessions_with_room(latecomer)] == [theme1.id]  # theme 0 went to the door
    release.seat_latecomer(db.session, latecomer, theme1.id, utcnow())
    db.session.commit()
    assert confirmed_in(theme1) >= {latecomer.id} and release.released_seats(latecomer) == []
    with pytest.raises(release.NoRoom):
        release.seat_latecomer(db.session, latecomer, theme0.id, utcnow())
    check_session_counters(event)


def test_day_seats_of_no_shows_free_places_for_walk_ins(make_event, desk):
    event = make_event(day_capacity=2, theme=(5, 5), pilot=(5, 5))
    sign_up(event, 1)
    present = sign_up(event, 2)
    arrive(event, present, desk)
    with pytest.raises(services.DayFull):
        walk_in(event, 50, desk)
    db.session.rollback()
    plan = release.release(db.session, event, utcnow(), [], include_day=True)
    db.session.commit()
    assert [r.id for r in plan.day_released] != [] and present.id not in [r.id for r in plan.day_released]
    walk = walk_in(event, 50, desk)
    assert walk.status == RegistrationStatus.CONFIRMED
    assert event.seats_taken == 2


def test_due_releases_each_slot_once_at_its_moment(make_event, desk):
    event = make_event(day_capacity=20, theme=(1, 1), pilot=(1, 1))
    sign_up(event, 1)
    theme_slot, pilot_slot = slots(event)
    at_1410 = event.local_datetime(dt.time(14, 10)).astimezone(dt.UTC)
    assert release.due(event, at_1410 - dt.timedelta(minutes=11), 10) == ([], False)  # 13:59: nothing yet
    assert release.due(event, at_1410, 10) == ([theme_slot], True)
    plans = release.release_due(db.session, at_1410, 10)
    db.session.commit()
    assert plans[event.slug].released == 1  # the theme seat; the pilot seat is released at 15:20
    assert release.release_due(db.session, at_1410 + dt.timedelta(minutes=1), 10) == {}
    plans = release.release_due(db.session, at_1410 + dt.timedelta(minutes=70), 10)
    db.session.commit()
    assert plans[event.slug].released == 1 and plans[event.slug].slot_ids == [pilot_slot.id]


def test_a_waitlisted_person_checking_in_hears_their_number_at_the_door(full_session, desk):
    event, _seated, waiting = full_session
    theme = slots(event)[0].sessions[0]
    arrive(event, waiting[2], desk)
    outcome = arrive(event, waiting[1], desk)
    assert release.door_places(db.session, waiting[1]) == [(theme, 1)]
    assert release.door_places(db.session, waiting[2]) == [(theme, 2)]
    assert outcome.door_places == [(theme, 1)]
    assert db.session.get(Registration, waiting[0].id).status == RegistrationStatus.CONFIRMED


def test_a_released_person_can_choose_again_even_the_same_session(full_session, desk):
    event, seated, waiting = full_session
    theme0, theme1 = slots(event)[0].sessions
    release.release(db.session, event, utcnow(), [slots(event)[0].id], include_day=False)
    db.session.commit()
    latecomer = seated[0]
    outcome = change_session(db.session, latecomer, theme0.id, utcnow(), join_waitlist=True)
    db.session.commit()
    assert outcome.outcome == "confirmed"  # nobody was here to take it: the seat is free again
    assert choice_in(latecomer, theme0).status == RegistrationStatus.CONFIRMED
    assert release.released_seats(latecomer) == []
    check_session_counters(event)
