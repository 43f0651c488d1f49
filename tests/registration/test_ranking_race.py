"""The same ranking sent twice at once (a double click, a retried request) on PostgreSQL: both are answered as a
saved ranking, never a 500 from the unique constraints, and the person keeps exactly one set of preferences."""

import datetime as dt
import re
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from sqlalchemy import select

from eventapp.allocation import services as allocation
from eventapp.events.models import Event
from eventapp.platform.db import utcnow
from eventapp.platform.extensions import db
from eventapp.registration.models import Registration
from eventapp.registration.preferences import Preference
from tests.conftest import load_demo
from tests.registration.helpers import slots
from tests.served import served_app

ROUNDS = 40
TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def ranking_fields(theme, pilot, flip: bool) -> dict:
    """A full ranking of both slots; `flip` swaps the first two theme sessions, so each round changes the rows."""
    first, second = (theme.sessions[1], theme.sessions[0]) if flip else (theme.sessions[0], theme.sessions[1])
    return {
        f"rank_{theme.id}_1": str(first.id),
        f"rank_{theme.id}_2": str(second.id),
        f"rank_{theme.id}_3": str(theme.sessions[2].id),
        f"rank_{pilot.id}_1": str(pilot.sessions[0].id),
        f"rank_{pilot.id}_2": str(pilot.sessions[1].id),
        f"rank_{pilot.id}_3": "",
    }


def browser_on(base_url: str, path: str) -> tuple[requests.Session, str]:
    """A browser of its own (its own cookie and CSRF token) that opened `path`."""
    browser = requests.Session()
    page = browser.get(f"{base_url}{path}", timeout=30)
    assert page.status_code == 200, page.status_code
    return browser, TOKEN.search(page.text).group(1)


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_the_same_ranking_sent_twice_at_once_is_saved_once(app, backend, database_url, tmp_path):
    slug = load_demo(app)
    with app.app_context():
        event = db.session.scalar(select(Event).where(Event.slug == slug))
        allocation.switch_mode(db.session, event, "preferences", utcnow() + dt.timedelta(days=10), utcnow())
        db.session.commit()
        theme, pilot = slots(event)
        fields = [ranking_fields(theme, pilot, flip) for flip in (False, True)]
    details = {"name": "Dubbel Klik", "email": "twice@example.org", "organisation": "Gemeente Ede"}
    details |= {"organisation_type": "municipality", "language": "en", "consent": "y"}

    with served_app(database_url, tmp_path / "gunicorn.log") as base_url:
        browser, token = browser_on(base_url, f"/e/{slug}/register")
        data = {"csrf_token": token, **details, **fields[0]}
        assert browser.post(f"{base_url}/e/{slug}/register", data=data, allow_redirects=False).status_code == 302
        with app.app_context():
            manage = db.session.scalar(select(Registration.manage_token).where(Registration.email == details["email"]))
        tabs = [browser_on(base_url, f"/r/{manage}") for _ in range(2)]  # two tabs, or a request and its retry
        barrier = threading.Barrier(len(tabs))

        def send(tab: int, round_: int) -> int:
            tab_browser, tab_token = tabs[tab]
            barrier.wait(timeout=30)
            response = tab_browser.post(
                f"{base_url}/r/{manage}/ranking",
                data={"csrf_token": tab_token, **fields[round_ % 2]},
                allow_redirects=False,
                timeout=60,
            )
            return response.status_code

        statuses = []
        with ThreadPoolExecutor(max_workers=len(tabs)) as pool:
            for round_ in range(ROUNDS):
                statuses += list(pool.map(send, range(len(tabs)), [round_] * len(tabs)))
    log = (tmp_path / "gunicorn.log").read_text()
    assert set(statuses) == {302}, (sorted(set(statuses)), log[-3000:])
    with app.app_context():
        registration_id = db.session.scalar(select(Registration.id).where(Registration.email == details["email"]))
        rows = db.session.execute(
            select(Preference.agenda_item_id, Preference.rank, Preference.session_id)
            .where(Preference.registration_id == registration_id)
            .order_by(Preference.agenda_item_id, Preference.rank)
        ).all()
    last = fields[(ROUNDS - 1) % 2]
    expected = sorted(
        (slot.id, rank, int(last[f"rank_{slot.id}_{rank}"]))
        for slot in (theme, pilot)
        for rank in (1, 2, 3)
        if last[f"rank_{slot.id}_{rank}"]
    )
    assert [tuple(row) for row in rows] == expected  # exactly one set: the last ranking, once
