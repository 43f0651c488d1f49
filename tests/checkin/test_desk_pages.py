"""The desk's pages over HTTP: manifest, service worker, "not arrived yet", where a login lands, no newsletter."""

import re

from sqlalchemy import select

from eventapp.checkin.models import CheckIn
from eventapp.platform.extensions import db
from eventapp.registration.models import Registration
from tests.checkin.days import slug_on_the_day
from tests.checkin.test_walk_in import walk_in_form
from tests.registration.helpers import sign_up
from tests.registration.test_pages import form_data


def csrf(page: str) -> str:
    return re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page).group(1)


def test_the_manifest_has_what_an_installable_app_needs(client):
    response = client.get("/staff/checkin/manifest.webmanifest")  # browsers fetch it without cookies
    manifest = response.get_json(force=True)
    assert response.status_code == 200 and response.mimetype == "application/manifest+json"
    assert manifest["name"] and manifest["short_name"] == "Check-in"
    assert (manifest["start_url"], manifest["scope"], manifest["display"]) == (
        "/staff/checkin",
        "/staff/checkin",
        "standalone",
    )
    assert {icon["sizes"] for icon in manifest["icons"]} == {"192x192", "512x512"}
    for icon in manifest["icons"]:
        with client.get(icon["src"]) as image:
            assert image.status_code == 200 and image.mimetype == "image/png"
    dutch = client.get("/staff/checkin/manifest.webmanifest", headers={"Accept-Language": "nl"}).get_json(force=True)
    assert dutch["lang"] == "nl" and dutch["name"] != manifest["name"]


def test_the_service_worker_may_control_the_scan_page(client):
    response = client.get("/staff/checkin/sw.js")
    assert response.status_code == 200 and response.mimetype in ("text/javascript", "application/javascript")
    assert response.headers["Service-Worker-Allowed"] == "/staff/checkin"
    assert response.headers["Cache-Control"] == "no-cache"
    assert "/static/vendor/workbox/workbox-routing.prod.js" in response.get_data(as_text=True)
    policy = response.headers["Content-Security-Policy"]
    assert "worker-src 'self'" in policy and "manifest-src 'self'" in policy and "script-src 'self'" in policy


def test_the_scan_page_links_its_manifest_and_the_desk_tools(client, demo_slug, make_user, login):
    login(*make_user("desk"))
    page = client.get(f"/staff/checkin?event={demo_slug}").get_data(as_text=True)
    assert '<link rel="manifest" href="/staff/checkin/manifest.webmanifest">' in page
    walk_in = page.index("Register a walk-in")
    assert walk_in < page.index("<details") and page.index("Not arrived yet") < page.index("<details")
    assert 'id="desk-form"' in page and "footer-email" not in page


def test_organisers_land_on_the_dashboard_desk_staff_on_the_scan_page(client, make_user, login):
    assert login(*make_user("organiser")).headers["Location"] == "/organiser/"
    client.post(
        "/staff/logout",
        data={"csrf_token": csrf(client.get("/organiser/", follow_redirects=True).get_data(as_text=True))},
    )
    assert login(*make_user("desk")).headers["Location"] == "/staff/checkin"


def test_logging_out_tells_the_browser_to_clear_the_desk(client, make_user, login):
    login(*make_user("desk"))
    token = csrf(client.get("/staff/checkin").get_data(as_text=True))
    response = client.post("/staff/logout", data={"csrf_token": token})
    assert response.status_code == 302 and response.headers["Clear-Site-Data"] == '"cache", "storage"'


def test_staff_pages_have_no_newsletter_footer_public_pages_do(client, demo_slug, make_user, login):
    assert "footer-email" in client.get(f"/e/{demo_slug}/").get_data(as_text=True)
    assert "footer-email" not in client.get("/staff/login").get_data(as_text=True)
    login(*make_user("organiser"))
    for path in ["/organiser/", f"/staff/checkin?event={demo_slug}", f"/staff/checkin/not-arrived?event={demo_slug}"]:
        assert "footer-email" not in client.get(path).get_data(as_text=True), path


def test_not_arrived_lists_searches_and_checks_in_with_one_tap(app, client, make_event, make_user, login):
    with app.app_context():
        event = make_event(day_capacity=10)
        for number, name in [(1, "Anna Smit"), (2, "Teun Søderhuizen"), (3, "Bram Eck")]:
            sign_up(event, number, name=name)
        slug, teun = event.slug, db.session.scalar(select(Registration.id).where(Registration.name.like("Teun%")))
    slug_on_the_day(app, slug)  # the desk's list is for the event's day
    login(*make_user("desk"))
    client.set_cookie("eventapp_desk", "desk%202", path="/")
    page = client.get(f"/staff/checkin/not-arrived?event={slug}").get_data(as_text=True)
    assert "3 not arrived yet" in page and page.index("Bram Eck") < page.index("Anna Smit") < page.index("Teun")
    found = client.get(f"/staff/checkin/not-arrived?event={slug}&q=soeder").get_data(as_text=True)
    assert "1 found" in found and "Teun Søderhuizen" in found and "Anna Smit" not in found
    response = client.post(
        f"/staff/checkin/not-arrived/{teun}?event={slug}", data={"csrf_token": csrf(found), "q": "soeder"}
    )
    assert response.status_code == 302 and "q=soeder" in response.headers["Location"]
    after = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Teun Søderhuizen is checked in." in after and "0 found" in after
    with app.app_context():
        assert db.session.scalar(select(CheckIn.desk).where(CheckIn.registration_id == teun)) == "desk 2"
    assert "2 not arrived yet" in client.get(f"/staff/checkin/not-arrived?event={slug}").get_data(as_text=True)
    again = client.post(f"/staff/checkin/not-arrived/{teun}?event={slug}", data={"csrf_token": csrf(found)})
    assert "Teun Søderhuizen was already checked in." in client.get(again.headers["Location"]).get_data(as_text=True)


def test_not_arrived_needs_staff_and_csrf(client, demo_slug, make_user, login):
    assert client.get(f"/staff/checkin/not-arrived?event={demo_slug}").status_code == 302
    login(*make_user("desk"))
    assert client.post(f"/staff/checkin/not-arrived/1?event={demo_slug}").status_code == 400


def test_a_walk_in_is_recorded_at_the_desk_named_on_this_device(app, client, demo_slug, make_user, login):
    slug_on_the_day(app, demo_slug)  # walk-ins are registered on the event's day
    login(*make_user("desk"))
    client.set_cookie("eventapp_desk", "desk%203", path="/")
    _, token = walk_in_form(client, demo_slug)
    data = form_data(app, token, email="walkin@example.org", name="Irene Salomons")
    data.pop("consent")
    assert client.post(f"/staff/checkin/walk-in?event={demo_slug}", data=data).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(CheckIn.desk)) == "desk 3"


def test_a_fresh_csrf_token_for_a_page_opened_from_the_cache(client, make_user, login):
    assert client.get("/staff/checkin/csrf.json").status_code == 302
    login(*make_user("desk"))
    response = client.get("/staff/checkin/csrf.json")
    assert response.headers["Cache-Control"] == "no-store" and response.get_json()["csrf"]
