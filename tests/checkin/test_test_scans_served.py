"""A scan five weeks before the day, through HTTP: the API answers not_today; sent again as a test it is recorded
apart and never reaches the day's figures, arrival chart or export; the organiser clears it (audited)."""

import csv
import datetime as dt
import io

from sqlalchemy import func, select

from eventapp.checkin.models import CheckIn, Scan
from eventapp.events.models import Event
from eventapp.platform.audit import AuditEntry
from eventapp.platform.db import utcnow
from eventapp.platform.extensions import db
from eventapp.registration.models import Registration
from tests.checkin.days import slug_on_the_day
from tests.organiser.test_pages import csrf
from tests.registration.helpers import sign_up, slots

API = "/api/v1/checkin"
EN = {"Accept-Language": "en"}


def five_weeks_early(app, make_event) -> dict:
    with app.app_context():
        event = make_event()
        registration = sign_up(event, 1, name="Early Bird")
        event.date = (utcnow() + dt.timedelta(weeks=5)).date()
        db.session.commit()
        session = slots(event)[0].sessions[0]
        return {"slug": event.slug, "code": registration.ticket_code, "session": session.id, "id": registration.id}


def stored() -> tuple[int, int, int]:
    """(check-ins, real scans, test scans) in the database."""
    return (
        db.session.scalar(select(func.count()).select_from(CheckIn)),
        db.session.scalar(select(func.count()).select_from(Scan).where(Scan.test.is_(False))),
        db.session.scalar(select(func.count()).select_from(Scan).where(Scan.test.is_(True))),
    )


def checked_in_cells(client, slug) -> list[str]:
    """The attendance export's "Checked in at" column."""
    text = client.get(f"/organiser/e/{slug}/export/attendance.csv", headers=EN).get_data(as_text=True)
    header, *rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    column = header.index("Checked in at")
    return [row[column] for row in rows]


def test_a_scan_five_weeks_early_asks_to_confirm_and_never_reaches_the_day(
    app, client, make_event, make_device, login, make_user
):
    day = five_weeks_early(app, make_event)
    device = {"Authorization": f"Bearer {make_device('Handheld 1')}", **EN}
    body = {"code": day["code"], "event": day["slug"], "scan_id": "early-1"}

    early = client.post(API, json=body, headers=device).get_json()
    assert (early["status"], early["test"], early["test_allowed"]) == ("not_today", False, True)
    assert early["person"] is None and "does not count" in early["message"]
    with app.app_context():
        assert stored() == (0, 0, 0)

    test = client.post(API, json={**body, "test": True}, headers=device).get_json()  # the same scan id, confirmed
    again = client.post(API, json={**body, "scan_id": "early-2", "test": True}, headers=device).get_json()
    assert (test["status"], test["test"], test["person"]["name"]) == ("ok", True, "Early Bird")
    assert (again["status"], again["test"]) == ("already_checked_in", True)
    door_body = {**body, "scan_id": "early-3", "mode": "session", "session_id": day["session"]}
    door = client.post(API, json=door_body, headers=device).get_json()
    assert (door["status"], door["session"]["id"]) == ("not_today", day["session"])
    with app.app_context():
        assert stored() == (0, 0, 2)
    assert client.get(f"{API}/counts?event={day['slug']}", headers=device).get_json()["checked_in"] == 0

    login(*make_user("organiser"))
    live = client.get(f"/organiser/e/{day['slug']}/live.json").get_json()
    assert (live["checked_in"], live["test_scans"]) == (0, 2)
    assert "Test scans: 2" in client.get(f"/organiser/e/{day['slug']}/", headers=EN).get_data(as_text=True)
    report = client.get(f"/organiser/e/{day['slug']}/report", headers=EN).get_data(as_text=True)
    assert "Nobody has been checked in yet" in report  # no arrival chart from test scans
    assert checked_in_cells(client, day["slug"]) == [""]
    person = client.get(f"/organiser/e/{day['slug']}/people/{day['id']}", headers=EN).get_data(as_text=True)
    assert person.count("(test scan, does not count)") == 2  # the person's history says what the scans were

    path = f"/organiser/e/{day['slug']}/test-scans"
    assert "Yes, clear 2 test scans" in client.get(path, headers=EN).get_data(as_text=True)
    assert client.post(path, data={"csrf_token": csrf(client, path)}).status_code == 200  # not confirmed: kept
    with app.app_context():
        assert stored() == (0, 0, 2)
    cleared = client.post(path, data={"csrf_token": csrf(client, path), "confirm": "yes"}, headers=EN)
    assert cleared.status_code == 302
    assert "2 test scans cleared." in client.get(cleared.headers["Location"], headers=EN).get_data(as_text=True)
    with app.app_context():
        assert stored() == (0, 0, 0)
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "test_scans.cleared"))
        assert entry.details == {"cleared": 2}

    slug_on_the_day(app, day["slug"])  # on the day the same code is a first check-in
    real = client.post(API, json={**body, "scan_id": "day-1", "test": True}, headers=device).get_json()
    assert (real["status"], real["test"]) == ("ok", False)
    assert checked_in_cells(client, day["slug"]) != [""]
    with app.app_context():
        assert stored() == (1, 1, 0)
    refused = client.post(path, data={"csrf_token": csrf(client, path), "confirm": "yes"}, headers=EN)
    assert refused.status_code == 302
    assert "before the day only" in client.get(refused.headers["Location"], headers=EN).get_data(as_text=True)
    with app.app_context():
        assert stored() == (1, 1, 0)


def test_a_walk_in_before_the_day_registers_nobody(app, client, make_event, make_user, login):
    day = five_weeks_early(app, make_event)
    login(*make_user("desk"))
    page = client.get(f"/staff/checkin/walk-in?event={day['slug']}", headers=EN).get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    with app.app_context():
        event = db.session.scalar(select(Event).where(Event.slug == day["slug"]))
        fields = {f"choice_{slot.id}": str(slot.sessions[0].id) for slot in slots(event)}
    details = {"organisation": "Gemeente Ede", "organisation_type": "other", "role": "", "language": "en"}
    data = {"csrf_token": token, "name": "Too Early", "email": "early@example.org", **details, **fields}
    response = client.post(f"/staff/checkin/walk-in?event={day['slug']}", data=data, headers=EN)
    assert response.status_code == 409
    assert "on the day of the event only" in response.get_data(as_text=True)
    with app.app_context():
        assert stored() == (0, 0, 0)
        assert db.session.scalar(select(func.count()).select_from(Registration)) == 1  # the early bird only
