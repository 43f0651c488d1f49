"""Allocating an event's seats through the seat rules and the commands, on SQLite and PostgreSQL."""

import datetime as dt
import json

import pytest
from sqlalchemy import func, select

from eventapp.allocation import services
from eventapp.allocation.models import AllocationRun
from eventapp.events.services import choice_slots
from eventapp.platform.db import utcnow
from eventapp.platform.extensions import db
from eventapp.platform.mail.models import OutgoingMail
from eventapp.registration import preferences
from eventapp.registration import services as registration_services
from eventapp.registration.models import Choice, RegistrationMail, RegistrationStatus
from tests.registration.helpers import person

KINDS = ("municipality", "police", "education", "youth_care")


def in_preference_mode(event, deadline_in=dt.timedelta(days=2)):
    services.set_mode(event, "preferences", utcnow() + deadline_in)
    db.session.commit()
    return event


def rank(event, number: int, theme: list[int], pilot: list[int], kind="municipality"):
    theme_slot, pilot_slot = choice_slots(event)
    ranking = {
        theme_slot.id: [theme_slot.sessions[i].id for i in theme],
        pilot_slot.id: [pilot_slot.sessions[i].id for i in pilot],
    }
    registration = registration_services.register(
        db.session, event, person(number, organisation_type=kind), {}, "test", utcnow(), ranking=ranking
    )
    db.session.commit()
    return registration


def test_in_preference_mode_a_registration_holds_a_day_seat_and_its_ranking_but_no_session_seat(
    app_context, make_event
):
    event = in_preference_mode(make_event(theme=(2, 2), pilot=(2, 2)))
    registration = rank(event, 1, [1, 0], [0])
    assert registration.status == RegistrationStatus.CONFIRMED
    assert registration.choices == []
    theme, pilot = choice_slots(event)
    assert preferences.ranking_of(db.session, registration) == {
        theme.id: [theme.sessions[1].id, theme.sessions[0].id],
        pilot.id: [pilot.sessions[0].id],
    }
    with pytest.raises(registration_services.InvalidChoices):
        rank(event, 2, [0, 0], [0])  # a session twice


def test_a_ranking_changes_until_the_deadline_and_not_after(app_context, make_event):
    event = in_preference_mode(make_event())
    registration = rank(event, 1, [0], [0])
    theme, pilot = choice_slots(event)
    preferences.save_ranking(
        db.session, registration, {theme.id: [theme.sessions[1].id], pilot.id: [pilot.sessions[0].id]}, utcnow()
    )
    assert preferences.ranking_of(db.session, registration)[theme.id] == [theme.sessions[1].id]
    with pytest.raises(preferences.RankingClosed):
        preferences.save_ranking(db.session, registration, {}, utcnow() + dt.timedelta(days=3))


@pytest.mark.both_databases
def test_the_allocation_fills_seats_through_the_seat_rules_and_mails_each_person_once(backend, app_context, make_event):
    event = in_preference_mode(make_event(day_capacity=20, theme=(3, 3), pilot=(4, 4)))
    people = [rank(event, n, [0, 1], [n % 2], kind=KINDS[n % 4]) for n in range(8)]
    result = services.run(db.session, event, seed=5, now=utcnow())
    db.session.commit()
    figures = result.figures()
    assert figures["people"] == 8
    assert figures["assigned"] == 6 + 8 and figures["unassigned"] == 2
    assert sum(figures["by_rank"].values()) == figures["assigned"]
    theme, pilot = choice_slots(event)
    for session in theme.sessions + pilot.sessions:
        db.session.refresh(session)
        assert session.seats_taken <= session.capacity
    assert [s.seats_taken for s in theme.sessions] == [3, 3]
    waiting = db.session.scalars(select(Choice).where(Choice.status == RegistrationStatus.WAITLISTED)).all()
    assert {choice.session_id for choice in waiting} == {theme.sessions[0].id}  # their first choice
    mails = db.session.scalars(select(OutgoingMail).where(OutgoingMail.payload["allocated"].as_boolean())).all()
    assert sorted(mail.registration_id for mail in mails) == sorted(p.id for p in people)
    assert all(mail.kind == RegistrationMail.CHOICE_CHANGED for mail in mails)
    assert all(p.calendar_sequence == 1 for p in people)
    assert db.session.scalar(select(AllocationRun.seed)) == 5
    assert event.allocated_at is not None and not event.collects_preferences
    with pytest.raises(services.AllocationError):
        services.run(db.session, event, seed=5, now=utcnow())


def test_commands_switch_the_mode_allocate_as_json_and_a_dry_run_changes_nothing(app, runner, make_event):
    with app.app_context():
        event = make_event(day_capacity=20, theme=(3, 3), pilot=(4, 4))
        slug = event.slug
    answer = runner.invoke(args=["allocation-mode", slug, "preferences", "--deadline", "2099-01-01T12:00:00+01:00"])
    assert answer.exit_code == 0, answer.output
    with app.app_context():
        event = db.session.scalar(select(type(event)).where(type(event).slug == slug))
        for n in range(8):
            rank(event, n, [n % 2, 1 - n % 2], [0, 1], kind=KINDS[n % 2])
    dry = runner.invoke(args=["allocate", slug, "--seed", "3", "--dry-run", "--json"])
    again = runner.invoke(args=["allocate", slug, "--seed", "3", "--dry-run", "--json"])
    figures = json.loads(dry.stdout)
    assert figures == json.loads(again.stdout)
    assert set(figures) == {"people", "assigned", "by_rank", "unassigned", "sessions"}
    assert figures["sessions"]["Theme 0"] == {
        "seats": 3,
        "assigned": 3,
        "max_type_share": pytest.approx(2 / 3, abs=1e-3),
    }
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Choice)) == 0
        assert db.session.scalar(select(func.count()).select_from(AllocationRun)) == 0
    done = runner.invoke(args=["allocate", slug, "--seed", "3", "--json"])
    assert json.loads(done.stdout) == figures
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Choice)) == 8 + 8


def test_allocate_due_allocates_only_events_whose_deadline_passed(app, runner, make_event):
    with app.app_context():
        due, later = make_event(), make_event()
        in_preference_mode(due, dt.timedelta(minutes=5))
        in_preference_mode(later, dt.timedelta(days=5))
        rank(due, 1, [0], [0])
        rank(later, 2, [0], [0])
        due.preferences_deadline = utcnow() - dt.timedelta(minutes=1)
        db.session.commit()
        slugs = due.slug, later.slug
    answer = runner.invoke(args=["allocate", "--due", "--seed", "1"])
    assert answer.exit_code == 0, answer.output
    assert slugs[0] in answer.output and slugs[1] not in answer.output
    assert runner.invoke(args=["allocate", "--due"]).output == ""  # allocated once
    assert runner.invoke(args=["allocation-mode", slugs[1], "preferences"]).exit_code == 0  # keeps its deadline
    assert runner.invoke(args=["allocation-mode", "no-such-day", "first-come"]).exit_code != 0


def test_people_on_the_days_waitlist_keep_their_first_choices_as_wishes(app_context, make_event):
    event = in_preference_mode(make_event(day_capacity=1, theme=(2, 2), pilot=(2, 2)))
    seated, waiting = rank(event, 1, [0], [1]), rank(event, 2, [1, 0], [0])
    assert waiting.status == RegistrationStatus.WAITLISTED
    services.run(db.session, event, seed=1, now=utcnow())
    db.session.commit()
    theme, pilot = choice_slots(event)
    assert {(c.session_id, c.status) for c in waiting.choices} == {
        (theme.sessions[1].id, RegistrationStatus.WAITLISTED),
        (pilot.sessions[0].id, RegistrationStatus.WAITLISTED),
    }
    registration_services.cancel(db.session, seated, utcnow())  # the day seat goes to the first waiting
    db.session.commit()
    assert waiting.status == RegistrationStatus.CONFIRMED
    assert {c.status for c in waiting.choices} == {RegistrationStatus.CONFIRMED}
