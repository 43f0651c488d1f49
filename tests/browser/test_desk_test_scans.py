"""A desk five weeks before the day: the card asks to confirm a test scan, the desk then shows it is in test mode,
and its scans (online and queued offline) are recorded as tests only."""

import datetime as dt

from playwright.sync_api import expect
from sqlalchemy import select

from eventapp.checkin.models import CheckIn, Scan
from eventapp.events.models import Event
from eventapp.platform.db import utcnow
from eventapp.platform.extensions import db
from tests.browser.desk import LIST_STORED, log_in, next_scan, open_scan_page, scan, wait_until

# The page's script runs and has its list of codes (so an offline scan is checked against it).
SCRIPT_READY = f"window.DeskStore ? {LIST_STORED} : false"


def five_weeks_early(app, slug):
    with app.app_context():
        event = db.session.scalar(select(Event).where(Event.slug == slug))
        event.date = (utcnow() + dt.timedelta(weeks=5)).date()
        db.session.commit()


def stored(app) -> tuple[int, list[bool]]:
    """(check-ins, the test flag of each scan) as the server has them."""
    with app.app_context():
        return (
            len(db.session.scalars(select(CheckIn)).all()),
            list(db.session.scalars(select(Scan.test).order_by(Scan.id))),
        )


def test_a_scan_before_the_day_asks_to_confirm_a_test_and_never_counts(app, launch, server, day, screenshot):
    five_weeks_early(app, day["slug"])
    context, page, outside = open_scan_page(launch(), server, day)
    wait_until(page, SCRIPT_READY)
    assert not page.is_visible("#test-banner")

    card = scan(page, day["codes"][0])
    assert "Not the day of the event" in card
    assert "This is a test scan; it will not count. Record as test?" in card
    expect(page.locator("#card .card-test")).to_be_visible()
    screenshot(page, "desk-test-confirm")
    assert stored(app) == (0, [])  # nothing recorded until confirmed

    page.click("#card .card-test")
    expect(page.locator("#card .card-word")).to_have_text("Test: Welcome")
    expect(page.locator("#test-banner")).to_be_visible()
    assert not page.is_visible("#card .card-undo")  # a test admitted nobody: nothing to undo
    assert stored(app) == (0, [True])
    screenshot(page, "desk-test-mode")

    next_scan(page)
    card = scan(page, day["codes"][0])  # in test mode: no question, answered as a test
    assert "Test: Already checked in" in card
    next_scan(page)

    context.set_offline(True)
    card = scan(page, day["codes"][1])
    assert "Valid (offline)" in card
    queued = page.evaluate(
        "window.DeskStore.queued(document.getElementById('scan-app').dataset.event).then((q) => q.map((s) => s.test))"
    )
    assert queued == [True]  # the queue keeps the flag
    next_scan(page)
    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    wait_until(page, "document.getElementById('queue').hidden")
    assert stored(app) == (0, [True, True, True])
    expect(page.locator("#count-in")).to_have_text("0")

    page.click("#test-stop")
    expect(page.locator("#test-banner")).to_be_hidden()
    card = scan(page, day["codes"][2])
    assert "Not the day of the event" in card  # out of test mode: asked again
    assert stored(app) == (0, [True, True, True])
    assert outside == []


def test_the_confirm_is_in_dutch_for_a_dutch_desk(app, launch, server, day):
    five_weeks_early(app, day["slug"])
    page = launch().new_context(viewport={"width": 1024, "height": 768}, locale="nl-NL").new_page()
    log_in(page, server, day)
    wait_until(page, SCRIPT_READY)
    card = scan(page, day["codes"][0])
    assert "Dit is een testscan; hij telt niet mee. Vastleggen als test?" in card
    expect(page.locator("#card .card-test")).to_have_text("Vastleggen als test")
