"""`flask release-no-shows` against a served app: people check in through the API, then the release runs
at two app servers at once (two processes, as two machines would), on SQLite and PostgreSQL."""

import json
import os
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from sqlalchemy import select

from eventapp.platform.extensions import db
from eventapp.platform.mail.models import OutgoingMail
from eventapp.registration.models import Choice, RegistrationMail, RegistrationStatus
from tests.checkin.days import on_the_day
from tests.registration.helpers import confirmed_in, sign_up, slots
from tests.served import PROJECT_ROOT, served_app

pytestmark = pytest.mark.both_databases

SEATS = 6  # in the full session "Theme 0"; 4 of the 6 seat holders do not come
WAITING = 8  # people waiting for Theme 0; 5 of them are here


def command(database_url: str, *arguments: str) -> subprocess.Popen:
    environment = {**os.environ, "EVENTAPP_ENV": "testing", "DATABASE_URL": database_url}
    return subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "wsgi", "release-no-shows", *arguments],
        cwd=PROJECT_ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finished(process: subprocess.Popen) -> dict:
    out, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    return json.loads(out)


def test_two_servers_releasing_at_once_give_each_seat_once(app, database_url, make_event, make_device, tmp_path):
    with app.app_context():
        event = make_event(day_capacity=40, theme=(SEATS, 20), pilot=(20, 20))
        holders = [sign_up(event, n, theme=0) for n in range(SEATS)]
        waiting = [sign_up(event, 100 + n, theme=0) for n in range(WAITING)]
        on_the_day(event)  # scans count on the event's day; people signed up before
        db.session.commit()
        arriving = [r.ticket_code for r in holders[:2]] + [r.ticket_code for r in waiting[:5]]
        slug, theme0 = event.slug, slots(event)[0].sessions[0].id
        waiting_ids, holder_ids, event_id = [r.id for r in waiting], [r.id for r in holders], event.id
    token = make_device("Door")

    with served_app(database_url, tmp_path / "gunicorn.log") as base_url:
        desk = requests.Session()
        desk.headers["Authorization"] = f"Bearer {token}"
        for code in arriving:
            answer = desk.post(f"{base_url}/api/v1/checkin", json={"code": code, "event": slug}, timeout=30).json()
            assert answer["status"] == "ok"
        preview = finished(command(database_url, slug, "--dry-run", "--json"))
        first, second = command(database_url, slug, "--json"), command(database_url, slug, "--json")
        results = [finished(first), finished(second)]
        again = desk.get(f"{base_url}/api/v1/checkin/counts?event={slug}", timeout=30).json()

    # 4 theme seats and the pilot seats of the 4 + 3 absent people are released, once in all.
    assert preview["sessions"]["Theme 0"] == {"released": 4, "seated": 4}
    assert sum(r["released"] for r in results) == preview["released"] == 4 + 7
    assert sum(r["seated"] for r in results) == preview["seated"] == 4
    assert sorted(r["released"] for r in results)[0] == 0  # the second server found nothing left
    with app.app_context():
        event = db.session.get(type(event), event_id)
        seated = confirmed_in(slots(event)[0].sessions[0])
        assert seated == {*holder_ids[:2], *waiting_ids[:4]}  # the first four here, in line order
        db.session.expire_all()
        for session in slots(event)[0].sessions:
            assert session.seats_taken == len(confirmed_in(session)) <= session.capacity
        promoted = db.session.scalars(
            select(OutgoingMail.registration_id).where(OutgoingMail.kind == RegistrationMail.PROMOTED)
        ).all()
        assert sorted(promoted) == sorted(waiting_ids[:4])  # each seated person mailed once, with a new invitation
        released = db.session.scalars(
            select(Choice.registration_id).where(
                Choice.session_id == theme0, Choice.status == RegistrationStatus.RELEASED
            )
        ).all()
        assert sorted(released) == sorted(holder_ids[2:])
    assert {row["id"]: row["expected"] for row in again["sessions"]}[theme0] == SEATS


def test_two_releases_started_at_the_same_moment_seat_each_person_once(app, make_event, make_device):
    """Two app servers' clocks fire together: threads with their own database connections, released by a barrier."""
    from eventapp.checkin import release, services
    from eventapp.platform.db import utcnow, writing
    from eventapp.platform.staff.access import Actor

    with app.app_context():
        event = make_event(day_capacity=40, theme=(SEATS, 20), pilot=(20, 20))
        holders = [sign_up(event, n, theme=0) for n in range(SEATS)]
        waiting = [sign_up(event, 100 + n, theme=0) for n in range(WAITING)]
        on_the_day(event)  # scans count on the event's day; people signed up before
        db.session.commit()
        desk = Actor(user=None, device=None, desk="desk")
        for registration in waiting:
            services.check_in(db.session, event, registration, desk, utcnow())
        db.session.commit()
        event_id, waiting_ids = event.id, [r.id for r in waiting]
        assert len(holders) == SEATS
    barrier = threading.Barrier(2)

    def server(_number: int) -> tuple[int, int]:
        with app.app_context(), writing():
            barrier.wait(timeout=30)
            plan = release.release(db.session, db.session.get(type(event), event_id), utcnow())
            db.session.commit()
            figures = plan.released, plan.seated
            db.session.remove()
            return figures

    with ThreadPoolExecutor(max_workers=2) as pool:
        figures = list(pool.map(server, range(2)))

    assert sorted(figures) == [(0, 0), (SEATS + SEATS, SEATS)]  # every seat holder absent: theme and pilot seats
    with app.app_context():
        theme = slots(db.session.get(type(event), event_id))[0].sessions[0]
        assert confirmed_in(theme) == set(waiting_ids[:SEATS]) and theme.seats_taken == SEATS
        promoted = db.session.scalars(
            select(OutgoingMail.registration_id).where(OutgoingMail.kind == RegistrationMail.PROMOTED)
        ).all()
        assert sorted(promoted) == waiting_ids[:SEATS]
