"""Preference mode for real: 60 people rank sessions through the served form, `flask allocate` hands out the seats,
`flask send-mail` delivers one mail per person with their sessions and the updated calendar invitation."""

import json
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import requests
from sqlalchemy import func, select

from eventapp.events.models import Event, Session
from eventapp.platform.extensions import db
from eventapp.registration.models import Choice, Registration, RegistrationStatus
from eventapp.registration.preferences import Preference
from tests.conftest import load_demo
from tests.registration.helpers import slots
from tests.served import PROJECT_ROOT, served_app

PEOPLE = 60
KINDS = ("municipality", "police", "youth_care", "education", "halt")
TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def flask(database_url: str, *arguments: str, smtp_port: int | None = None) -> subprocess.CompletedProcess:
    environment = {**os.environ, "EVENTAPP_ENV": "testing", "DATABASE_URL": database_url}
    if smtp_port:
        mail = {"EVENTAPP_MAIL_SERVER": "127.0.0.1", "EVENTAPP_MAIL_PORT": str(smtp_port)}
        environment.update(mail, EVENTAPP_MAIL_SUPPRESS_SEND="false")
    command = [sys.executable, "-m", "flask", "--app", "wsgi", *arguments]
    return subprocess.run(command, cwd=PROJECT_ROOT, env=environment, capture_output=True, text=True, timeout=300)


def deliver_all(database_url: str, smtp, smtp_port: int) -> list:
    """`flask send-mail` (twenty mails a round) until the outbox is empty; every message received so far."""
    while True:
        before = len(smtp.envelopes)
        assert flask(database_url, "send-mail", smtp_port=smtp_port).returncode == 0
        if len(smtp.wait_for(before + 1, timeout=2)) == before:
            return smtp.messages


def register(base_url: str, slug: str, fields: dict) -> int:
    browser = requests.Session()
    page = browser.get(f"{base_url}/e/{slug}/register", timeout=30)
    assert 'name="rank_' in page.text and 'name="choice_' not in page.text
    data = {"csrf_token": TOKEN.search(page.text).group(1), **fields}
    return browser.post(f"{base_url}/e/{slug}/register", data=data, allow_redirects=False, timeout=60).status_code


def test_sixty_people_rank_through_the_form_and_the_command_allocates_and_mails(
    app, database_url, tmp_path, smtp, smtp_port
):
    slug = load_demo(app)
    switched = flask(database_url, "allocation-mode", slug, "preferences", "--deadline", "2099-06-01T12:00:00+00:00")
    assert switched.returncode == 0, switched.stderr
    with app.app_context():
        theme, pilot = slots(db.session.scalar(select(Event).where(Event.slug == slug)))
        theme_ids, pilot_ids = [s.id for s in theme.sessions], [s.id for s in pilot.sessions]

    def fields(number: int) -> dict:
        first = 0 if number % 3 else 1  # a crowd for the first theme session
        return {
            "name": f"Ranker {number}",
            "email": f"ranker{number}@example.org",
            "organisation": "Een organisatie",
            "organisation_type": KINDS[number % len(KINDS)],
            "language": "en" if number % 2 else "nl",
            "consent": "y",
            f"rank_{theme.id}_1": str(theme_ids[first]),
            f"rank_{theme.id}_2": str(theme_ids[2]),
            f"rank_{theme.id}_3": "",
            f"rank_{pilot.id}_1": str(pilot_ids[number % len(pilot_ids)]),
        }

    with served_app(database_url, tmp_path / "gunicorn.log") as base_url:
        with ThreadPoolExecutor(max_workers=8) as pool:
            statuses = list(pool.map(lambda n: register(base_url, slug, fields(n)), range(PEOPLE)))
    assert set(statuses) == {302}

    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Preference)) == PEOPLE * 3
        rankers = select(Registration.id).where(Registration.email.like("ranker%"))
        assert (
            db.session.scalar(select(func.count()).select_from(Choice).where(Choice.registration_id.in_(rankers))) == 0
        )
    confirmations = len(deliver_all(database_url, smtp, smtp_port))
    assert confirmations == PEOPLE

    allocated = flask(database_url, "allocate", slug, "--seed", "21", "--json")
    assert allocated.returncode == 0, allocated.stderr
    figures = json.loads(allocated.stdout)
    assert figures["people"] == PEOPLE
    assert figures["assigned"] + figures["unassigned"] == 2 * PEOPLE
    with app.app_context():
        for session in db.session.scalars(select(Session).where(Session.id.in_(theme_ids + pilot_ids))):
            assert session.seats_taken <= session.capacity
        seated = db.session.scalar(
            select(func.count())
            .select_from(Choice)
            .where(Choice.registration_id.in_(rankers), Choice.status == RegistrationStatus.CONFIRMED)
        )
        assert seated == figures["assigned"]
    messages = deliver_all(database_url, smtp, smtp_port)[confirmations:]
    assert len(messages) == PEOPLE  # one mail per ranker; the demo's people, seated before, get none
    assert sorted(m["To"].addresses[0].addr_spec for m in messages) == sorted(
        f"ranker{n}@example.org" for n in range(PEOPLE)
    )
    for message in messages:  # the updated invitation: same UID, SEQUENCE raised from the confirmation's 0
        calendars = [part for part in message.walk() if part.get_content_type() == "text/calendar"]
        assert calendars and all("SEQUENCE:1" in part.get_content() for part in calendars)
    english = next(m for m in messages if m["To"].addresses[0].addr_spec == "ranker1@example.org")
    assert "allocated" in english.get_body(("plain",)).get_content()
