"""The scheduler: every timed job at its time, each run as the flask command a person would type."""

import datetime as dt
from pathlib import Path

from eventapp.platform.scheduler import JOBS, Job, build_scheduler, run_job
from tests.served import PROJECT_ROOT


def test_the_timed_jobs_are_known_commands(app):
    commands = set(app.cli.list_commands(None))
    expected = {
        "send-reminders",
        "send-feedback-requests",
        "purge-personal-data",
        "purge-unconfirmed",
        "release-no-shows",
        "allocate",
        "release-unclaimed",
        "freeze-day-seats",
    }
    assert {job.command[0] for job in JOBS} == expected
    assert {job.command[0] for job in JOBS} <= commands


def test_each_job_runs_once_a_day_at_its_wall_clock_time():
    scheduler = build_scheduler("Europe/Amsterdam", Path("."))
    jobs = {job.id: job for job in scheduler.get_jobs()}
    reminders = jobs["send-reminders"].trigger
    summer = dt.datetime(2027, 6, 1, 12, tzinfo=dt.UTC)
    first = reminders.get_next_fire_time(None, summer)
    assert (first.hour, first.minute, first.utcoffset()) == (9, 0, dt.timedelta(hours=2))
    assert reminders.get_next_fire_time(first, first + dt.timedelta(seconds=1)) - first == dt.timedelta(days=1)


def test_the_release_of_no_show_seats_runs_every_minute():
    scheduler = build_scheduler("Europe/Amsterdam", Path("."))
    trigger = {job.id: job for job in scheduler.get_jobs()}["release-no-shows --due"].trigger
    first = trigger.get_next_fire_time(None, dt.datetime(2027, 6, 1, 12, tzinfo=dt.UTC))
    assert trigger.get_next_fire_time(first, first + dt.timedelta(seconds=1)) - first == dt.timedelta(minutes=1)


def test_a_job_runs_as_a_flask_command(database_url, monkeypatch):
    monkeypatch.setenv("EVENTAPP_ENV", "testing")
    monkeypatch.setenv("DATABASE_URL", database_url)
    assert run_job(Job(("purge-unconfirmed", "--dry-run"), 3, 45), PROJECT_ROOT) == 0
    assert run_job(Job(("no-such-command",), 3, 45), PROJECT_ROOT) != 0
    assert run_job(Job(("release-no-shows", "--due"), every_minutes=1), PROJECT_ROOT) == 0
    assert run_job(Job(("release-unclaimed",), every_minutes=15), PROJECT_ROOT) == 0
    assert run_job(Job(("freeze-day-seats",), every_minutes=15), PROJECT_ROOT) == 0


def test_due_allocations_are_looked_for_every_ten_minutes():
    scheduler = build_scheduler("Europe/Amsterdam", Path("."))
    trigger = {job.id: job for job in scheduler.get_jobs()}["allocate --due"].trigger
    start = dt.datetime(2027, 6, 1, 12, 3, tzinfo=dt.UTC)
    first = trigger.get_next_fire_time(None, start)
    assert first.minute == 10
    assert trigger.get_next_fire_time(first, first + dt.timedelta(seconds=1)) - first == dt.timedelta(minutes=10)


def test_unclaimed_seats_are_looked_for_every_quarter_of_an_hour():
    scheduler = build_scheduler("Europe/Amsterdam", Path("."))
    trigger = {job.id: job for job in scheduler.get_jobs()}["release-unclaimed"].trigger
    first = trigger.get_next_fire_time(None, dt.datetime(2027, 6, 1, 12, 1, tzinfo=dt.UTC))
    assert first.minute == 15
    assert trigger.get_next_fire_time(first, first + dt.timedelta(seconds=1)) - first == dt.timedelta(minutes=15)
