"""A full session's door against a served app, on SQLite and PostgreSQL: its waitlist scanned at once by four
door devices gets in only through "admit anyway", and then never beyond the seats."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from sqlalchemy import func, select

from eventapp.checkin.models import SessionAttendance
from eventapp.events.models import Session
from eventapp.platform.extensions import db
from tests.checkin.days import on_the_day
from tests.registration.helpers import confirmed_in, sign_up, slots
from tests.served import served_app

pytestmark = pytest.mark.both_databases

SEATS = 3
WAITING = 24
DOORS = 4


def test_a_full_sessions_waitlist_is_not_let_in(app, database_url, make_event, make_device, tmp_path):
    with app.app_context():
        event = make_event(day_capacity=40, theme=(SEATS, 40), pilot=(40, 40))
        seated = [sign_up(event, n, theme=0).ticket_code for n in range(SEATS)]
        waiting = [sign_up(event, 100 + n, theme=0).ticket_code for n in range(WAITING)]
        on_the_day(event)  # scans count on the event's day; people signed up before
        db.session.commit()
        slug, full_id = event.slug, slots(event)[0].sessions[0].id
    tokens = [make_device(f"door {n}") for n in range(DOORS)]

    def scan_all(base_url, codes, **extra):
        barrier = threading.Barrier(len(codes))

        def scan(job):
            number, code = job
            barrier.wait(timeout=60)
            response = requests.post(
                f"{base_url}/api/v1/checkin",
                json={"code": code, "event": slug, "mode": "session", "session_id": full_id, **extra},
                headers={"Authorization": f"Bearer {tokens[number % DOORS]}"},
                timeout=60,
            )
            return response.status_code, response.json()

        with ThreadPoolExecutor(max_workers=len(codes)) as pool:
            return list(pool.map(scan, enumerate(codes)))

    with served_app(database_url, tmp_path / "gunicorn.log") as base_url:
        verdicts = scan_all(base_url, waiting)
        holders = scan_all(base_url, seated)
        anyway = scan_all(base_url, waiting, admit_anyway=True, over_capacity=True)  # full, and no standing
        with app.app_context():
            db.session.get(Session, full_id).capacity = SEATS + 1  # one seat more: one of them gets it
            db.session.commit()
        one_seat = scan_all(base_url, waiting, admit_anyway=True)

    log = (tmp_path / "gunicorn.log").read_text()[-3000:]
    assert {code for code, _ in verdicts + holders + anyway + one_seat} == {200}, log
    assert {(body["status"], body["admit"]) for _, body in verdicts} == {("waitlisted_here", None)}
    assert {body["status"] for _, body in holders} == {"ok"}
    assert {(body["status"], body["reason"]) for _, body in anyway} == {("waitlisted_here", "full")}
    assert sorted(body["status"] for _, body in one_seat) == ["ok"] + ["waitlisted_here"] * (WAITING - 1)
    with app.app_context():
        full = db.session.get(Session, full_id)
        admitted = db.session.scalar(
            select(func.count()).select_from(SessionAttendance).where(SessionAttendance.session_id == full_id)
        )
        assert admitted == SEATS + 1 == full.seats_taken == len(confirmed_in(full)) == full.capacity
