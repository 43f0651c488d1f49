"""The desk as an installable app that opens without the network: reload, close and reopen while offline,
then send what was scanned, each scan once."""

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from eventapp.checkin.models import CheckIn, Scan
from eventapp.platform.extensions import db
from tests.browser.conftest import BASE_ARGS, CHROMIUM
from tests.browser.desk import DESK_READY, LIST_STORED, OFFLINE_READY, log_in, open_scan_page, scan, wait_until

STORED_ON_DEVICE = """async () => ({
  caches: await caches.keys(),
  databases: (await indexedDB.databases()).map((database) => database.name),
  workers: (await navigator.serviceWorker.getRegistrations()).length,
})"""


def counted(app):
    with app.app_context():
        scans = list(db.session.scalars(select(Scan.client_scan_id)))
        return db.session.scalar(select(func.count()).select_from(CheckIn)), scans


def scan_offline(page, code):
    page.keyboard.type(code)
    page.keyboard.press("Enter")
    page.wait_for_selector("#card.card-ok")
    assert "Valid (offline)" in page.inner_text("#card")
    page.keyboard.press("Escape")


def test_the_desk_reloads_scans_and_reopens_offline_then_sends_each_scan_once(app, launch, server, day, screenshot):
    context, page, _ = open_scan_page(launch(), server, day)
    url = page.url
    wait_until(page, OFFLINE_READY)
    wait_until(page, LIST_STORED)

    context.set_offline(True)
    response = page.reload()
    assert response.from_service_worker  # not the browser's "no internet" page
    page.wait_for_selector(DESK_READY)
    expect(page.locator("#connection")).to_contain_text("Offline")
    for code in day["codes"]:
        scan_offline(page, code)
    expect(page.locator("#queue")).to_have_text("Offline: 3 scans waiting")
    expect(page.locator("#list-age")).to_contain_text("List of codes refreshed at")
    screenshot(page, "desk-offline-reload")
    assert counted(app) == (0, [])

    page.close()  # a crashed tab, a restarted tablet: the queue is on the device, not in the page
    page = context.new_page()
    assert page.goto(url).from_service_worker
    expect(page.locator("#queue")).to_have_text("Offline: 3 scans waiting")

    context.set_offline(False)
    expect(page.locator("#queue")).to_be_hidden(timeout=20000)
    checked_in, scan_ids = counted(app)
    assert checked_in == 3 and len(scan_ids) == 3 and len(set(scan_ids)) == 3 and None not in scan_ids
    expect(page.locator("#count-in")).to_have_text("3", timeout=10000)
    page.reload()  # nothing is sent twice
    page.wait_for_timeout(1500)
    assert counted(app)[0] == 3 and len(counted(app)[1]) == 3


def test_after_an_offline_reload_the_desk_shows_its_last_known_count_with_its_time(app, launch, server, day):
    """Not "0 / 3": the page from the service worker's cache starts from the counts kept on the device."""
    context, page, _ = open_scan_page(launch(), server, day)
    wait_until(page, OFFLINE_READY)
    for code in day["codes"][:2]:
        assert "Welcome" in scan(page, code)
        page.keyboard.press("Escape")
    expect(page.locator("#count-in")).to_have_text("2", timeout=10000)
    expect(page.locator("#count-at")).to_be_hidden()  # online, the counts are live

    context.set_offline(True)
    assert page.reload().from_service_worker
    page.wait_for_selector(DESK_READY)
    expect(page.locator("#connection")).to_contain_text("Offline")
    expect(page.locator(".count-big")).to_have_text(re.compile(r"^2 / 3 checked in, at .*\d\d:\d\d$"))
    context.set_offline(False)
    expect(page.locator("#count-at")).to_be_hidden(timeout=10000)
    expect(page.locator("#count-in")).to_have_text("2")


def test_a_desk_that_was_never_online_says_so(app, launch, server, day):
    context, page, _ = open_scan_page(launch(), server, day)
    wait_until(page, OFFLINE_READY)
    page.evaluate("window.DeskStore.forget()")  # as if the list of codes never arrived
    context.set_offline(True)
    page.reload()
    page.wait_for_selector(DESK_READY)
    expect(page.locator("#list-age")).to_contain_text("This desk has not been online yet")
    page.keyboard.type(day["codes"][0])
    page.keyboard.press("Enter")
    page.wait_for_selector("#card:not([hidden])")
    assert "Not checked: this desk has no list of codes yet" in page.inner_text("#card")
    expect(page.locator("#queue")).to_have_text("Offline: 1 scan waiting")


def test_the_desk_is_installable_and_its_worker_controls_the_page(playwright_instance, server, day, tmp_path):
    # A profile on disk: Chromium never offers to install from an incognito window, which new_context() is.
    context = playwright_instance.chromium.launch_persistent_context(
        str(tmp_path / "profile"), executable_path=CHROMIUM, args=BASE_ARGS, locale="en-GB"
    )
    try:
        page = context.new_page()
        log_in(page, server, day)
        wait_until(page, OFFLINE_READY)
        cdp = context.new_cdp_session(page)
        manifest = cdp.send("Page.getAppManifest")
        assert manifest["errors"] == [] and manifest["url"].endswith("/staff/checkin/manifest.webmanifest")
        assert cdp.send("Page.getInstallabilityErrors")["installabilityErrors"] == []
        assert page.evaluate("navigator.serviceWorker.controller.scriptURL").endswith("/staff/checkin/sw.js")
    finally:
        context.close()


@pytest.mark.parametrize("where", ["scan page", "not-arrived page"])
def test_logging_out_clears_what_the_desk_stored(app, launch, server, day, where):
    """From the scan page its script clears; from any other page the server's Clear-Site-Data header does."""
    context, page, _ = open_scan_page(launch(), server, day)
    wait_until(page, OFFLINE_READY)
    wait_until(page, LIST_STORED)
    page.fill("#desk", "desk 4")
    page.click("#desk-form button[type=submit]")
    if where == "not-arrived page":
        page.click("text=Not arrived yet")
        page.wait_for_selector("#q")
    before = page.evaluate(STORED_ON_DEVICE)
    assert before["caches"] and "eventapp-desk" in before["databases"] and before["workers"] == 1
    page.click("form[action$='/logout'] button")
    page.wait_for_selector("#password")
    assert page.evaluate(STORED_ON_DEVICE) == {"caches": [], "databases": [], "workers": 0}
    assert any(cookie["name"] == "eventapp_desk" for cookie in context.cookies())  # the desk keeps its name


def test_after_a_browser_restart_without_the_network_the_desk_opens_and_keeps_its_scans(
    app, playwright_instance, server, day, tmp_path
):
    profile = str(tmp_path / "profile")

    def start(**options):
        return playwright_instance.chromium.launch_persistent_context(
            profile, executable_path=CHROMIUM, args=BASE_ARGS, locale="en-GB", **options
        )

    context = start()
    page = context.new_page()
    log_in(page, server, day)
    url = page.url
    wait_until(page, OFFLINE_READY)
    wait_until(page, LIST_STORED)
    context.close()

    context = start(offline=True)
    try:
        page = context.new_page()
        assert page.goto(url).from_service_worker
        scan_offline(page, day["codes"][0])
        expect(page.locator("#queue")).to_have_text("Offline: 1 scan waiting")
        context.set_offline(False)
        # The restart ended the login (a session cookie): the page asks for it and keeps the scan meanwhile.
        expect(page.locator("#relogin")).to_be_visible(timeout=20000)
        expect(page.locator("#queue")).to_have_text("Not sent yet: log in again (1 scan waiting)")
        page.click("#relogin a")
        page.fill("#email", day["email"])
        page.fill("#password", day["password"])
        page.click("button[type=submit]")
        page.wait_for_selector(DESK_READY)
        wait_until(
            page, "window.DeskStore.queued(document.getElementById('scan-app').dataset.event).then((q) => !q.length)"
        )
        expect(page.locator("#queue")).to_be_hidden()
        assert counted(app)[0] == 1
    finally:
        context.close()
