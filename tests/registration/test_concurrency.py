"""Races through the real HTTP stack: many people at once for the last seats.

Each test serves the app with gunicorn (several processes, several threads each) on its own
database, SQLite or PostgreSQL, and fires requests from many threads released together.
"""

import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from sqlalchemy import func, select, update

from eventapp.events.models import Session
from eventapp.platform.extensions import db
from eventapp.platform.mail.models import OutgoingMail
from eventapp.registration.models import Choice, Registration, RegistrationStatus
from tests.conftest import load_demo
from tests.registration.helpers import check_counters, slots, waiting_for
from tests.served import served_app

pytestmark = pytest.mark.both_databases

PEOPLE = 60
SEATS = 10
TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def race(base_url: str, slug: str, form_fields, people: int):
    """`people` threads each load the form, wait for the others, then post at the same moment."""
    barrier = threading.Barrier(people)

    def one(number: int):
        browser = requests.Session()
        page = browser.get(f"{base_url}/e/{slug}/register", timeout=30)
        token = TOKEN.search(page.text).group(1)
        barrier.wait(timeout=60)
        started = time.perf_counter()
        response = browser.post(
            f"{base_url}/e/{slug}/register",
            data={"csrf_token": token, **form_fields(number)},
            allow_redirects=False,
            timeout=60,
        )
        return number, response.status_code, response.headers.get("Location", ""), time.perf_counter() - started

    with ThreadPoolExecutor(max_workers=people) as pool:
        return list(pool.map(one, range(people)))


def test_many_people_race_for_the_last_seats(app, database_url, tmp_path):
    slug = load_demo(app)
    with app.app_context():
        event_slots = slots(db.session.scalar(select(Session)).agenda_item.event)
        theme, pilot = event_slots
        prevention, pilot_session = theme.sessions[0], pilot.sessions[1]
        db.session.execute(update(Session).where(Session.id == prevention.id).values(capacity=SEATS))
        db.session.commit()
        theme_id, pilot_id, prevention_id, pilot_session_id = theme.id, pilot.id, prevention.id, pilot_session.id

    def fields(number):
        return {
            "name": f"Racer {number}",
            "email": f"racer{number}@example.org",
            "organisation": "Politie Oost-Nederland",
            "organisation_type": "other",
            "language": "en",
            "consent": "y",
            f"choice_{theme_id}": str(prevention_id),
            f"choice_{pilot_id}": str(pilot_session_id),
        }

    with served_app(database_url, tmp_path / "gunicorn.log") as base_url:
        started = time.perf_counter()
        answers = race(base_url, slug, fields, PEOPLE)
        elapsed = time.perf_counter() - started

    statuses = sorted({status for _, status, _, _ in answers})
    assert statuses == [302], (statuses, (tmp_path / "gunicorn.log").read_text()[-3000:])
    assert {location.rsplit("/", 1)[1] for _, _, location, _ in answers} == {"check-mail"}
    with app.app_context():
        rows = {registration.email: registration for registration in db.session.scalars(select(Registration))}
        assert len(rows) == PEOPLE  # none lost, none doubled
        mailed = db.session.scalars(
            select(OutgoingMail.registration_id).where(OutgoingMail.kind.like("registration_%"))
        )
        assert sorted(mailed) == sorted(registration.id for registration in rows.values())  # each got its link
        prevention = db.session.get(Session, prevention_id)
        confirmed = db.session.scalar(
            select(func.count())
            .select_from(Choice)
            .where(Choice.session_id == prevention_id, Choice.status == RegistrationStatus.CONFIRMED)
        )
        assert confirmed == prevention.seats_taken == SEATS
        assert len(waiting_for(prevention)) == PEOPLE - SEATS
        assert all(registration.status == RegistrationStatus.CONFIRMED for registration in rows.values())
        check_counters(prevention.agenda_item.event)
    slowest = max(duration for *_, duration in answers)
    print(
        f"\n{PEOPLE} simultaneous registrations for {SEATS} seats: {elapsed:.2f}s in all, slowest answer {slowest:.2f}s"
    )


def test_cancellations_swaps_and_registrations_at_once_keep_the_counts(app, database_url, tmp_path):
    """A mixed storm: people register, swap and cancel at the same moment; the counts still agree."""
    slug = load_demo(app)
    with app.app_context():
        theme, pilot = slots(db.session.scalar(select(Session)).agenda_item.event)
        db.session.execute(update(Session).values(capacity=3))
        db.session.commit()
        theme_ids = [session.id for session in theme.sessions]
        pilot_ids = [session.id for session in pilot.sessions]
        theme_id, pilot_id = theme.id, pilot.id

    def fields(number):
        return {
            "name": f"Person {number}",
            "email": f"p{number}@example.org",
            "organisation": "HALT",
            "organisation_type": "other",
            "language": "nl",
            "consent": "y",
            f"choice_{theme_id}": str(theme_ids[number % 2]),
            f"choice_{pilot_id}": str(pilot_ids[number % 2]),
        }

    with served_app(database_url, tmp_path / "gunicorn.log") as base_url:
        first_wave = race(base_url, slug, fields, 16)
        with app.app_context():  # the personal links went out by mail
            tokens = list(
                db.session.scalars(select(Registration.manage_token).where(Registration.name.like("Person %")))
            )
        barrier = threading.Barrier(len(tokens) + 8)

        def act(index: int):
            browser = requests.Session()
            if index >= len(tokens):
                page = browser.get(f"{base_url}/e/{slug}/register", timeout=30)
                data = {"csrf_token": TOKEN.search(page.text).group(1), **fields(100 + index)}
                barrier.wait(timeout=60)
                return browser.post(
                    f"{base_url}/e/{slug}/register", data=data, allow_redirects=False, timeout=60
                ).status_code
            token = tokens[index]
            page = browser.get(f"{base_url}/r/{token}", timeout=30).text
            if index % 2:
                data = {"csrf_token": TOKEN.search(page).group(1), "confirm": "y"}
                barrier.wait(timeout=60)
                return browser.post(
                    f"{base_url}/r/{token}/cancel", data=data, allow_redirects=False, timeout=60
                ).status_code
            prefix = f"slot{theme_id}-"
            csrf = re.search(rf'name="{prefix}csrf_token" type="hidden" value="([^"]+)"', page).group(1)
            data = {
                f"{prefix}csrf_token": csrf,
                f"{prefix}session_id": theme_ids[(index // 2) % 4],
                f"{prefix}join_waitlist": "1",
            }
            barrier.wait(timeout=60)
            return browser.post(
                f"{base_url}/r/{token}/slot/{theme_id}", data=data, allow_redirects=False, timeout=60
            ).status_code

        with ThreadPoolExecutor(max_workers=len(tokens) + 8) as pool:
            statuses = list(pool.map(act, range(len(tokens) + 8)))

    assert {status for _, status, _, _ in first_wave} == {302}
    assert set(statuses) == {302}, (statuses, (tmp_path / "gunicorn.log").read_text()[-3000:])
    with app.app_context():
        event = db.session.get(Session, theme_ids[0]).agenda_item.event
        check_counters(event)
        for session in theme.sessions + pilot.sessions:
            session = db.session.get(Session, session.id)
            if waiting_for(session):
                assert session.seats_taken == session.capacity
        assert (
            db.session.scalar(
                select(func.count())
                .select_from(Registration)
                .where(Registration.status == RegistrationStatus.WAITLISTED)
            )
            == 0
        )
