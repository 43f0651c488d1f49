"""Personal links stay private: not cached, not built from a forged Host, not written to a log."""

import logging

import pytest
from icalendar import Calendar

from eventapp.platform.logs import redact
from tests.registration.helpers import sign_up


@pytest.fixture
def token(app, make_event):
    with app.app_context():
        return sign_up(make_event(), 1).manage_token


def test_personal_pages_are_not_stored_by_caches(client, token):
    for path in (f"/r/{token}", f"/r/{token}/calendar.ics", f"/r/{token}/qr.png", f"/r/{token}/data.json"):
        assert client.get(path).headers["Cache-Control"] == "no-store", path


def test_calendar_links_use_the_public_address_not_the_host_header(app, client, token):
    app.config["PUBLIC_URL"] = "https://dag.example.nl"
    body = client.get(f"/r/{token}/calendar.ics", headers={"Host": "evil.example"}).data
    urls = [str(entry["URL"]) for entry in Calendar.from_ical(body).walk("VEVENT")]
    assert urls and all(url == f"https://dag.example.nl/r/{token}" for url in urls)
    assert b"evil.example" not in body


def test_the_program_calendar_uses_the_public_address(app, client, make_event):
    with app.app_context():
        slug = make_event().slug
    app.config["PUBLIC_URL"] = "https://dag.example.nl"
    body = client.get(f"/e/{slug}/agenda.ics", headers={"Host": "evil.example"}).data
    assert b"evil.example" not in body and b"https://dag.example.nl/e/" in body


def test_personal_tokens_are_redacted_from_log_lines(app, client, token, caplog):
    assert redact(f'"GET /r/{token}/calendar.ics HTTP/1.1" 200') == '"GET /r/[redacted]/calendar.ics HTTP/1.1" 200'
    assert redact("/newsletter/unsubscribe/abc.def?x=1") == "/newsletter/unsubscribe/[redacted]?x=1"
    assert redact("/r/transfer/s3cr3t-link") == "/r/transfer/[redacted]"  # a colleague's confirmation link
    assert redact(f"/r/{token}/transfer") == "/r/[redacted]/transfer"
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.get("/r/<token>/boom")
    def boom(token):  # an error on a personal page: Flask logs the path
        raise RuntimeError("boom")

    with caplog.at_level(logging.ERROR):
        assert client.get(f"/r/{token}/boom").status_code == 500
    assert caplog.records and token not in caplog.text and "/r/[redacted]/boom" in caplog.text
    werkzeug = logging.getLogger("werkzeug")
    with caplog.at_level(logging.INFO, logger="werkzeug"):
        werkzeug.info('%s - - "%s" %s', "127.0.0.1", f"GET /r/{token} HTTP/1.1", 200)
    assert token not in caplog.text
