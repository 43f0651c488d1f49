"""Two desks scan the same code at the same moment, through gunicorn, on SQLite and PostgreSQL."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from sqlalchemy import func, select

from eventapp.checkin.models import CheckIn, Scan
from eventapp.platform.extensions import db
from tests.checkin.days import on_the_day
from tests.registration.helpers import sign_up
from tests.served import served_app

pytestmark = pytest.mark.both_databases

PEOPLE = 20
DESKS_PER_CODE = 3


def test_simultaneous_scans_of_one_code_give_one_ok(app, database_url, make_event, make_device, tmp_path):
    with app.app_context():
        event = make_event(day_capacity=PEOPLE)
        codes = [sign_up(event, n).ticket_code for n in range(PEOPLE)]
        on_the_day(event)  # scans count on the event's day; people signed up before
        db.session.commit()
        slug = event.slug
    tokens = [make_device(f"desk {n}") for n in range(DESKS_PER_CODE)]
    jobs = [(code, token) for code in codes for token in tokens]
    barrier = threading.Barrier(len(jobs))

    with served_app(database_url, tmp_path / "gunicorn.log") as base_url:

        def scan(job):
            code, token = job
            session = requests.Session()
            session.headers["Authorization"] = f"Bearer {token}"
            barrier.wait(timeout=60)
            response = session.post(f"{base_url}/api/v1/checkin", json={"code": code, "event": slug}, timeout=60)
            return code, response.status_code, response.json().get("status")

        with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
            answers = list(pool.map(scan, jobs))

    assert {status for _, status, _ in answers} == {200}, (tmp_path / "gunicorn.log").read_text()[-3000:]
    for code in codes:
        outcomes = sorted(outcome for c, _, outcome in answers if c == code)
        assert outcomes == ["already_checked_in"] * (DESKS_PER_CODE - 1) + ["ok"], code
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(CheckIn)) == PEOPLE
        assert db.session.scalar(select(func.count()).select_from(Scan)) == len(jobs)  # every scan recorded
