"""The seats held when the day began (issue 29): where doors are not scanned, they say who attended, and a
change on the personal page later that day does not rewrite them; the desk's and the organisers' seats do."""

import datetime as dt
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from eventapp.checkin import services as checkin
from eventapp.checkin.attended import attended_sessions
from eventapp.events.models import Event
from eventapp.platform.db import writing
from eventapp.platform.extensions import db
from eventapp.registration import day_seats
from eventapp.registration.models import DaySeat, Registration
from eventapp.registration.services import change_session
from eventapp.statements.services import statement_for
from tests.after_the_day.conftest import DESK, check_in, through_door
from tests.registration.helpers import person, sign_up

pytestmark = pytest.mark.both_databases


def titles(registration) -> list[str]:
    return [session.title_en for session in attended_sessions(db.session, registration)]


def on_the_day(event, hour: int) -> dt.datetime:
    return event.local_datetime(dt.time(hour))


def test_a_change_on_the_personal_page_on_the_day_leaves_the_seat_held_at_its_start(app_context, make_event):
    event = make_event(theme=[5, 5], pilot=[5, 5])
    person = sign_up(event, 1, theme=0, pilot=0)
    pilot1 = event.agenda_items[2].sessions[1]
    check_in(event, person, on_the_day(event, 13))
    change_session(db.session, person, pilot1.id, on_the_day(event, 16))
    db.session.commit()
    assert event.seats_frozen_at == on_the_day(event, 16)  # the change itself wrote them down first
    assert titles(person) == ["Theme 0", "Pilot 0"]
    assert {c.session_id for c in person.choices} >= {pilot1.id}  # the seat did move, for the calendar


def test_before_the_day_a_change_is_what_counts(app_context, make_event):
    event = make_event(theme=[5, 5], pilot=[5, 5])
    person = sign_up(event, 1, theme=0, pilot=0)
    change_session(db.session, person, event.agenda_items[2].sessions[1].id, on_the_day(event, 10) - dt.timedelta(2))
    db.session.commit()
    assert event.seats_frozen_at is None
    assert titles(person) == ["Theme 0", "Pilot 1"]


def test_the_job_writes_the_seats_down_once_and_only_on_the_day(app_context, make_event):
    event, other = make_event(), make_event()
    other.date += dt.timedelta(days=1)
    sign_up(event, 1, theme=0, pilot=0)
    sign_up(event, 2, theme=1, pilot=1)
    sign_up(other, 3)
    assert day_seats.freeze_due(db.session, on_the_day(event, 0) - dt.timedelta(minutes=1)) == {}  # the eve
    assert day_seats.freeze_due(db.session, on_the_day(event, 0)) == {event.slug: 4}
    assert day_seats.freeze_due(db.session, on_the_day(event, 1)) == {}
    db.session.commit()
    assert other.seats_frozen_at is None and db.session.scalar(select(func.count(DaySeat.id))) == 4


def test_the_freeze_day_seats_command(app, runner, make_event):
    with app.app_context():
        event = make_event()
        sign_up(event, 1)
        event.date = dt.datetime.now(dt.UTC).astimezone(event.local_datetime(dt.time(0)).tzinfo).date()
        event.agenda_items[-1].ends_at = dt.time(23, 59)
        db.session.commit()
        slug = event.slug
    result = runner.invoke(args=["freeze-day-seats"])
    assert result.exit_code == 0, result.output
    assert f"{slug}: 2 seats held at the start of the day written down" in result.output
    assert "0 events'" in runner.invoke(args=["freeze-day-seats"]).output


def test_a_seat_the_desk_or_an_organiser_gives_on_the_day_is_where_the_person_is(app_context, make_event):
    event = make_event(theme=[5, 5], pilot=[5, 5])
    person = sign_up(event, 1, theme=0, pilot=0)
    check_in(event, person, on_the_day(event, 13))
    day_seats.freeze_due(db.session, on_the_day(event, 13))
    change_session(db.session, person, event.agenda_items[1].sessions[1].id, on_the_day(event, 14), by_staff=True)
    db.session.commit()
    assert titles(person) == ["Theme 1", "Pilot 0"]


def test_a_walk_in_after_the_freeze_has_the_seat_the_desk_gave(app_context, make_event):
    event = make_event(theme=[5, 5], pilot=[5, 5])
    sign_up(event, 1)
    day_seats.freeze_due(db.session, on_the_day(event, 1))
    theme, pilot = event.agenda_items[1:3]
    sessions = {theme.id: theme.sessions[1].id, pilot.id: pilot.sessions[1].id}
    walk_in = checkin.walk_in(db.session, event, person(2), sessions, DESK, on_the_day(event, 13))
    db.session.commit()
    assert titles(walk_in) == ["Theme 1", "Pilot 1"]


def test_a_seat_that_went_to_another_is_struck_out_and_door_scans_still_decide(app_context, make_event):
    event = make_event(theme=[5, 5], pilot=[5, 5])
    person = sign_up(event, 1, theme=0, pilot=0)
    day_seats.freeze_due(db.session, on_the_day(event, 1))
    check_in(event, person, on_the_day(event, 13))
    through_door(event, event.agenda_items[1].sessions[1], person)
    day_seats.settle(db.session, person, event.agenda_items[2].id, None, on_the_day(event, 15))
    db.session.commit()
    assert titles(person) == ["Theme 1", "Pilot 0"]  # the theme's door; the pilot: the seat held now
    person.choices.clear()
    db.session.commit()
    assert titles(person) == ["Theme 1"]


def test_a_statement_issued_after_a_change_that_evening_names_the_seat_held_at_the_start(app_context, make_event):
    event = make_event(theme=[5, 5], pilot=[5, 5])
    person = sign_up(event, 1, theme=0, pilot=0)
    day_seats.freeze_due(db.session, on_the_day(event, 0))
    check_in(event, person, on_the_day(event, 13))
    change_session(db.session, person, event.agenda_items[2].sessions[1].id, on_the_day(event, 16))
    statement = statement_for(db.session, person, on_the_day(event, 16))
    db.session.commit()
    assert [session["en"] for session in statement.snapshot["sessions"]] == ["Theme 0", "Pilot 0"]


def test_the_job_and_the_first_changes_of_the_day_racing_write_down_the_seats_at_the_start(app, make_event):
    people = 6
    with app.app_context():
        event = make_event(day_capacity=20, theme=[10, 10], pilot=[10, 10])
        ids = [sign_up(event, number, theme=0, pilot=0).id for number in range(people)]
        event_id, other_pilot, moment = event.id, event.agenda_items[2].sessions[1].id, on_the_day(event, 10)
    barrier = threading.Barrier(2 * people)

    def change(registration_id):
        with app.app_context(), writing():  # as a request and a command do: SQLite's writers wait their turn
            barrier.wait(timeout=30)
            registration = db.session.get(Registration, registration_id)
            change_session(db.session, registration, other_pilot, moment)
            db.session.commit()

    def freeze(_):
        with app.app_context(), writing():
            barrier.wait(timeout=30)
            day_seats.freeze_due(db.session, moment)
            db.session.commit()

    with ThreadPoolExecutor(max_workers=2 * people) as pool:
        done = [pool.submit(change, i) for i in ids] + [pool.submit(freeze, i) for i in ids]
        for future in done:
            future.result(timeout=60)
    with app.app_context():
        seats = db.session.execute(select(DaySeat.registration_id, DaySeat.session_id)).all()
        pilots = {s.id for s in db.session.get(Event, event_id).agenda_items[2].sessions} - {other_pilot}
        assert len(seats) == 2 * people  # written down once, a theme and a pilot seat each
        assert {session for _, session in seats if session not in pilots} == {
            s.id for s in db.session.get(Event, event_id).agenda_items[1].sessions[:1]
        }
        assert other_pilot not in {session for _, session in seats}


def test_a_message_to_those_who_attended_a_session_follows_the_seat_held_at_the_start(app_context, make_event):
    from eventapp.organiser.services import Audience, audience_people

    event = make_event(theme=[5, 5], pilot=[5, 5])
    pilot0, pilot1 = event.agenda_items[2].sessions
    person = sign_up(event, 1, theme=0, pilot=0)
    day_seats.freeze_due(db.session, on_the_day(event, 0))
    check_in(event, person, on_the_day(event, 13))
    change_session(db.session, person, pilot1.id, on_the_day(event, 16))
    db.session.commit()
    assert [p.id for p in audience_people(db.session, event, Audience("attended", pilot0))] == [person.id]
    assert audience_people(db.session, event, Audience("attended", pilot1)) == []
    assert [p.id for p in audience_people(db.session, event, Audience("session", pilot1))] == [person.id]  # a seat now
