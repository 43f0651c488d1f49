"""Scanner device tokens end: they expire, can be revoked, and note their last use sparingly."""

import datetime as dt
import re

from sqlalchemy import select

from eventapp.platform.db import utcnow
from eventapp.platform.extensions import db
from eventapp.platform.staff import services
from eventapp.platform.staff.models import DeviceToken


def counts(client, token):
    """An API call that needs only a device: 200 with a valid token (the demo day is loaded), else 401."""
    return client.get("/api/v1/checkin/counts", headers={"Authorization": f"Bearer {token}"})


def test_device_token_is_printed_once_and_stored_as_a_hash(app, runner):
    result = runner.invoke(args=["create-device-token", "Handheld 1"])
    token = result.output.split("Bearer ")[1].split()[0]
    with app.app_context():
        device = db.session.scalar(select(DeviceToken))
        now = utcnow()
        assert device.token_hash != token and len(device.token_hash) == 64
        assert dt.timedelta(days=29, hours=23) < device.expires_at - now <= dt.timedelta(days=30)
        assert services.device_for_token(db.session, token, now) == device
        assert services.device_for_token(db.session, token + "x", now) is None
        assert services.device_for_token(db.session, token, device.expires_at) is None
        device.revoked_at = now
        assert services.device_for_token(db.session, token, now) is None


def test_expires_option_takes_days_and_is_explained(app, runner):
    assert "Days until the token stops working" in runner.invoke(args=["create-device-token", "--help"]).output
    assert runner.invoke(args=["create-device-token", "Short", "--expires", "7"]).exit_code == 0
    assert runner.invoke(args=["create-device-token", "Never", "--expires", "0"]).exit_code != 0
    with app.app_context():
        device = db.session.scalar(select(DeviceToken))
        assert dt.timedelta(days=6, hours=23) < device.expires_at - utcnow() <= dt.timedelta(days=7)


def test_revoked_and_expired_tokens_get_401_at_once(app, client, runner, make_device, demo_slug):
    revoked, expired = make_device("Revoked"), make_device("Expired")
    assert counts(client, revoked).status_code == 200 and counts(client, expired).status_code == 200
    result = runner.invoke(args=["revoke-device-token", "Revoked"])
    assert result.exit_code == 0 and "Revoked the token" in result.output
    assert counts(client, revoked).status_code == 401
    with app.app_context():
        device = db.session.scalar(select(DeviceToken).where(DeviceToken.name == "Expired"))
        device.expires_at = utcnow() - dt.timedelta(seconds=1)
        db.session.commit()
    assert counts(client, expired).status_code == 401
    assert runner.invoke(args=["revoke-device-token", "No such"]).exit_code != 0


def test_list_shows_every_token_with_its_state(app, client, runner, make_device, demo_slug):
    make_device("Door west")
    assert counts(client, make_device("Door east")).status_code == 200
    runner.invoke(args=["revoke-device-token", "Door west"])
    output = runner.invoke(args=["list-device-tokens"]).output
    assert "created" in output and "last used" in output and "expires" in output and "revoked" in output
    west = next(line for line in output.splitlines() if line.startswith("Door west"))
    east = next(line for line in output.splitlines() if line.startswith("Door east"))
    assert west.endswith("revoked") and east.endswith("active")
    today = f"{utcnow():%Y-%m-%d}"
    assert east.split()[2] == today and east.split()[4] == today  # created and last used today
    assert west.split()[4] == "-"  # never used


def test_last_use_is_written_at_most_once_a_minute(app, client, make_device, demo_slug):
    token = make_device("Busy door")

    def last_used():
        with app.app_context():
            return db.session.scalar(select(DeviceToken.last_used_at))

    assert last_used() is None
    assert counts(client, token).status_code == 200
    first_use = last_used()
    assert first_use is not None
    for _ in range(4):  # a rush at the door: microseconds apart, each would change the value if it wrote
        assert counts(client, token).status_code == 200
    assert last_used() == first_use
    with app.app_context():
        device = db.session.scalar(select(DeviceToken))
        assert not services.note_device_use(db.session, device, first_use + dt.timedelta(seconds=59))
        assert services.note_device_use(db.session, device, first_use + dt.timedelta(seconds=61))


def organiser_page(client, make_user, login):
    login(*make_user("organiser"))
    return client.get("/organiser/devices/")


def csrf(page: str) -> str:
    return re.search(r'name="csrf_token"[^>]* value="([^"]+)"', page).group(1)


def test_organiser_creates_sees_once_and_revokes_a_token(app, client, make_user, login, demo_slug):
    page = organiser_page(client, make_user, login)
    assert page.status_code == 200 and "No devices yet" in page.get_data(as_text=True)
    created = client.post(
        "/organiser/devices/", data={"csrf_token": csrf(page.get_data(as_text=True)), "name": "Tablet", "days": "3"}
    )
    html = created.get_data(as_text=True)
    token = re.search(r"Bearer ([\w-]+)", html).group(1)
    assert created.status_code == 200 and created.headers["Cache-Control"] == "no-store"
    assert counts(client.application.test_client(), token).status_code == 200
    listing = client.get("/organiser/devices/").get_data(as_text=True)
    assert "Tablet" in listing and token not in listing
    with app.app_context():
        device_id = db.session.scalar(select(DeviceToken.id))
    confirm = client.get(f"/organiser/devices/{device_id}/revoke").get_data(as_text=True)
    assert "Revoke the token of Tablet?" in confirm
    assert client.post(f"/organiser/devices/{device_id}/revoke").status_code == 400  # no CSRF token
    assert counts(client.application.test_client(), token).status_code == 200
    revoked = client.post(f"/organiser/devices/{device_id}/revoke", data={"csrf_token": csrf(confirm)})
    assert revoked.status_code == 302
    assert counts(client.application.test_client(), token).status_code == 401


def test_device_page_refuses_duplicates_and_desk_staff(client, make_user, login, make_device):
    make_device("Tablet")
    page = organiser_page(client, make_user, login).get_data(as_text=True)
    again = client.post("/organiser/devices/", data={"csrf_token": csrf(page), "name": " Tablet ", "days": "3"})
    assert again.status_code == 422 and "exists already" in again.get_data(as_text=True)
    too_long = client.post("/organiser/devices/", data={"csrf_token": csrf(page), "name": "Other", "days": "9999"})
    assert too_long.status_code == 422
    desk = client.application.test_client()
    desk.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    assert desk.get("/organiser/devices/").status_code == 302


def test_dashboard_links_to_the_device_page(client, make_user, login, demo_slug):
    login(*make_user("organiser"))
    assert "/organiser/devices/" in client.get(f"/organiser/e/{demo_slug}/").get_data(as_text=True)


def test_device_page_speaks_dutch_by_default(app, make_user):
    email, password = make_user("organiser")
    dutch = app.test_client()
    page = dutch.get("/staff/login").get_data(as_text=True)
    dutch.post("/staff/login", data={"csrf_token": csrf(page), "email": email, "password": password})
    html = dutch.get("/organiser/devices/").get_data(as_text=True)
    assert "Nieuw token voor een scanner" in html and "Nog geen apparaten." in html
