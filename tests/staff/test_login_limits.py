"""Login limits count failures only (per account and per address); the 429 page says how long to wait."""

import datetime as dt
import re

import pytest
from limits.storage import MemoryStorage

from eventapp.platform.staff import login_limits

# --- the rule, without HTTP ------------------------------------------------------------------------


@pytest.fixture
def limits():
    return login_limits.login_limits(MemoryStorage(), "4 per minute", "2 per minute; 3 per hour")


def now():
    return dt.datetime.now(dt.UTC)


def test_failures_count_per_account_and_successes_are_never_recorded(limits):
    assert login_limits.wait_seconds(limits, "10.0.0.1", "desk@example.org", now()) is None
    login_limits.record_failure(limits, "10.0.0.1", "desk@example.org")
    assert login_limits.wait_seconds(limits, "10.0.0.1", "desk@example.org", now()) is None
    # The same account written otherwise, from another address: the account's second failure fills its limit.
    login_limits.record_failure(limits, "10.0.0.2", "  DESK@example.org ")
    wait = login_limits.wait_seconds(limits, "10.0.0.3", "desk@example.org", now())
    assert 55 <= wait <= 60
    # Another account from those addresses is not held back.
    assert login_limits.wait_seconds(limits, "10.0.0.1", "other@example.org", now()) is None


def test_failures_count_per_address_across_accounts(limits):
    for n in range(4):
        login_limits.record_failure(limits, "10.0.0.9", f"guess{n}@example.org")
    assert login_limits.wait_seconds(limits, "10.0.0.9", "desk@example.org", now()) is not None
    assert login_limits.wait_seconds(limits, "10.0.0.10", "desk@example.org", now()) is None


def test_the_wait_is_that_of_the_limit_that_was_hit(app_context):
    limits = login_limits.login_limits(MemoryStorage(), "100 per minute", "100 per minute; 3 per hour")
    for _ in range(3):
        login_limits.record_failure(limits, "10.0.0.1", "desk@example.org")
    wait = login_limits.wait_seconds(limits, "10.0.0.1", "desk@example.org", now())
    assert 3500 < wait <= 3600  # the hour's limit: an hour, not "a minute"


# --- through HTTP ----------------------------------------------------------------------------------


def attempt(app, email, password, address="10.1.0.1", language="en"):
    client = app.test_client()
    client.environ_base.update(REMOTE_ADDR=address, HTTP_ACCEPT_LANGUAGE=language)
    page = client.get("/staff/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    return client.post("/staff/login", data={"csrf_token": token, "email": email, "password": password})


def test_a_whole_shift_logging_in_is_never_limited(app, make_user):
    email, password = make_user("desk")
    assert [attempt(app, email, password).status_code for _ in range(12)] == [302] * 12


def test_the_limited_page_says_how_long_in_dutch(app, make_user):
    app.config["LOGIN_ACCOUNT_RATE_LIMIT"] = "50 per minute; 2 per hour"
    email, password = make_user("desk")
    assert [attempt(app, email, "wrong guess", f"10.2.0.{n}").status_code for n in range(2)] == [401, 401]
    answer = attempt(app, email, password, "10.2.1.1", language="nl")
    page = answer.get_data(as_text=True)
    assert answer.status_code == 429 and 3500 < int(answer.headers["Retry-After"]) <= 3600
    assert "Te veel mislukte inlogpogingen" in page and "Wacht 60 minuten" in page
    assert "Too Many Requests" not in page


def test_another_limits_page_names_the_window_that_was_hit(app, client, demo_slug):
    app.config["REGISTRATION_RATE_LIMIT"] = "1 per hour"
    page = client.get(f"/e/{demo_slug}/register", headers={"Accept-Language": "nl"}).get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    client.post(f"/e/{demo_slug}/register", data={"csrf_token": token})
    refused = client.post(f"/e/{demo_slug}/register", data={"csrf_token": token}, headers={"Accept-Language": "nl"})
    text = refused.get_data(as_text=True)
    # How long until the limit that was hit lets one through: its hour has just begun.
    assert refused.status_code == 429 and "Te veel verzoeken" in text and "Wacht 60 minuten" in text
