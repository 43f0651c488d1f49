"""The answer card never costs a scan: a handheld scanner's next code while a card shows is checked in too."""

import time

from playwright.sync_api import expect
from sqlalchemy import select

from eventapp.checkin.models import CheckIn, Scan
from eventapp.platform.extensions import db
from eventapp.registration.models import Registration
from tests.browser.desk import DESK_READY, open_scan_page, scan

ACTIVE_IN_CARD = "document.getElementById('card').contains(document.activeElement)"


def scanner(page, code):
    """What a USB scanner does: type the characters into whatever has focus, then press Enter."""
    page.keyboard.type(code)
    page.keyboard.press("Enter")


def checked_in_names(app, expected: int = 0, timeout: float = 10) -> set[str]:
    """Who the server has checked in, once there are `expected` of them (a scan's answer may still be on its way)."""
    deadline = time.monotonic() + timeout
    while True:
        with app.app_context():
            names = set(db.session.scalars(select(Registration.name).join(CheckIn)))
        if len(names) >= expected or time.monotonic() > deadline:
            return names
        time.sleep(0.1)


def test_two_codes_300_ms_apart_are_both_checked_in_and_the_second_card_shows(app, launch, server, day, screenshot):
    context, page, _ = open_scan_page(launch(), server, day)
    scanner(page, day["codes"][0])
    page.wait_for_timeout(300)
    scanner(page, day["codes"][1])
    expect(page.locator("#card .card-name")).to_have_text("Teun Søderhuizen")
    expect(page.locator("#card .card-word")).to_have_text("Welcome")
    assert checked_in_names(app, 2) == {"Sylvia Huis in 't Veld", "Teun Søderhuizen"}
    screenshot(page, "desk-card-replaced")

    # A third code typed while the second card still shows replaces it as well.
    page.wait_for_timeout(500)
    assert page.is_visible("#card")
    scanner(page, day["codes"][2])
    expect(page.locator("#card .card-name")).to_have_text("Denise van der Plaat")
    assert len(checked_in_names(app, 3)) == 3
    with app.app_context():
        assert sorted(db.session.scalars(select(Scan.outcome))) == ["ok", "ok", "ok"]


def test_tab_stays_in_the_card_and_escape_closes_it(app, launch, server, day):
    context, page, _ = open_scan_page(launch(), server, day)
    scan(page, day["codes"][0])  # green: "next scan" and "undo"
    for key in ["Tab", "Tab", "Tab", "Shift+Tab", "Shift+Tab", "Shift+Tab"]:
        page.keyboard.press(key)
        assert page.evaluate(ACTIVE_IN_CARD), f"focus left the card after {key}"
    page.focus("#card .card-undo")
    page.keyboard.press("Escape")
    expect(page.locator("#card")).to_be_hidden()
    assert page.evaluate("document.activeElement.id") == "code"
    assert checked_in_names(app) == {"Sylvia Huis in 't Veld"}  # Escape on "undo" did not undo


def test_the_not_valid_card_stays_until_dismissed_and_offers_a_search_by_name(app, launch, server, day, screenshot):
    context, page, _ = open_scan_page(launch(), server, day)
    card = scan(page, "a-forged-code")
    assert "Not valid" in card and page.is_visible("#card .card-search")
    page.wait_for_timeout(7000)  # longer than any card's timer
    assert page.is_visible("#card")
    screenshot(page, "desk-card-invalid")
    page.click("#card .card-search")
    expect(page.locator("#card")).to_be_hidden()
    assert page.evaluate("document.activeElement.id") == "search"


def test_the_desk_name_is_asked_once_and_shown_in_the_header(app, launch, server, day):
    context, page, _ = open_scan_page(launch(), server, day)
    assert page.is_visible("#desk-form") and not page.is_visible("#desk-shown")
    assert page.is_visible("text=Register a walk-in") and page.is_visible("text=Not arrived yet")
    page.fill("#desk", "desk 2")
    page.click("#desk-form button[type=submit]")
    expect(page.locator("#desk-shown")).to_have_text("Desk: desk 2 change")
    page.reload()
    page.wait_for_selector(DESK_READY)
    assert not page.is_visible("#desk-form") and page.inner_text("#desk-value") == "desk 2"
    scanner(page, day["codes"][0])
    page.wait_for_selector("#card.card-ok")
    page.keyboard.press("Escape")
    card = scan(page, day["codes"][0])
    assert "Already checked in at" in card and "at desk 2." in card
