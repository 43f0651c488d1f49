"""The desk on a phone (375 px): the scan page and the "not arrived yet" list, without sideways scrolling."""

from playwright.sync_api import expect
from sqlalchemy import select

from eventapp.checkin.models import CheckIn
from eventapp.extensions import db
from eventapp.registration.models import Registration
from tests.browser.desk import log_in

NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"


def phone(browser, **options):
    return browser.new_context(viewport={"width": 375, "height": 740}, locale="en-GB", **options).new_page()


def test_the_scan_page_fits_a_phone(launch, server, day, screenshot):
    page = phone(launch())
    log_in(page, server, day)
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    assert page.is_visible("text=Register a walk-in") and page.is_visible("#desk-form")
    screenshot(page, "desk-scan-375", full_page=True)


def test_not_arrived_yet_search_and_one_tap_check_in(app, launch, server, day, screenshot):
    page = phone(launch())
    log_in(page, server, day)
    page.click("text=Not arrived yet")
    expect(page.locator("#not-arrived-count")).to_have_text("3 not arrived yet")
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    screenshot(page, "desk-not-arrived-375", full_page=True)

    page.fill("#q", "soeder")
    page.press("#q", "Enter")
    expect(page.locator("#not-arrived-count")).to_have_text("1 found")
    page.click("button[aria-label='Check in Teun Søderhuizen']")
    expect(page.locator(".flash-success")).to_have_text("Teun Søderhuizen is checked in.")
    expect(page.locator("#not-arrived-count")).to_have_text("0 found")
    with app.app_context():
        assert db.session.scalars(select(Registration.name).join(CheckIn)).all() == ["Teun Søderhuizen"]
    page.fill("#q", "")
    page.press("#q", "Enter")
    expect(page.locator("#not-arrived-count")).to_have_text("2 not arrived yet")
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
