"""The scan page as desk staff use it, in Chromium: scanner, camera, search, counters, offline."""

import datetime as dt

from playwright.sync_api import expect
from sqlalchemy import func, select

from eventapp.checkin.models import CheckIn, Scan, SessionAttendance
from eventapp.events.models import Event, Session
from eventapp.platform.db import utcnow
from eventapp.platform.extensions import db
from eventapp.registration.models import Registration
from tests.browser.camera import qr_video
from tests.browser.desk import DESK_READY, LIST_STORED, add_namesakes, next_scan, open_scan_page, scan, wait_until
from tests.checkin.days import slug_on_the_day
from tests.registration.helpers import slots


def test_handheld_scanner_path_and_counters(app, launch, server, day, screenshot):
    context, page, outside = open_scan_page(launch(), server, day)
    card = scan(page, day["codes"][0])
    assert "Welcome" in card and "Sylvia Huis in 't Veld" in card and "Theme 0 · Room 1" in card
    screenshot(page, "scan-welcome")
    next_scan(page)
    assert page.evaluate("document.activeElement.id") == "code"
    expect(page.locator("#count-in")).to_have_text("1")

    card = scan(page, day["codes"][0])
    assert "Already checked in" in card and "Already checked in at" in card
    screenshot(page, "scan-already")
    next_scan(page)
    card = scan(page, "a-forged-code")
    assert "Not valid" in card
    screenshot(page, "scan-invalid")
    next_scan(page)
    screenshot(page, "scan-page", full_page=True)
    assert outside == []


def test_camera_scan(app, launch, server, day, tmp_path):
    video = qr_video(day["codes"][1], tmp_path / "qr.y4m")
    browser = launch(
        "--use-fake-ui-for-media-stream",
        "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-video-capture={video}",
    )
    context, page, _ = open_scan_page(browser, server, day, permissions=["camera"])
    # Linux Chromium has no BarcodeDetector: what decodes the camera's frames here is the vendored decoder.
    assert page.evaluate("'BarcodeDetector' in window") is False
    page.click("#camera-toggle")
    page.wait_for_selector("#card:not([hidden])", timeout=15000)
    assert "Teun Søderhuizen" in page.inner_text("#card")
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(CheckIn)) == 1


def test_search_by_name_and_check_in_with_one_click(app, launch, server, day, screenshot):
    slug_on_the_day(app, day["slug"])
    context, page, _ = open_scan_page(launch(), server, day)
    page.fill("#search", "soeder")
    page.wait_for_selector("#search-results li button")
    found = page.inner_text("#search-results")
    assert "Teun Søderhuizen" in found and "p…2@example.org" in found and "Theme 0 (Room 1)" in found
    assert "person2@" not in page.content() and "with this name" not in found
    screenshot(page, "scan-search", full_page=True)
    page.click("#search-results li button")
    page.wait_for_selector("#card:not([hidden])")
    assert "Welcome" in page.inner_text("#card")
    next_scan(page)
    expect(page.locator("#count-in")).to_have_text("1")
    page.fill("#search", "huis in t veld")
    expect(page.locator("#search-results")).to_contain_text("Sylvia Huis in 't Veld")


def test_offline_scans_are_queued_and_sent_when_the_connection_returns(app, launch, server, day, screenshot):
    context, page, _ = open_scan_page(launch(), server, day)
    wait_until(page, LIST_STORED)
    context.set_offline(True)
    card = scan(page, day["codes"][2])
    assert "Valid (offline)" in card
    screenshot(page, "scan-offline")
    next_scan(page)
    card = scan(page, "a-forged-code")
    assert "Not in the offline list" in card
    next_scan(page)
    assert "Offline" in page.inner_text("#connection")
    assert page.inner_text("#queue") == "Offline: 2 scans waiting"
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Scan)) == 0

    context.set_offline(False)
    expect(page.locator("#queue")).to_be_hidden(timeout=20000)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(CheckIn)) == 1
        outcomes = sorted(db.session.scalars(select(Scan.outcome)))
        assert outcomes == ["invalid", "ok"]  # each queued scan once
    expect(page.locator("#count-in")).to_have_text("1", timeout=10000)


def test_the_door_of_a_full_session_admits_its_waitlist_only_by_the_staffs_two_taps(app, launch, server, day):
    with app.app_context():
        full = slots(db.session.scalar(select(Event).where(Event.slug == day["slug"])))[0].sessions[0]
        full_id = full.id  # 2 seats, taken by people 1 and 2; person 3 waits for it
    context, page, _outside = open_scan_page(launch(), server, day)
    page.goto(f"{server}/staff/checkin?event={day['slug']}&session={full_id}")
    page.wait_for_selector(DESK_READY)
    card = scan(page, day["codes"][2])
    assert "On the waitlist here" in card and "No free seat here." in card
    expect(page.locator("#card .card-admit")).to_be_hidden()  # full, and the organiser allows no standing
    next_scan(page)
    with app.app_context():
        db.session.get(Session, full_id).standing_allowed = True
        db.session.commit()
    scan(page, day["codes"][2])
    admit = page.locator("#card .card-admit")
    expect(admit).to_have_text("Admit anyway")
    admit.click()
    expect(admit).to_have_text("Confirm: admit beyond the seats (standing)")  # the second confirmation
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(SessionAttendance)) == 0
    admit.click()
    expect(page.locator("#card .card-word")).to_have_text("Welcome")
    with app.app_context():
        assert db.session.scalar(select(SessionAttendance.over_capacity)) is True
    context.close()


def test_namesakes_are_told_apart_and_checking_one_in_takes_a_second_tap(app, launch, server, day, screenshot):
    add_namesakes(app, day["slug"], second_theme=1)
    context, page, _ = open_scan_page(launch(), server, day)
    page.fill("#search", "anouk")
    expect(page.locator("#search-results li button")).to_have_count(2)
    found = page.inner_text("#search-results")
    assert found.count("2 people with this name") == 2 and "a…s@enschede.nl" in found and "Theme 1 (Room 2)" in found
    assert "anouk.devries@" not in page.content()
    first = page.locator("#search-results li").filter(has_text="Theme 1 (Room 2)").locator("button")
    first.click()
    expect(first).to_have_text("Tap again to check in Anouk de Vries · a…v@enschede.nl")
    screenshot(page, "scan-search-namesakes", full_page=True)
    assert page.is_hidden("#card")
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(CheckIn)) == 0  # one tap did nothing yet
    first.click()
    page.wait_for_selector("#card:not([hidden])")
    assert "Welcome" in page.inner_text("#card")
    with app.app_context():
        checked_in = db.session.scalars(select(Registration.email).join(CheckIn)).all()
    assert checked_in == ["adv@enschede.nl"]


def test_before_the_day_the_desk_is_told_search_opens_on_the_day(app, launch, server, day):
    with app.app_context():  # the day fixture's event is on its day: put it a week ahead
        event = db.session.scalar(select(Event).where(Event.slug == day["slug"]))
        event.date = (utcnow() + dt.timedelta(weeks=1)).date()
        db.session.commit()
    context, page, _ = open_scan_page(launch(), server, day)
    page.fill("#search", "soeder")
    expect(page.locator("#search-results")).to_have_text(
        "Searching people works at the desk on the day of the event only (organisers may try it before)."
    )
    assert "Søderhuizen" not in page.inner_text("#search-results")


def test_a_search_lost_on_the_wifi_says_so_and_tries_again_by_itself(launch, server, day):
    context, page, _ = open_scan_page(launch(), server, day)
    lost = []

    def first_one_lost(route):
        if not lost:
            lost.append(route.request.url)
            route.abort("connectionreset")
        else:
            route.continue_()

    page.route("**/search?*", first_one_lost)
    page.fill("#search", "soeder")
    expect(page.locator("#search-results")).to_have_text("Search needs the server, which did not answer: trying again…")
    expect(page.locator("#search-results li button")).to_have_count(1)  # found, without typing again
    assert len(lost) == 1 and "Teun Søderhuizen" in page.inner_text("#search-results")
    context.close()
