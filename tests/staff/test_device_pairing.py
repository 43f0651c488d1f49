"""Pairing a browser as a desk device, served: the organiser creates a token for an event and gets a QR code and
link; the link's confirmed POST makes a second browser a desk that the scan API accepts, until the token is revoked.
`flask create-device-token --event/--valid-until`."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

from sqlalchemy import select

from eventapp.platform.audit import AuditEntry
from eventapp.platform.db import utcnow
from eventapp.platform.extensions import db
from eventapp.platform.staff.models import DevicePairing, DeviceToken
from tests.checkin.days import on_the_day
from tests.registration.helpers import sign_up

API = "/api/v1/checkin"


def csrf(page: str) -> str:
    return re.search(r'name="csrf_token"[^>]* value="([^"]+)"', page).group(1)


def setup_day(app, make_event):
    with app.app_context():
        event = make_event(day_capacity=10)
        codes = [sign_up(event, number).ticket_code for number in (1, 2)]
        on_the_day(event)  # a scan counts on the day only
        db.session.commit()
        other = make_event()
        return {"slug": event.slug, "title": event.title_en, "codes": codes, "other": other.slug}


def create_device(client, make_user, login, slug, name="Tablet 1"):
    login(*make_user("organiser"))
    page = client.get("/organiser/devices/").get_data(as_text=True)
    assert 'name="event"' in page and "Authorization: Bearer &lt;token&gt;" in page
    created = client.post("/organiser/devices/", data={"csrf_token": csrf(page), "name": name, "event": slug})
    assert created.status_code == 200 and created.headers["Cache-Control"] == "no-store"
    return created.get_data(as_text=True)


def pair(app, link):
    """A second browser (English) opens the link and confirms; returns it and the confirm page."""
    browser = app.test_client()
    browser.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    path = link.split("127.0.0.1:5000", 1)[-1]
    confirm = browser.get(path)
    assert confirm.status_code == 200
    confirm_page = confirm.get_data(as_text=True)
    assert browser.post(path).status_code == 400  # no CSRF token: nothing consumed
    paired = browser.post(path, data={"csrf_token": csrf(confirm_page)})
    return browser, confirm_page, paired


def desk_scan(browser, slug, code):
    page = browser.get(f"/staff/checkin?event={slug}")
    token = re.search(r'data-csrf="([^"]+)"', page.get_data(as_text=True)).group(1)
    return browser.post(API, json={"code": code, "event": slug}, headers={"X-CSRFToken": token})


def test_create_pair_scan_and_revoke(app, client, make_user, login, make_event):
    day = setup_day(app, make_event)
    html = create_device(client, make_user, login, day["slug"])
    assert "<svg" in html and 'class="qr"' in html  # the QR code inline, no request elsewhere
    link = re.search(r'id="pair-link" href="([^"]+)"', html).group(1)
    assert "/staff/pair/" in link and link.startswith("http://127.0.0.1:5000/")  # the server's public address
    assert re.search(r"Bearer ([\w-]{20,})", html)  # the token itself, for a scanner app

    browser, confirm_page, paired = pair(app, link)
    assert f"Pair this browser as desk device Tablet 1 for {day['title']}?" in confirm_page
    assert paired.status_code == 302 and paired.headers["Location"].endswith(f"/staff/checkin?event={day['slug']}")
    cookie = paired.headers["Set-Cookie"]
    assert cookie.startswith("eventapp_device=") and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    desk = browser.get(f"/staff/checkin?event={day['slug']}").get_data(as_text=True)
    assert "Tablet 1" in desk and day["title"] in desk and 'id="code"' in desk
    assert 'data-sw="/staff/checkin/sw.js"' in desk  # the offline desk installs as for a logged-in desk

    scanned = desk_scan(browser, day["slug"], day["codes"][0])
    assert scanned.status_code == 200 and scanned.get_json()["status"] == "ok"
    assert browser.post(API, json={"code": day["codes"][1], "event": day["slug"]}).get_json()["error"] == "csrf"
    assert browser.get(f"{API}/counts?event={day['other']}").status_code == 403  # its event only
    elsewhere = browser.get(f"/staff/checkin?event={day['other']}").get_data(as_text=True)
    assert f'data-event="{day["slug"]}"' in elsewhere  # the desk page stays on the device's event
    assert browser.get(link.split("127.0.0.1:5000", 1)[-1]).status_code == 410  # used: gone

    with app.app_context():
        device = db.session.scalar(select(DeviceToken))
        assert device.event_id is not None
        actions = set(db.session.scalars(select(AuditEntry.action)))
        assert {"device.created", "device.paired"} <= actions
    revoke = client.get(f"/organiser/devices/{device.id}/revoke").get_data(as_text=True)
    client.post(f"/organiser/devices/{device.id}/revoke", data={"csrf_token": csrf(revoke)})
    refused = browser.post(API, json={"code": day["codes"][1], "event": day["slug"]})
    assert refused.status_code == 401 and refused.get_json()["error"] == "unauthorized"
    assert browser.get(f"/staff/checkin?event={day['slug']}").status_code == 302  # to the login page


def test_unknown_and_expired_links(app, client, make_user, login, make_event):
    day = setup_day(app, make_event)
    html = create_device(client, make_user, login, day["slug"])
    path = re.search(r'id="pair-link" href="http://[^/]+([^"]+)"', html).group(1)
    stranger = app.test_client()
    assert stranger.get("/staff/pair/made-up-secret").status_code == 404
    with app.app_context():
        row = db.session.scalar(select(DevicePairing))
        row.expires_at = utcnow() - dt.timedelta(seconds=1)
        db.session.commit()
    gone = stranger.get(path)
    assert gone.status_code == 410 and "Deze koppellink werkt niet meer" in gone.get_data(as_text=True)
    assert "eventapp_device" not in gone.headers.get("Set-Cookie", "")


def test_pages_speak_dutch(app, make_user, make_event):
    day = setup_day(app, make_event)
    organiser = app.test_client()
    email, password = make_user("organiser")
    login_page = organiser.get("/staff/login").get_data(as_text=True)
    organiser.post("/staff/login", data={"csrf_token": csrf(login_page), "email": email, "password": password})
    page = organiser.get("/organiser/devices/").get_data(as_text=True)
    assert "Met een apparaattoken checkt een telefoon" in page and "Programmadag" in page
    created = organiser.post(
        "/organiser/devices/", data={"csrf_token": csrf(page), "name": "Tablet", "event": day["slug"]}
    )
    path = re.search(r'id="pair-link" href="http://[^/]+([^"]+)"', created.get_data(as_text=True)).group(1)
    confirm = app.test_client().get(path).get_data(as_text=True)
    assert "Deze browser koppelen als balieapparaat Tablet voor Testdag 1?" in confirm


def test_cli_token_for_an_event_lasts_until_the_end_of_the_next_day(app, runner, make_event):
    with app.app_context():
        event = make_event()
        slug, date = event.slug, event.date
    result = runner.invoke(args=["create-device-token", "Door west", "--event", slug])
    assert result.exit_code == 0, result.output
    with app.app_context():
        device = db.session.scalar(select(DeviceToken))
        assert device.event_id == event.id
        # Local midnight after the day after the event, in Amsterdam (the test event's zone).
        end = dt.datetime.combine(date + dt.timedelta(days=2), dt.time(0), tzinfo=ZoneInfo("Europe/Amsterdam"))
        assert device.expires_at == end
    until = runner.invoke(args=["create-device-token", "Door east", "--event", slug, "--valid-until", "2099-01-01"])
    assert until.exit_code != 0 and "at most" in until.output
    ok = runner.invoke(args=["create-device-token", "Door east", "--valid-until", f"{date.isoformat()}T18:00Z"])
    assert ok.exit_code == 0, ok.output
    with app.app_context():
        east = db.session.scalar(select(DeviceToken).where(DeviceToken.name == "Door east"))
        assert east.expires_at == dt.datetime.combine(date, dt.time(18), tzinfo=dt.UTC) and east.event_id is None
    both = runner.invoke(args=["create-device-token", "X", "--valid-until", "2030-01-01", "--expires", "3"])
    assert both.exit_code != 0
    assert runner.invoke(args=["create-device-token", "Y", "--event", "no-such-day"]).exit_code != 0
    assert "--valid-until" in runner.invoke(args=["create-device-token", "--help"]).output
