"""POST /api/v1/checkin and friends: every status, malformed bodies, and who may call them."""

import datetime as dt
import re

import pytest
from sqlalchemy import func, select

from eventapp.checkin.models import Scan
from eventapp.events.models import Event
from eventapp.platform.db import utcnow
from eventapp.platform.extensions import db
from eventapp.registration import services as registration_services
from eventapp.registration.models import Registration
from tests.checkin.days import earlier_on_the_day, on_the_day, slug_on_the_day
from tests.registration.helpers import sign_up

API = "/api/v1/checkin"


@pytest.fixture
def people(app, make_event):
    """An event with a confirmed, a day-waitlisted and a cancelled person; returns their codes and the slug."""
    with app.app_context():
        return make_people(make_event)


def make_people(make_event) -> dict:
    event = make_event(day_capacity=1)
    confirmed = sign_up(event, 1, name="Sylvia Huis in 't Veld")
    waiting = sign_up(event, 2)
    cancelled = sign_up(event, 3)
    registration_services.cancel(db.session, cancelled, utcnow())
    on_the_day(event)  # scans count on the event's day (before it: not_today, tests/checkin/test_test_scans.py)
    db.session.commit()
    other = make_event()
    elsewhere = sign_up(other, 4)
    return {
        "slug": event.slug,
        "confirmed": confirmed.ticket_code,
        "cancelled": cancelled.ticket_code,
        "waiting": waiting.ticket_code,
        "elsewhere": elsewhere.ticket_code,
        "confirmed_id": confirmed.id,
    }


@pytest.fixture
def device(make_device):
    return {"Authorization": f"Bearer {make_device('Handheld 1')}"}


def test_every_status(client, people, device):
    def status(code):
        response = client.post(API, json={"code": code, "event": people["slug"]}, headers=device)
        assert response.status_code == 200
        return response.get_json()

    ok = status(people["confirmed"])
    assert ok["status"] == "ok"
    assert ok["person"]["name"] == "Sylvia Huis in 't Veld"
    assert [s["title"] for s in ok["sessions"]] == ["Theme 0", "Pilot 0"] and ok["sessions"][0]["room"] == "Room 1"
    again = status(people["confirmed"])
    assert again["status"] == "already_checked_in" and again["desk"] == "Handheld 1"
    assert again["checked_in_at_local"] in again["message"]
    assert status(people["cancelled"])["status"] == "cancelled"
    assert (status("forged")["status"], status("forged")["person"]) == ("invalid", None)
    assert status(people["elsewhere"])["reason"] == "other_event"
    assert status(people["waiting"])["reason"] == "waitlisted"


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"[1, 2]",
        b'{"event": "x"}',
        b'{"code": 12}',
        b'{"code": "a", "scanned_at": "yesterday"}',
        b'{"code": "a", "scanned_at": "2026-11-28T13:00:00"}',
        b'{"code": "a", "scan_id": "' + b"x" * 100 + b'"}',
        b'{"code": "a", "mode": "party"}',
        b'{"code": "a", "mode": "session", "session_id": "1"}',
    ],
)
def test_malformed_bodies_are_400(client, people, device, body):
    response = client.post(API, data=body, headers={**device, "Content-Type": "application/json"})
    assert response.status_code == 400
    assert response.get_json()["error"] == "bad_request"


def test_credentials_are_required(client, people, make_device):
    body = {"code": people["confirmed"], "event": people["slug"]}
    assert client.post(API, json=body).status_code == 401
    assert client.post(API, json=body, headers={"Authorization": "Bearer forged"}).status_code == 401
    assert client.post(API, json=body, headers={"Authorization": "Basic abc"}).status_code == 401
    assert client.get(f"{API}/counts").status_code == 401
    with client.application.app_context():
        assert db.session.scalar(select(func.count()).select_from(Scan)) == 0


def test_logged_in_staff_need_the_csrf_token(client, people, make_user, login):
    login(*make_user("desk"))
    body = {"code": people["confirmed"], "event": people["slug"]}
    assert client.post(API, json=body).status_code == 400
    page = client.get(f"/staff/checkin?event={people['slug']}").get_data(as_text=True)
    token = re.search(r'data-csrf="([^"]+)"', page).group(1)
    response = client.post(API, json=body, headers={"X-CSRFToken": token, "X-Desk": "desk 3"})
    assert response.status_code == 200 and response.get_json()["status"] == "ok"
    by_id = client.post(
        API, json={"registration_id": people["confirmed_id"], "event": people["slug"]}, headers={"X-CSRFToken": token}
    )
    assert by_id.get_json()["desk"] == "desk 3"


def test_devices_cannot_check_in_by_registration_id(client, people, device):
    response = client.post(
        API, json={"registration_id": people["confirmed_id"], "event": people["slug"]}, headers=device
    )
    assert response.status_code == 400


def test_a_retried_scan_id_counts_once(app, client, people, device):
    with app.app_context():
        event = db.session.scalar(select(Event).where(Event.slug == people["slug"]))
        earlier = earlier_on_the_day(event, dt.timedelta(hours=2))
    body = {"code": people["confirmed"], "event": people["slug"], "scan_id": "page-1"}
    body["scanned_at"] = earlier.isoformat()
    first = client.post(API, json=body, headers=device).get_json()
    second = client.post(API, json=body, headers=device).get_json()
    assert first["status"] == second["status"] == "ok" and second["replayed"]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Scan)) == 1


@pytest.mark.both_databases
def test_a_scan_id_belongs_to_the_device_that_made_it(app, client, people, device, make_device, make_user, login):
    """Another device (or login) sending a known scan id with a made-up code gets "invalid", not the person."""
    body = {"code": people["confirmed"], "event": people["slug"], "scan_id": "X"}
    first = client.post(API, json=body, headers=device).get_json()
    assert first["status"] == "ok" and first["person"]["name"] == "Sylvia Huis in 't Veld"

    forged = {**body, "code": "made-up"}
    other = client.post(API, json=forged, headers={"Authorization": f"Bearer {make_device('B')}"}).get_json()
    assert (other["status"], other["person"], other.get("replayed")) == ("invalid", None, False)
    login(*make_user("desk"))
    page = client.get(f"/staff/checkin?event={people['slug']}").get_data(as_text=True)
    csrf = {"X-CSRFToken": re.search(r'data-csrf="([^"]+)"', page).group(1)}
    by_login = client.post(API, json=forged, headers=csrf).get_json()
    assert (by_login["status"], by_login["person"]) == ("invalid", None)
    assert client.post(API, json=forged, headers=csrf).get_json()["replayed"]  # the login's own retry

    replay = client.post(API, json=forged, headers=device).get_json()  # A's retry: A's answer, whatever the code
    assert replay["status"] == "ok" and replay["replayed"] and replay["person"]["name"] == first["person"]["name"]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Scan)) == 3


def test_undo_search_counts_and_offline_list(app, client, people, device, make_device):
    client.post(API, json={"code": people["confirmed"], "event": people["slug"]}, headers=device)
    counts = client.get(f"{API}/counts?event={people['slug']}", headers=device).get_json()
    assert (counts["checked_in"], counts["expected"]) == (1, 1)
    slug_on_the_day(app, people["slug"])  # search is for the event's day
    found = client.get(f"{API}/search?event={people['slug']}&q=huis+in+t+veld", headers=device).get_json()["results"]
    assert [row["name"] for row in found] == ["Sylvia Huis in 't Veld"] and found[0]["checked_in_at_local"]
    offline = client.get(f"{API}/offline?event={people['slug']}", headers=device).get_json()
    assert len(offline["valid"]) == 1 and len(offline["checked_in"]) == 1
    assert people["confirmed"] not in str(offline)

    other_device = {"Authorization": f"Bearer {make_device('Handheld 2')}"}
    body = {"registration_id": people["confirmed_id"], "event": people["slug"]}
    assert client.post(f"{API}/undo", json=body, headers=other_device).status_code == 400  # devices name codes
    by_code = {"code": people["confirmed"], "event": people["slug"]}
    assert client.post(f"{API}/undo", json=by_code, headers=other_device).status_code == 403
    assert client.post(f"{API}/undo", json=by_code, headers=device).get_json()["status"] == "undone"
    assert client.post(f"{API}/undo", json=by_code, headers=device).status_code == 409


def test_session_door_mode(app, client, people, device):
    with app.app_context():
        registration = db.session.scalar(select(Registration).where(Registration.ticket_code == people["confirmed"]))
        theme_sessions = registration.choices[0].agenda_item.sessions
        chosen, other = theme_sessions[0].id, theme_sessions[1].id
    body = {"code": people["confirmed"], "event": people["slug"], "mode": "session"}
    wrong = client.post(API, json={**body, "session_id": other}, headers=device).get_json()
    assert wrong["status"] == "wrong_room" and wrong["expected_session"]["title"] == "Theme 0"
    assert "Wrong room: Theme 0 is in Room 1." == wrong["message"]
    anyway = client.post(API, json={**body, "session_id": other, "admit_anyway": True}, headers=device).get_json()
    assert anyway["status"] == "ok" and anyway["occupancy"] == {"attended": 1, "capacity": 2}
    # Admitted anyway, their seat moved with them: the session they chose is now another room.
    back = client.post(API, json={**body, "session_id": chosen}, headers=device).get_json()
    assert back["status"] == "wrong_room" and back["expected_session"]["id"] == other and back["admit"] == "seat"


def test_scan_page_needs_staff(client, people, make_user, login):
    assert client.get("/staff/checkin").status_code == 302
    login(*make_user("desk"))
    page = client.get(f"/staff/checkin?event={people['slug']}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and 'id="code"' in html and "vendor/jsqr/jsQR.js" in html
    assert "<script>" not in html  # no inline scripts: the CSP forbids them
