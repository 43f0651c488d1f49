"""Helpers of the desk's browser tests: log in at the scan page, scan like a handheld scanner, wait for the page."""

import datetime as dt
import time

from playwright.sync_api import expect
from sqlalchemy import select

from eventapp.events.models import Event
from eventapp.platform.db import utcnow
from eventapp.platform.extensions import db
from tests.checkin.days import on_the_day
from tests.registration.helpers import sign_up

# The scan page's script has wired its listeners (before that, typing into #code is lost).
DESK_READY = "#scan-app[data-ready='true'] #code"
# The page has its list of codes (salted hashes) in IndexedDB, ready for scanning offline.
LIST_STORED = "window.DeskStore.list(document.getElementById('scan-app').dataset.event).then((list) => Boolean(list))"
# The service worker controls the page and has cached it and its assets.
OFFLINE_READY = (
    "document.getElementById('scan-app').dataset.offlineReady === 'true' && Boolean(navigator.serviceWorker.controller)"
)


def open_scan_page(browser, base_url, day, **context_options):
    context = browser.new_context(viewport={"width": 1024, "height": 768}, locale="en-GB", **context_options)
    page = context.new_page()
    outside = []
    page.on(
        "request",
        lambda request: (
            outside.append(request.url) if not request.url.startswith((base_url, "data:", "blob:")) else None
        ),
    )
    log_in(page, base_url, day)
    return context, page, outside


def log_in(page, base_url, day):
    """Open the scan page, which asks to log in first, and log in as the desk."""
    page.goto(f"{base_url}/staff/checkin?event={day['slug']}")
    page.fill("#email", day["email"])
    page.fill("#password", day["password"])
    page.click("button[type=submit]")
    page.wait_for_selector(DESK_READY)
    expect(page.locator("#count-in")).to_have_text("0")


def wait_until(page, expression: str, timeout: float = 15) -> None:
    """Poll a JavaScript expression (page.evaluate works under the page's CSP; string predicates do not)."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"still false after {timeout}s: {expression}")
        time.sleep(0.1)


def scan(page, code):
    page.fill("#code", code)
    page.press("#code", "Enter")
    page.wait_for_selector("#card:not([hidden])")
    return page.inner_text("#card")


def next_scan(page):
    page.keyboard.press("Enter")  # the card has focus: Enter is ready for the next scan
    page.wait_for_selector("#card", state="hidden")


def before_the_day():
    """When people signed up: the day fixture's event is on its day, when registration is closed."""
    return utcnow() - dt.timedelta(days=1)


def add_namesakes(app, slug: str, second_theme: int = 0) -> None:
    """Two "Anouk de Vries · Gemeente Enschede" with other addresses, signed up before the day; then it is the day."""
    with app.app_context():
        event = db.session.scalar(select(Event).where(Event.slug == slug))
        for number, email, theme in ((4, "anouk.devries@enschede.nl", 0), (5, "adv@enschede.nl", second_theme)):
            sign_up(
                event,
                number,
                name="Anouk de Vries",
                email=email,
                organisation="Gemeente Enschede",
                theme=theme,
                now=before_the_day(),
            )
        on_the_day(event)
        db.session.commit()
