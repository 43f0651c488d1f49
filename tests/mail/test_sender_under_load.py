"""The in-process sender delivers while registrations pour in: no "database is locked", no mail left behind, each
confirmation received once by a real SMTP server."""

import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from sqlalchemy import select

from eventapp.events.models import Event
from eventapp.platform.extensions import db
from eventapp.platform.mail.models import OutgoingMail
from tests.conftest import load_demo
from tests.registration.helpers import slots
from tests.served import served_app

pytestmark = pytest.mark.both_databases
TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def test_sender_and_registrations_share_the_database(app, database_url, tmp_path, smtp, smtp_port):
    slug = load_demo(app)
    with app.app_context():
        theme, pilot = slots(db.session.scalar(select(Event)))
        choice = {f"choice_{theme.id}": str(theme.sessions[0].id), f"choice_{pilot.id}": str(pilot.sessions[0].id)}
    env = {
        "EVENTAPP_MAIL_SENDER_IN_PROCESS": "true",
        "EVENTAPP_MAIL_SERVER": "127.0.0.1",
        "EVENTAPP_MAIL_PORT": str(smtp_port),
        "EVENTAPP_MAIL_SUPPRESS_SEND": "false",  # the testing settings suppress it
        "EVENTAPP_MAIL_SENDER_POLL_SECONDS": "1",
    }
    log = tmp_path / "gunicorn.log"
    barrier = threading.Barrier(30)
    with served_app(database_url, log, workers=2, threads=8, env=env) as base_url:

        def register(number):
            browser = requests.Session()
            token = TOKEN.search(browser.get(f"{base_url}/e/{slug}/register", timeout=30).text).group(1)
            barrier.wait(timeout=60)
            data = {
                "csrf_token": token,
                "name": f"P {number}",
                "email": f"p{number}@example.org",
                "organisation": "Politie",
                "organisation_type": "other",
                "language": "nl",
                "consent": "y",
                **choice,
            }
            return browser.post(
                f"{base_url}/e/{slug}/register", data=data, allow_redirects=False, timeout=60
            ).status_code

        with ThreadPoolExecutor(max_workers=30) as pool:
            assert set(pool.map(register, range(30))) == {302}
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with app.app_context():
                statuses = set(db.session.scalars(select(OutgoingMail.status)))
            if statuses == {"sent"}:
                break
            time.sleep(0.5)
    assert statuses == {"sent"}
    received = sorted(address for envelope in smtp.envelopes for address in envelope.rcpt_tos)
    assert received == sorted(f"p{number}@example.org" for number in range(30))
    assert "database is locked" not in log.read_text() and "Traceback" not in log.read_text()
