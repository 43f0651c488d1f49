"""Browser tests: Debian's Chromium driven by Playwright against the app served by gunicorn.

Skipped with a reason when /usr/bin/chromium is missing; REQUIRE_BROWSER=1 (set by .ci/run,
which installs Chromium) makes that a failure. Screenshots go to test-artifacts/screenshots/.
"""

import os
import shutil
from pathlib import Path

import pytest

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
