"""The reduced program day of issue 32 (`flask simulate-day --people 120`) on both databases, and its checks' teeth.

The day runs as a person would start it: the CLI, which serves the app with gunicorn in production settings.
"""

import json
import os
import subprocess
import sys

import pytest
from sqlalchemy import select

from eventapp.events.models import Event
from eventapp.platform.extensions import db
from eventapp.simulation.invariants import InvariantBroken, Invariants, Ledger
from eventapp.simulation.stage import PROJECT_ROOT, SmtpSink
from eventapp.simulation.traffic import Traffic

PEOPLE = 120


def simulate(tmp_path, *options: str) -> tuple[subprocess.CompletedProcess, dict]:
    report = tmp_path / "day.json"
    command = [sys.executable, "-m", "flask", "--app", "wsgi", "simulate-day", "--people", str(PEOPLE)]
    command += ["--json", str(report), "--keep", str(tmp_path / "day"), *options]
    environment = {key: value for key, value in os.environ.items() if not key.startswith("EVENTAPP_")}
    environment.pop("DATABASE_URL", None)
    done = subprocess.run(command, cwd=PROJECT_ROOT, env=environment, capture_output=True, text=True, timeout=1800)
    return done, json.loads(report.read_text()) if report.exists() else {}


def assert_the_day_held(done: subprocess.CompletedProcess, report: dict) -> None:
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert report["summary"]["result"] == "held"
    checked = {(check["phase"], check["name"]) for check in report["invariants"]}
    for phase in ("weeks before", "deadline", "the day", "after"):
        assert (phase, "no 5xx answer") in checked
    names = {name for _phase, name in checked}
    assert {
        "every scan recorded exactly once (offline ones too)",
        "every sent mail reached the SMTP sink exactly once",
        "after the day every statement stays as issued",
        "no trace of the erased in the database or the logs",
        "the organiser's figures equal the database's",
        "a change on the personal page after the sessions does not rewrite the statement",
        "every registration anonymised, none lost",
    } <= names
    assert all(check["held"] for check in report["invariants"])
    scans = [row for row in report["routes"] if row["route"] == "POST /api/v1/checkin" and row["phase"] == "the day"]
    assert scans and 401 in scans[0]["statuses"], "the desk whose login ended kept its scans and sent them later"


def test_a_reduced_day_on_sqlite(tmp_path):
    done, report = simulate(tmp_path)
    assert_the_day_held(done, report)
    assert report["summary"]["database"] == "sqlite"


def test_a_reduced_day_on_postgresql_with_redis(tmp_path, postgres, redis_url):
    done, report = simulate(tmp_path, "--database", postgres.url, "--redis", redis_url, "--mode", "preferences")
    assert_the_day_held(done, report)
    assert report["summary"]["database"] == "postgresql"


def test_a_counter_that_differs_from_its_rows_breaks_the_run(app, make_event, database_url):
    """The checks have teeth: one seat counter off by one stops the run with its figure."""
    with app.app_context():
        event = make_event(day_capacity=10)
        event.seats_taken += 1
        db.session.commit()
        slug = db.session.scalar(select(Event.slug))
    checks = Invariants(database_url, slug, SmtpSink(), Traffic(), Ledger())
    with pytest.raises(InvariantBroken, match="counter 1"):
        checks.after_step()


def test_a_statement_that_names_the_session_moved_to_that_evening_breaks_the_run(app, make_event, database_url):
    """The seats held at the start of the day have teeth in the run too: a statement that follows a change made
    after the sessions stops it."""
    with app.app_context():
        event = make_event()
        held, moved_to = (session.id for session in event.agenda_items[2].sessions)
        slug = event.slug
    ledger = Ledger(evening={"a@example.org": (held, moved_to)}, languages={"a@example.org": "en"})
    checks = Invariants(database_url, slug, SmtpSink(), Traffic(), ledger)
    checks.statements_rest_on_the_seats_held({"a@example.org": {"sessions": ["Theme 0", "Pilot 0"]}})
    with pytest.raises(InvariantBroken, match="1 naming the new session"):
        checks.statements_rest_on_the_seats_held({"a@example.org": {"sessions": ["Theme 0", "Pilot 1"]}})
