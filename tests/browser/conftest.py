"""Browser tests: Debian's Chromium driven by Playwright against the app served by gunicorn.

Skipped with a reason when /usr/bin/chromium is missing; REQUIRE_BROWSER=1 (set by .ci/run,
which installs Chromium) makes that a failure. Screenshots go to test-artifacts/screenshots/.
"""

import os
import shutil
from pathlib import Path

import pytest

from eventapp.platform.extensions import db
from tests.browser.tour import served_tour
from tests.checkin.days import on_the_day
from tests.registration.helpers import sign_up
from tests.served import served_app

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
REQUIRE_BROWSER = os.environ.get("REQUIRE_BROWSER", "") not in ("", "0", "false", "no")
SCREENSHOTS = Path(__file__).resolve().parent.parent.parent / "test-artifacts" / "screenshots"
BASE_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]


@pytest.fixture(scope="session")
def playwright_instance():
    if not shutil.which(CHROMIUM):
        message = f"browser tests skipped: no Chromium at {CHROMIUM} (apt-get install chromium)"
        if REQUIRE_BROWSER:
            pytest.fail(message.replace("skipped", "required"), pytrace=False)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture
def launch(playwright_instance, tmp_path):
    """A callable that starts Chromium (with extra flags) and closes it after the test."""
    browsers = []

    def start(*extra_args):
        browser = playwright_instance.chromium.launch(executable_path=CHROMIUM, args=[*BASE_ARGS, *extra_args])
        browsers.append(browser)
        return browser

    yield start
    for browser in browsers:
        browser.close()


@pytest.fixture
def screenshot():
    """A callable that saves a screenshot of a page under test-artifacts/screenshots/NAME.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def save(page, name, full_page=False):
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=full_page)

    return save


@pytest.fixture
def day(app, make_event, make_user):
    """An event with three people, and a desk account."""
    with app.app_context():
        event = make_event(day_capacity=10)
        people = [
            sign_up(event, 1, name="Sylvia Huis in 't Veld", organisation="Kennispunt Twente"),
            sign_up(event, 2, name="Teun Søderhuizen", organisation="Raad voor de Kinderbescherming"),
            sign_up(event, 3, name="Denise van der Plaat", organisation="Gemeente Ede"),
        ]
        codes = [person.ticket_code for person in people]
        slug = event.slug
        on_the_day(event)  # the desk scans on the event's day (before it a scan is only a test)
        db.session.commit()
    email, password = make_user("desk", email="desk@example.org")
    return {"slug": slug, "codes": codes, "email": email, "password": password}


@pytest.fixture
def server(database_url, tmp_path, day):
    with served_app(database_url, tmp_path / "gunicorn.log", workers=2, threads=4) as base_url:
        yield base_url


@pytest.fixture(scope="session")
def visits(playwright_instance, sqlite_template, tmp_path_factory):
    """Every page in both languages at 375 and 1280 px, measured once per test run (see tests/browser/tour.py)."""
    return served_tour(playwright_instance, CHROMIUM, BASE_ARGS, sqlite_template, tmp_path_factory.mktemp("tour"))
