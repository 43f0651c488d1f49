"""The AVG in practice: the person's data, erasure, retention; and the security odds and ends."""

import datetime as dt
import re
import sqlite3

import pytest
from sqlalchemy import func, select, update

from eventapp.checkin import lookups
from eventapp.checkin import services as checkin_services
from eventapp.events.models import Event, Session
from eventapp.platform.audit import AuditEntry
from eventapp.platform.extensions import db
from eventapp.platform.mail.models import OutgoingMail
from eventapp.platform.staff.access import Actor
from eventapp.registration.models import Registration
from tests.registration.helpers import sign_up
from tests.registration.test_pages import csrf_token, form_data, registration_by_email

pytestmark = pytest.mark.both_databases


def register(app, client, slug, **fields):
    page = client.get(f"/e/{slug}/register").get_data(as_text=True)
    data = form_data(app, csrf_token(page), **fields)
    assert client.post(f"/e/{slug}/register", data=data).status_code == 302
    return registration_by_email(app, data["email"])[2]  # the personal link travels by mail


def test_the_person_downloads_their_data(app, client, demo_slug):
    token = register(app, client, demo_slug, name="Søren Ærø")
    response = client.get(f"/r/{token}/data.json")
    assert response.headers["Content-Disposition"].startswith("attachment;")
    data = response.get_json()
    assert data["registration"]["name"] == "Søren Ærø" and data["registration"]["email"] == "sylvia@example.org"
    assert data["event"]["slug"] == demo_slug and [s["seat"] for s in data["sessions"]] == [
        "Prevention",
        "Dashboard Twente",
    ]
    assert data["mails"][0]["kind"] == "registration_confirmed"


def test_the_person_erases_their_registration(app, client, demo_slug):
    with app.app_context():
        db.session.execute(update(Session).where(Session.title_en == "Prevention").values(capacity=1))
        db.session.commit()
    token = register(app, client, demo_slug)
    waiting = register(app, client, demo_slug, email="teun@example.org", name="Teun")
    refused = client.post(
        f"/r/{token}/erase", data={"csrf_token": csrf_token(client.get(f"/r/{token}").get_data(as_text=True))}
    )
    assert refused.status_code == 422
    html = client.get(f"/r/{token}").get_data(as_text=True)
    response = client.post(f"/r/{token}/erase", data={"csrf_token": csrf_token(html), "confirm_erase": "y"})
    assert response.status_code == 200 and "Your registration is erased" in response.get_data(as_text=True)
    assert client.get(f"/r/{token}").status_code == 404  # the link stops working
    with app.app_context():
        erased = db.session.scalar(select(Registration).where(Registration.anonymised_at.is_not(None)))
        assert (erased.name, erased.organisation, erased.status) == ("(erased)", "", "cancelled")
        assert erased.email.endswith("@invalid") and "sylvia" not in erased.search_text
        assert (
            db.session.scalar(
                select(func.count()).select_from(OutgoingMail).where(OutgoingMail.registration_id == erased.id)
            )
            == 0
        )
        assert db.session.scalar(select(func.count()).select_from(Registration)) == 2  # counts kept
    assert "number 1 in line" not in client.get(f"/r/{waiting}", headers={"Accept-Language": "en"}).get_data(
        as_text=True
    )


def test_an_organiser_erases_one_person(app, client, demo_slug, make_user, login):
    register(app, client, demo_slug)
    login(*make_user("organiser"))
    with app.app_context():
        registration_id = db.session.scalar(select(Registration.id))
    page = client.get(f"/organiser/e/{demo_slug}/people/{registration_id}").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    assert (
        client.post(
            f"/organiser/e/{demo_slug}/people/{registration_id}/erase", data={"csrf_token": token, "confirm": "yes"}
        ).status_code
        == 302
    )
    with app.app_context():
        assert db.session.get(Registration, registration_id).name == "(erased)"
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "person.erased"))
        assert entry.registration_id == registration_id and "sylvia" not in str(entry.details)


def test_personal_data_is_anonymised_after_the_retention_period(app, runner, make_event):
    with app.app_context():
        old, recent = make_event(), make_event()
        kept_checkin = sign_up(old, 1)
        sign_up(old, 2)
        sign_up(recent, 3)
        during_the_day = old.local_datetime(dt.time(14, 30))  # scans count on the event's day only
        checkin_services.check_in(db.session, old, kept_checkin, Actor(None, None, "desk"), during_the_day)
        db.session.execute(update(Event).where(Event.id == old.id).values(date=dt.date.today() - dt.timedelta(days=91)))
        db.session.commit()
        old_slug = old.slug
    dry = runner.invoke(args=["purge-personal-data", "--dry-run"])
    assert f"{old_slug}: 2 registrations would be anonymised." in dry.output
    with app.app_context():
        assert (
            db.session.scalar(
                select(func.count()).select_from(Registration).where(Registration.anonymised_at.is_not(None))
            )
            == 0
        )
    assert f"{old_slug}: 2 registrations anonymised." in runner.invoke(args=["purge-personal-data"]).output
    assert "Nothing to do" in runner.invoke(args=["purge-personal-data"]).output
    with app.app_context():
        rows = db.session.scalars(select(Registration).order_by(Registration.id)).all()
        assert [r.name for r in rows] == ["(erased)", "(erased)", "Person 3"]
        assert rows[0].status == "confirmed"  # attendance figures stay
        assert lookups.counts(db.session, db.session.get(Event, rows[0].event_id)).checked_in == 1


def test_backup_of_a_live_sqlite_database(app, runner, demo_slug, tmp_path, backend):
    target = tmp_path / "backup.db"
    result = runner.invoke(args=["backup", str(target)])
    if backend == "postgresql":
        assert result.exit_code != 0 and "use pg_dump" in result.output
        return
    assert result.exit_code == 0, result.output
    with sqlite3.connect(target) as copy:
        assert copy.execute("select slug from event").fetchall() == [(demo_slug,)]
        assert copy.execute("pragma integrity_check").fetchone() == ("ok",)
    copy.close()
    assert runner.invoke(args=["backup", str(target)]).exit_code != 0  # never overwrites


def test_hsts_only_over_https(client):
    assert "Strict-Transport-Security" not in client.get("/").headers
    secure = client.get("/", base_url="https://events.example.org")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_too_many_registrations_get_a_clear_429(app, client, demo_slug):
    app.config["REGISTRATION_RATE_LIMIT"] = "2 per minute"
    token = csrf_token(client.get(f"/e/{demo_slug}/register").get_data(as_text=True))
    statuses = [client.post(f"/e/{demo_slug}/register", data={"csrf_token": token}).status_code for _ in range(3)]
    assert statuses == [422, 422, 429]
    refused = client.post(f"/e/{demo_slug}/register", data={"csrf_token": token})
    assert refused.status_code == 429 and "Please wait" in refused.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/", "/privacy", "/newsletter", "/staff/login"])
def test_session_cookie_is_httponly_and_lax(client, path):
    client.get(path)
    cookie = client.get_cookie("session")
    if cookie is not None:
        assert cookie.http_only and cookie.same_site == "Lax"
