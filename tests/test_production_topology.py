"""The production topology without containers: two app servers, two mail workers, one PostgreSQL, one Redis.

Two gunicorn instances (2 workers each, their own ports) in production settings share a PostgreSQL
database and a Redis (rate limits, page cache); two `flask send-mail --loop` workers deliver to an
SMTP sink. A registration rush goes to both instances (each person's form from one, the POST to
the other): seats are never overbooked. A login on one instance holds on the other (signed-cookie
sessions need only the shared secret key). Failed logins on both count towards one limit. Every
mail arrives exactly once, with its links at EVENTAPP_PUBLIC_URL.
"""

import contextlib
import os
import re
import secrets
import subprocess
import sys
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
import redis
import requests
from sqlalchemy import func, select

from eventapp.events.models import Event
from eventapp.platform.extensions import db
from eventapp.platform.mail.models import OutgoingMail
from eventapp.registration.models import Choice, Registration, RegistrationStatus
from tests.mail.smtp import start_smtp
from tests.registration.helpers import slots
from tests.served import PROJECT_ROOT, free_port, serving

pytestmark = pytest.mark.parametrize("backend", ["postgresql"], indirect=True)

PUBLIC_URL = "https://programmadag.example.org"
PEOPLE = 80
DAY_SEATS, SESSION_SEATS = 50, (15, 15)
TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
LINK = re.compile(r"""(?:https?|webcal)://[^\s"'<>)\]]+""")


def production_environment(database_url: str, redis_url: str, smtp_port: int, prefix: str) -> dict:
    return {
        "EVENTAPP_ENV": "production",
        "DATABASE_URL": database_url,
        "EVENTAPP_SECRET_KEY": secrets.token_urlsafe(48),  # one key for every process: sessions hold everywhere
        "EVENTAPP_PUBLIC_URL": PUBLIC_URL,
        "EVENTAPP_ORGANIZER_EMAIL": "programma@example.org",
        "EVENTAPP_RATELIMIT_STORAGE_URI": redis_url,
        "EVENTAPP_RATELIMIT_KEY_PREFIX": f"{prefix}-limits",
        "EVENTAPP_CACHE_TYPE": "RedisCache",
        "EVENTAPP_CACHE_REDIS_URL": redis_url,
        "EVENTAPP_CACHE_KEY_PREFIX": f"{prefix}-cache-",
        "EVENTAPP_MAIL_SERVER": "127.0.0.1",
        "EVENTAPP_MAIL_PORT": str(smtp_port),
        "EVENTAPP_MAIL_SUPPRESS_SEND": "false",
        "EVENTAPP_SESSION_COOKIE_SECURE": "false",  # loopback has no TLS; the proxy terminates it in production
        "EVENTAPP_ALLOW_INSECURE_COOKIES": "true",
        "EVENTAPP_REQUEST_LOG": "false",
    }


@contextlib.contextmanager
def mail_workers(environment: dict, logs: list, count: int = 2):
    """`flask send-mail --loop` processes, as deploy/ runs them."""
    workers = []
    for number in range(count):
        log = open(logs[number], "wb")  # noqa: SIM115 - closed below
        command = [sys.executable, "-m", "flask", "--app", "wsgi", "send-mail", "--loop", "--interval", "0.5"]
        process = subprocess.Popen(
            command, cwd=PROJECT_ROOT, env={**os.environ, **environment}, stdout=log, stderr=subprocess.STDOUT
        )
        workers.append((process, log))
    try:
        yield
    finally:
        for process, log in workers:
            process.terminate()
            process.wait(timeout=15)
            log.close()


def register(servers: list[str], slug: str, choices: list[dict], number: int) -> int:
    """One person: the form from one instance, the POST to the other."""
    browser = requests.Session()
    form_from, post_to = servers[number % 2], servers[(number + 1) % 2]
    token = TOKEN.search(browser.get(f"{form_from}/e/{slug}/register", timeout=30).text).group(1)
    data = {
        "csrf_token": token,
        "name": f"Rush {number}",
        "email": f"rush{number}@example.org",
        "organisation": "Veiligheidsregio IJsselland",
        "organisation_type": "other",
        "language": "nl",
        "consent": "y",
        **choices[number % len(choices)],
    }
    return browser.post(f"{post_to}/e/{slug}/register", data=data, allow_redirects=False, timeout=60).status_code


def log_in(browser: requests.Session, server: str, email: str, password: str) -> requests.Response:
    token = TOKEN.search(browser.get(f"{server}/staff/login", timeout=30).text).group(1)
    data = {"csrf_token": token, "email": email, "password": password}
    return browser.post(f"{server}/staff/login", data=data, allow_redirects=False, timeout=30)


def seats_check(app, slug: str) -> dict:
    """Seats taken against capacities, counted from the rows."""
    with app.app_context():
        event = db.session.scalar(select(Event).where(Event.slug == slug))
        confirmed = select(func.count()).select_from(Registration)
        confirmed = confirmed.where(Registration.event_id == event.id, Registration.status == "confirmed")
        sessions = {}
        for slot in slots(event):
            for session in slot.sessions:
                taken = db.session.scalar(
                    select(func.count()).where(
                        Choice.session_id == session.id, Choice.status == RegistrationStatus.CONFIRMED
                    )
                )
                sessions[session.id] = (taken, session.capacity, session.seats_taken)
        return {
            "registrations": db.session.scalar(select(func.count()).select_from(Registration)),
            "day": (db.session.scalar(confirmed), event.capacity, event.seats_taken),
            "sessions": sessions,
            "mails": db.session.scalar(select(func.count()).select_from(OutgoingMail)),
        }


def test_two_app_servers_two_mail_workers_one_truth(app, database_url, redis_url, make_event, make_user, tmp_path):
    started = time.monotonic()
    with app.app_context():
        event = make_event(day_capacity=DAY_SEATS, theme=SESSION_SEATS, pilot=SESSION_SEATS)
        slug = event.slug
        theme, pilot = slots(event)
        choices = [
            {f"choice_{theme.id}": str(theme.sessions[a].id), f"choice_{pilot.id}": str(pilot.sessions[b].id)}
            for a in (0, 1)
            for b in (0, 1)
        ]
    organiser, password = make_user(role="organiser")
    desk, _ = make_user(role="desk")
    smtp_port, prefix = free_port(), f"topology-{uuid.uuid4().hex[:8]}"
    environment = production_environment(database_url, redis_url, smtp_port, prefix)
    smtp_controller, sink = start_smtp(smtp_port)
    figures = {}
    try:
        with contextlib.ExitStack() as stack:
            servers = [
                stack.enter_context(serving(database_url, tmp_path / f"web{n}.log", 2, 4, environment))[0]
                for n in (1, 2)
            ]
            stack.enter_context(mail_workers(environment, [tmp_path / "mail1.log", tmp_path / "mail2.log"]))
            rush_started = time.monotonic()
            with ThreadPoolExecutor(max_workers=16) as pool:
                answers = Counter(pool.map(lambda n: register(servers, slug, choices, n), range(PEOPLE)))
            figures["rush_seconds"] = round(time.monotonic() - rush_started, 1)
            assert answers == {302: PEOPLE}

            # Logged in on one instance, still logged in on the other.
            browser = requests.Session()
            assert log_in(browser, servers[0], organiser, password).status_code == 302
            assert browser.get(f"{servers[1]}/organiser/", allow_redirects=False, timeout=30).status_code == 200
            assert browser.get(f"{servers[0]}/organiser/", allow_redirects=False, timeout=30).status_code == 200

            # The account limit (5 per minute) counts failed logins on both instances together.
            attacker = requests.Session()
            tries = [log_in(attacker, servers[n % 2], desk, "wrong password").status_code for n in range(6)]
            assert tries == [401] * 5 + [429]

            # The event page is cached once, in Redis, for every app server.
            assert requests.get(f"{servers[0]}/e/{slug}/", timeout=30).status_code == 200
            assert requests.get(f"{servers[1]}/e/{slug}/", timeout=30).status_code == 200
            cached = redis.Redis.from_url(redis_url).keys(f"{prefix}-cache-*")
            assert cached, "the page cache is in Redis"

            rows = seats_check(app, slug)
            messages = sink.wait_for(rows["mails"], timeout=60)
            time.sleep(1.5)  # three more rounds of both workers: a duplicate would arrive now
            messages = sink.messages
    finally:
        smtp_controller.stop()

    # Seats: never more confirmed than a capacity, and the counters agree with the rows.
    confirmed, capacity, counter = rows["day"]
    assert rows["registrations"] == PEOPLE and confirmed == counter <= capacity
    for taken, session_capacity, session_counter in rows["sessions"].values():
        assert taken == session_counter <= session_capacity

    # Mail: every queued mail exactly once, each person one, every link at the public address.
    recipients = Counter(str(message["To"]).split("<")[-1].rstrip(">") for message in messages)
    assert len(messages) == rows["mails"] >= PEOPLE
    assert max(recipients.values()) == 1 and len(recipients) == PEOPLE
    links = [link for message in messages for link in LINK.findall(body_text(message))]
    assert links and all(link.startswith(PUBLIC_URL) for link in links), {link for link in links} - {PUBLIC_URL}
    with app.app_context():
        assert set(db.session.scalars(select(OutgoingMail.status))) == {"sent"}

    figures.update(
        people=PEOPLE,
        confirmed=confirmed,
        day_seats=capacity,
        session_seats=[(taken, cap) for taken, cap, _ in rows["sessions"].values()],
        mails=len(messages),
        duplicates=len(messages) - len(recipients),
        links=len(links),
        seconds=round(time.monotonic() - started, 1),
    )
    print(f"\nproduction topology: {figures}")


def body_text(message) -> str:
    """The text and HTML parts of a mail, decoded."""
    return "\n".join(
        part.get_content() for part in message.walk() if part.get_content_type() in ("text/plain", "text/html")
    )
