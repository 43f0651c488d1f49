"""Answers that are not verdicts (a logout elsewhere, a rate limit, a server outage) never turn a valid ticket away:
the scan waits in the desk's queue with a calm banner and is recorded once when the server takes it again."""

import datetime as dt

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from eventapp.checkin.faults import FAULT_FILE
from eventapp.checkin.models import CheckIn, Scan
from eventapp.events.models import Event
from eventapp.platform.db import utcnow
from eventapp.platform.extensions import db
from tests.browser.desk import DESK_READY, LIST_STORED, OFFLINE_READY, open_scan_page, wait_until
from tests.registration.helpers import sign_up
from tests.served import served_app

QUEUE_EMPTY = "window.DeskStore.queued(document.getElementById('scan-app').dataset.event).then((q) => !q.length)"


@pytest.fixture
def fault_file(tmp_path):
    return tmp_path / "fault"


@pytest.fixture
def faulty_server(database_url, tmp_path, day, fault_file):
    """The app served as usual, with the test hook that lets a test make its check-in API answer 429 or 503."""
    env = {FAULT_FILE: str(fault_file)}
    with served_app(database_url, tmp_path / "gunicorn.log", workers=2, threads=4, env=env) as base_url:
        yield base_url


def fourth_person(app, day) -> str:
    """One more valid ticket, for the scan that shows the first tablet's logout leaves the second logged in."""
    with app.app_context():
        event = db.session.scalar(select(Event).where(Event.slug == day["slug"]))
        before_the_day = utcnow() - dt.timedelta(days=1)  # the day fixture's event is on its day: registered before
        person = sign_up(event, 4, name="Anouk de Vries", organisation="Gemeente Enschede", now=before_the_day)
        return person.ticket_code


def recorded(app):
    """(check-ins, the scans' ids) in the database."""
    with app.app_context():
        scan_ids = list(db.session.scalars(select(Scan.client_scan_id)))
        return db.session.scalar(select(func.count()).select_from(CheckIn)), scan_ids


def scan_held(page, code, note):
    """Scan a valid code while the server does not take it: a green offline card, never the red one."""
    page.keyboard.type(code)
    page.keyboard.press("Enter")
    page.wait_for_selector("#card:not([hidden])")
    assert page.get_attribute("#card", "class").split().count("card-ok") == 1
    text = page.inner_text("#card")
    assert "Valid (offline)" in text and note in text and "Not valid" not in text
    page.keyboard.press("Escape")
    page.wait_for_selector("#card", state="hidden")


def ready_desk(browser, server, day):
    context, page, _ = open_scan_page(browser, server, day)
    wait_until(page, OFFLINE_READY)
    wait_until(page, LIST_STORED)
    return context, page


def test_a_logout_on_another_tablet_queues_the_scans_until_this_desk_logs_in_again(
    app, launch, faulty_server, day, screenshot
):
    fourth = fourth_person(app, day)
    browser = launch()
    first, first_page = ready_desk(browser, faulty_server, day)
    second, page = ready_desk(browser, faulty_server, day)  # the same desk account on a second tablet

    # Logging out ends the first tablet's login only: the second's next scan is a verdict, sent at once.
    first_page.click("form[action$='/logout'] button")
    first_page.wait_for_selector("#password")
    page.keyboard.type(fourth)
    page.keyboard.press("Enter")
    page.wait_for_selector("#card.card-ok")
    assert "Welcome" in page.inner_text("#card")
    page.keyboard.press("Escape")
    assert recorded(app)[0] == 1

    # "Log out everywhere" from the first tablet ends the second's login too: its scans wait.
    first_page.fill("#email", day["email"])
    first_page.fill("#password", day["password"])
    first_page.click("button[type=submit]")
    first_page.wait_for_selector(DESK_READY)
    first_page.goto(f"{faulty_server}/staff/account/logout-everywhere")
    first_page.click("button.button-danger")
    first_page.wait_for_selector("#password")

    for code in day["codes"]:
        scan_held(page, code, "sent once this desk is logged in again")
    expect(page.locator("#queue")).to_have_text("Not sent yet: log in again (3 scans waiting)")
    expect(page.locator("#relogin")).to_be_visible()
    screenshot(page, "desk-held-login")
    assert recorded(app)[0] == 1

    page.click("#relogin a")
    page.fill("#email", day["email"])
    page.fill("#password", day["password"])
    page.click("button[type=submit]")
    page.wait_for_selector(DESK_READY)
    wait_until(page, QUEUE_EMPTY, timeout=20)
    expect(page.locator("#queue")).to_be_hidden()
    expect(page.locator("#relogin")).to_be_hidden()
    expect(page.locator("#count-in")).to_have_text("4", timeout=10000)
    checked_in, scan_ids = recorded(app)
    assert checked_in == 4 and len(scan_ids) == 4 and len(set(scan_ids)) == 4 and None not in scan_ids
    page.reload()  # nothing is sent twice
    page.wait_for_timeout(1500)
    assert recorded(app)[0] == 4 and len(recorded(app)[1]) == 4
    first.close()
    second.close()


@pytest.mark.parametrize("status", [429, 503])
def test_a_busy_server_keeps_the_scans_queued_and_takes_each_once_when_it_answers_again(
    app, launch, faulty_server, day, fault_file, status, screenshot
):
    context, page = ready_desk(launch(), faulty_server, day)
    fault_file.write_text(str(status))

    for code in day["codes"]:
        scan_held(page, code, "sent as soon as the server answers")
    expect(page.locator("#queue")).to_have_text("Not sent yet: the server is busy (3 scans waiting)")
    expect(page.locator("#relogin")).to_be_hidden()
    expect(page.locator("#connection")).to_have_text("Online")
    screenshot(page, f"desk-held-{status}")
    page.wait_for_timeout(6000)  # a retry meets the same answer: still queued, nothing recorded
    expect(page.locator("#queue")).to_have_text("Not sent yet: the server is busy (3 scans waiting)")
    assert recorded(app) == (0, [])

    fault_file.unlink()  # the server answers again: the desk's own retry sends the queue
    wait_until(page, QUEUE_EMPTY, timeout=20)
    expect(page.locator("#queue")).to_be_hidden()
    expect(page.locator("#count-in")).to_have_text("3", timeout=10000)
    checked_in, scan_ids = recorded(app)
    assert checked_in == 3 and len(scan_ids) == 3 and len(set(scan_ids)) == 3
    page.reload()
    page.wait_for_timeout(1500)
    assert recorded(app)[0] == 3 and len(recorded(app)[1]) == 3
    context.close()
