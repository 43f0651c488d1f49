"""SIGKILL in the middle of a registration storm: nothing answered is lost, no count disagrees."""

import os
import re
import signal
import threading
import time

import pytest
import requests
from sqlalchemy import func, select

from eventapp.events.models import Event, Session
from eventapp.platform.extensions import db
from eventapp.platform.mail.models import OutgoingMail
from eventapp.registration.models import Choice, Registration, RegistrationStatus
from tests.conftest import load_demo
from tests.registration.helpers import slots
from tests.served import serving

pytestmark = pytest.mark.both_databases

TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
CLIENTS = 24


def storm(base_url: str, slug: str, choices: dict, stop: threading.Event, answered: list, client: int) -> None:
    """Register people one after another until told to stop or the server is gone."""
    browser = requests.Session()
    number = 0
    while not stop.is_set():
        number += 1
        email = f"c{client}-{number}@example.org"
        try:
            token = TOKEN.search(browser.get(f"{base_url}/e/{slug}/register", timeout=10).text).group(1)
            data = {
                "csrf_token": token,
                "name": f"Storm {client} {number}",
                "email": email,
                "organisation": "HALT",
                "organisation_type": "other",
                "language": "nl",
                "consent": "y",
                **choices[number % len(choices)],
            }
            response = browser.post(f"{base_url}/e/{slug}/register", data=data, allow_redirects=False, timeout=10)
        except (requests.RequestException, AttributeError):
            return  # the server was killed: this request has no answer
        if response.status_code == 302 and response.headers.get("Location", "").endswith("/check-mail"):
            answered.append(email)


def test_sigkill_mid_storm_loses_nothing_answered(app, database_url, tmp_path):
    slug = load_demo(app)
    with app.app_context():
        theme, pilot = slots(db.session.scalar(select(Event)))
        choices = [
            {f"choice_{theme.id}": str(t.id), f"choice_{pilot.id}": str(p.id)}
            for t in theme.sessions
            for p in pilot.sessions
        ]
    answered: list = []
    stop = threading.Event()
    with serving(database_url, tmp_path / "gunicorn.log", workers=2, threads=8) as (base_url, process):
        threads = [
            threading.Thread(target=storm, args=(base_url, slug, choices, stop, answered, n)) for n in range(CLIENTS)
        ]
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 30
        while len(answered) < 40 and time.monotonic() < deadline:
            time.sleep(0.05)
        os.killpg(process.pid, signal.SIGKILL)  # master and workers, mid-request
        process.wait()
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
    assert len(answered) >= 40

    with serving(database_url, tmp_path / "restart.log", workers=1, threads=2) as (base_url, _):
        assert requests.get(f"{base_url}/e/{slug}/", timeout=10).status_code == 200  # it comes back up
    with app.app_context():
        rows = dict(db.session.execute(select(Registration.email, Registration.id)).all())
        mailed = set(db.session.scalars(select(OutgoingMail.registration_id)))
        for email in answered:  # every answered registration is there, with its mail and personal link
            assert email in rows and rows[email] in mailed, email
        event = db.session.scalar(select(Event))
        confirmed = db.session.scalar(
            select(func.count()).select_from(Registration).where(Registration.status == RegistrationStatus.CONFIRMED)
        )
        assert event.seats_taken == confirmed <= event.capacity
        for session in db.session.scalars(select(Session)):
            seated = db.session.scalar(
                select(func.count())
                .select_from(Choice)
                .where(Choice.session_id == session.id, Choice.status == RegistrationStatus.CONFIRMED)
            )
            assert session.seats_taken == seated <= session.capacity, session.title_en
    print(f"\n{len(answered)} registrations answered before SIGKILL; {len(rows)} rows after restart")
