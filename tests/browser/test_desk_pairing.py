"""Pairing a phone or tablet by QR link: the organiser makes a device for the day, a fresh browser opens its link,
pairs without a password, scans online and offline, and after the organiser revokes the token its next scan is not
a red card but waits in the queue with the "log in again" banner."""

from urllib.parse import urlsplit

from playwright.sync_api import expect
from sqlalchemy import func, select

from eventapp.checkin.models import CheckIn
from eventapp.platform.extensions import db
from eventapp.registration.models import Registration
from tests.browser.desk import DESK_READY, LIST_STORED, OFFLINE_READY, wait_until

QUEUE_EMPTY = "window.DeskStore.queued(document.getElementById('scan-app').dataset.event).then((q) => !q.length)"


def checked_in_codes(app) -> set[str]:
    with app.app_context():
        return set(db.session.scalars(select(Registration.ticket_code).join(CheckIn)))


def organiser_makes_device(browser, server, make_user, slug) -> tuple:
    email, password = make_user("organiser")
    context = browser.new_context(viewport={"width": 1024, "height": 768}, locale="en-GB")
    page = context.new_page()
    page.goto(f"{server}/staff/login")
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{server}/organiser/**")
    page.goto(f"{server}/organiser/devices/")
    page.fill("#name", "Tablet 3")
    page.select_option("#event", slug)
    page.click("form.form button[type=submit]")
    page.wait_for_selector("#pair-link")
    expect(page.locator(".pair-qr svg")).to_be_visible()
    link = urlsplit(page.get_attribute("#pair-link", "href"))
    return page, f"{server}{link.path}"  # the link names the public address; the test's server has its own port


def scan_card(page, code) -> tuple[str, str]:
    page.keyboard.type(code)
    page.keyboard.press("Enter")
    page.wait_for_selector("#card:not([hidden])")
    look, text = page.get_attribute("#card", "class"), page.inner_text("#card")
    page.keyboard.press("Escape")
    page.wait_for_selector("#card", state="hidden")
    return look, text


def test_a_paired_browser_scans_until_its_token_is_revoked(app, launch, server, day, make_user, screenshot):
    browser = launch()
    organiser, link = organiser_makes_device(browser, server, make_user, day["slug"])

    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-GB")  # a phone, never logged in
    page = context.new_page()
    page.goto(link)
    expect(page.locator("#pair-question")).to_contain_text("Pair this browser as desk device Tablet 3 for")
    page.click("#pair-confirm")
    page.wait_for_selector(DESK_READY)
    expect(page.locator("#paired-device")).to_have_text("Desk device: Tablet 3")
    expect(page.locator(".notice, .flash, [role=status]").first).to_be_visible()
    wait_until(page, OFFLINE_READY)  # the offline desk installed, as for a logged-in desk
    wait_until(page, LIST_STORED)
    screenshot(page, "desk-paired")

    first, second, third = day["codes"]
    look, text = scan_card(page, first)
    assert "card-ok" in look and "Welcome" in text
    assert checked_in_codes(app) == {first}

    context.set_offline(True)
    look, text = scan_card(page, second)
    assert "card-ok" in look and "Valid (offline)" in text
    context.set_offline(False)
    wait_until(page, QUEUE_EMPTY, timeout=20)
    expect(page.locator("#count-in")).to_have_text("2", timeout=10000)
    assert checked_in_codes(app) == {first, second}

    organiser.goto(f"{organiser.url.split('/organiser')[0]}/organiser/devices/")
    organiser.click("a[href$='/revoke']")
    organiser.click("button.button-danger")
    organiser.wait_for_selector("text=no longer works")

    look, text = scan_card(page, third)
    assert "card-bad" not in look and "Not valid" not in text
    assert "card-ok" in look and "sent once this desk is logged in again" in text
    expect(page.locator("#queue")).to_have_text("Not sent yet: log in again (1 scan waiting)")
    expect(page.locator("#relogin")).to_be_visible()
    screenshot(page, "desk-paired-revoked")
    page.wait_for_timeout(1500)  # the desk retries every few seconds: still refused, nothing recorded
    assert checked_in_codes(app) == {first, second}
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(CheckIn)) == 2
    expect(page.locator("#queue")).to_have_text("Not sent yet: log in again (1 scan waiting)")
    context.close()
    organiser.context.close()
