"""Commands that write, run while a served app takes a rush of registrations and sends their mails.

On SQLite a transaction that reads and then writes cannot wait for a busy writer: it failed at once
with "database is locked" unless it took the write lock at BEGIN, as write requests do.
"""

import os
import re
import subprocess
import sys
import threading

import pytest
import requests
from sqlalchemy import select

from eventapp.events.models import Event
from eventapp.platform.extensions import db
from tests.conftest import load_demo
from tests.registration.helpers import slots
from tests.served import PROJECT_ROOT, served_app

pytestmark = pytest.mark.both_databases

TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
CLIENTS = 8

COMMANDS = [
    ["create-user", "desk-rush@example.org", "--role", "desk", "--generate"],
    ["create-device-token", "scanner-rush"],
    ["seed-demo", "--if-empty"],
    ["send-reminders"],
    ["send-mail"],
    ["purge-unconfirmed"],
    ["purge-personal-data"],
]


def rush(base_url: str, slug: str, choices: dict, stop: threading.Event, answers: list, client: int) -> None:
    """Register people one after another until told to stop."""
    browser = requests.Session()
    number = 0
    while not stop.is_set():
        number += 1
        token = TOKEN.search(browser.get(f"{base_url}/e/{slug}/register", timeout=30).text).group(1)
        data = {
            "csrf_token": token,
            "name": f"Rush {client} {number}",
            "email": f"rush{client}-{number}@example.org",
            "organisation": "Politie Oost-Nederland",
            "organisation_type": "other",
            "language": "nl",
            "consent": "y",
            "newsletter": "y",
            **choices,
        }
        answers.append(browser.post(f"{base_url}/e/{slug}/register", data=data, allow_redirects=False).status_code)


def run_command(database_url: str, arguments: list[str]) -> subprocess.CompletedProcess:
    environment = {**os.environ, "EVENTAPP_ENV": "testing", "DATABASE_URL": database_url}
    return subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", *arguments],
        cwd=PROJECT_ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_commands_that_write_wait_their_turn(app, database_url, tmp_path):
    slug = load_demo(app)
    with app.app_context():
        theme, pilot = slots(db.session.scalar(select(Event)))
        choices = {f"choice_{theme.id}": str(theme.sessions[0].id), f"choice_{pilot.id}": str(pilot.sessions[0].id)}
    answers: list[int] = []
    stop = threading.Event()
    sender = {"EVENTAPP_MAIL_SENDER_IN_PROCESS": "true"}  # the mails go out beside the rush, as under make run
    failures = []
    with served_app(database_url, tmp_path / "gunicorn.log", workers=2, threads=4, env=sender) as base_url:
        threads = [
            threading.Thread(target=rush, args=(base_url, slug, choices, stop, answers, n)) for n in range(CLIENTS)
        ]
        for thread in threads:
            thread.start()
        try:
            for arguments in COMMANDS:
                done = run_command(database_url, arguments)
                if done.returncode != 0:
                    failures.append((arguments[0], done.stderr[-2000:]))
        finally:
            stop.set()
            for thread in threads:
                thread.join(timeout=60)
    assert failures == []
    assert len(answers) >= CLIENTS and set(answers) == {302}
