"""The desk on a phone (375 px): the scan page and the "not arrived yet" list, without sideways scrolling."""

from playwright.sync_api import expect
from sqlalchemy import select

from eventapp.checkin.models import CheckIn
from eventapp.platform.extensions import db
from eventapp.registration.models import Registration
from tests.browser.desk import add_namesakes, log_in
from tests.checkin.days import slug_on_the_day

NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"


def phone(browser, **options):
    return browser.new_context(viewport={"width": 375, "height": 740}, locale="en-GB", **options).new_page()


def test_the_scan_page_fits_a_phone(launch, server, day, screenshot):
    page = phone(launch())
    log_in(page, server, day)
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    assert page.is_visible("text=Register a walk-in")
    expect(page.locator("#desk-form")).to_be_visible()  # shown by desk-pwa.js once the page's scripts ran
    screenshot(page, "desk-scan-375", full_page=True)


def test_not_arrived_yet_search_and_one_tap_check_in(app, launch, server, day, screenshot):
    slug_on_the_day(app, day["slug"])
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


def test_not_arrived_namesakes_take_a_second_tap(app, launch, server, day, screenshot):
    add_namesakes(app, day["slug"])
    page = phone(launch())
    log_in(page, server, day)
    page.click("text=Not arrived yet")
    expect(page.locator("#not-arrived-count")).to_have_text("5 not arrived yet")
    expect(page.locator(".same-name")).to_have_count(2)
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    screenshot(page, "desk-not-arrived-namesakes-375", full_page=True)
    button = page.locator("li").filter(has_text="a…s@enschede.nl").locator("button")
    button.click()
    expect(button).to_have_text("Tap again to check in Anouk de Vries · a…s@enschede.nl")
    expect(page.locator("#not-arrived-count")).to_have_text("5 not arrived yet")  # still the same page
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    button.click()
    expect(page.locator(".flash-success")).to_have_text("Anouk de Vries is checked in.")
    with app.app_context():
        assert db.session.scalars(select(Registration.email).join(CheckIn)).all() == ["anouk.devries@enschede.nl"]
    page.click("button[aria-label='Check in Denise van der Plaat']")  # a unique name: still one tap
    expect(page.locator(".flash-success")).to_have_text("Denise van der Plaat is checked in.")
