"""A statement is a document as issued: its snapshot, not live data; /verify/<code>.json; a correction replaces it
with a new code; undoing the check-in revokes it; erasure removes it; no cache keeps an old answer."""

import datetime as dt

import pytest
from sqlalchemy import select

from eventapp.checkin import services as checkin
from eventapp.checkin.models import SessionAttendance
from eventapp.events.models import Session
from eventapp.platform.db import utcnow
from eventapp.platform.extensions import db
from eventapp.platform.staff.access import Actor
from eventapp.platform.staff.models import User
from eventapp.registration.models import Registration
from eventapp.statements.models import AttendanceStatement, ReplacedStatementCode
from tests.after_the_day.test_statements import statement_code
from tests.organiser.test_pages import csrf

EN = {"Accept-Language": "en"}
KEYS = {"valid", "name", "organisation", "event", "date", "sessions", "hours", "issued_at", "replaced", "revoked"}


@pytest.fixture
def app_settings():
    return {"VERIFY_RATE_LIMIT": "8 per minute"}


def issue(app, client, past_day, n=0) -> str:
    assert client.get(f"/r/{past_day['tokens'][n]}/attendance.pdf").status_code == 200
    return statement_code(app, past_day["people"][n])


def test_the_json_says_what_the_statement_says(app, client, past_day):
    code = issue(app, client, past_day)
    response = client.get(f"/verify/{code}.json")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    body = response.get_json()
    assert set(body) == KEYS
    with app.app_context():
        event_date = db.session.get(Registration, past_day["people"][0]).event.date.isoformat()
    assert body["valid"] is True and body["replaced"] is False
    assert (body["name"], body["organisation"]) == ("Łucja Ëlbrink", "Politie Oost")
    assert body["event"].startswith("Test day") and body["date"] == event_date  # the person's English
    assert body["sessions"] == ["Theme 1", "Pilot 1"] and body["hours"] == 2.2
    assert dt.datetime.fromisoformat(body["issued_at"]).tzinfo is not None
    assert client.get(f"/verify/{code}").headers["Cache-Control"] == "no-store"


def test_an_unknown_code_is_404_and_the_json_is_rate_limited_like_the_page(client):
    assert client.get("/verify/AAAABBBBCCCCDDDD.json").status_code == 404
    statuses = [client.get("/verify/AAAABBBBCCCCDDDD.json").status_code for _ in range(8)]
    assert statuses[-1] == 429


def test_the_statement_shows_its_snapshot_never_live_data(app, client, past_day):
    code = issue(app, client, past_day)
    page, data = client.get(f"/verify/{code}", headers=EN).data, client.get(f"/verify/{code}.json").data
    with app.app_context():  # the program and the person change after the statement was issued
        db.session.get(Session, past_day["theme1"]).title_en = "Renamed session"
        db.session.get(Registration, past_day["people"][0]).name = "Piet Pietersen"
        db.session.commit()
    assert client.get(f"/verify/{code}", headers=EN).data == page
    assert client.get(f"/verify/{code}.json").data == data
    assert b"Piet Pietersen" not in client.get(f"/r/{past_day['tokens'][0]}/attendance.pdf").data


def test_a_correction_makes_a_new_code_and_the_old_one_says_replaced(app, client, past_day, organiser):
    old = issue(app, client, past_day)
    path = f"/organiser/e/{past_day['slug']}/people/{past_day['people'][0]}"
    data = {"name": "Łucja Elbrink", "organisation": "Politie Oost", "organisation_type": "police", "role": ""}
    response = client.post(f"{path}/details", data={**data, "language": "en", "csrf_token": csrf(client, path)})
    assert response.status_code == 302
    new = statement_code(app, past_day["people"][0])
    assert new != old
    assert client.get(f"/verify/{new}.json").get_json()["name"] == "Łucja Elbrink"
    replaced = client.get(f"/verify/{old}.json")
    assert replaced.status_code == 200  # a known code: 404 is for unknown ones
    assert replaced.get_json() == {
        "valid": False,
        "name": "",
        "organisation": "",
        "event": "",
        "date": "",
        "sessions": [],
        "hours": 0.0,
        "issued_at": None,
        "replaced": True,
        "revoked": False,
    }
    page = client.get(f"/verify/{old}", headers=EN).get_data(as_text=True)
    assert "replaced by a newer statement" in page and "Łucja" not in page
    nl = client.get(f"/verify/{old}", headers={"Accept-Language": "nl"}).get_data(as_text=True)
    assert "vervangen door een nieuwere verklaring" in nl
    with app.app_context():
        from eventapp.platform.audit import AuditEntry

        actions = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
        assert actions[-2:] == ["statement.revoked", "statement.issued"]


def test_undoing_the_check_in_revokes_its_statement_and_door_scans(app, client, past_day, organiser):
    code = issue(app, client, past_day)
    with app.app_context():
        registration = db.session.get(Registration, past_day["people"][0])
        user = db.session.scalars(select(User)).one()
        organiser_actor = Actor(user=user, device=None, desk="desk 1")
        checkin.undo_check_in(db.session, registration, organiser_actor, utcnow(), dt.timedelta(minutes=5))
        db.session.commit()
        assert not db.session.scalars(
            select(SessionAttendance).where(SessionAttendance.registration_id == registration.id)
        ).all()
    body = client.get(f"/verify/{code}.json").get_json()
    assert body["valid"] is False and body["name"] == "" and body["replaced"] is False
    assert "Not a valid statement" in client.get(f"/verify/{code}", headers=EN).get_data(as_text=True)


def test_erasure_removes_the_snapshot_and_the_replaced_codes(app, client, past_day, organiser):
    old = issue(app, client, past_day)
    path = f"/organiser/e/{past_day['slug']}/people/{past_day['people'][0]}"
    data = {"name": "Ł. Elbrink", "organisation": "Politie Oost", "organisation_type": "police", "role": ""}
    client.post(f"{path}/details", data={**data, "language": "en", "csrf_token": csrf(client, path)})
    token = past_day["tokens"][0]
    erased = client.post(f"/r/{token}/erase", data={"confirm_erase": "y", "csrf_token": csrf(client, f"/r/{token}")})
    assert erased.status_code in (200, 302)
    with app.app_context():
        assert db.session.scalar(select(AttendanceStatement.id)) is None
        assert db.session.scalar(select(ReplacedStatementCode.id)) is None
    assert client.get(f"/verify/{old}.json").status_code == 404
