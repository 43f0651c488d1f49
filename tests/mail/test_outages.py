"""The mail worker outlives outages of the database and of SMTP; /healthz tells how the outbox and SMTP stand.

Real outages: a SQLite database whose folder is not there yet, an SMTP port nobody listens on until a server
starts; the worker is `flask send-mail --loop` as deploy/ runs it.
"""

import contextlib
import datetime as dt
import os
import shutil
import subprocess
import sys
import time

import pytest

from eventapp.platform.db import utcnow
from eventapp.platform.extensions import db
from eventapp.platform.mail.sender import deliver_due, sending_context
from tests.mail.smtp import start_smtp
from tests.registration.helpers import sign_up
from tests.served import PROJECT_ROOT


@pytest.fixture
def app_settings(smtp_port):
    return {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": smtp_port, "MAIL_SUPPRESS_SEND": False}


@contextlib.contextmanager
def mail_worker(database_url: str, smtp_port: int, log_path):
    """`flask send-mail --loop`, short intervals and retry delays so that the test does not wait minutes."""
    environment = {
        **os.environ,
        "EVENTAPP_ENV": "testing",
        "DATABASE_URL": database_url,
        "EVENTAPP_MAIL_SERVER": "127.0.0.1",
        "EVENTAPP_MAIL_PORT": str(smtp_port),
        "EVENTAPP_MAIL_SUPPRESS_SEND": "false",
        "EVENTAPP_MAIL_RETRY_SECONDS": "1",
    }
    command = [sys.executable, "-m", "flask", "--app", "wsgi", "send-mail", "--loop", "--interval", "0.2"]
    with open(log_path, "wb") as log:
        process = subprocess.Popen(command, cwd=PROJECT_ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT)
        try:
            yield process
        finally:
            process.terminate()
            process.wait(timeout=15)


def eventually(check, timeout: float = 30):
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "not within the time"
        time.sleep(0.1)


def test_the_worker_waits_for_the_database_and_then_delivers(app, make_event, database_url, smtp, smtp_port, tmp_path):
    with app.app_context():
        sign_up(make_event(), 1)
        db.engine.dispose()
    database = database_url.removeprefix("sqlite:///")
    later = tmp_path / "not-yet"  # the worker starts while this folder, and so the database, is not there
    log_path = tmp_path / "worker.log"
    with mail_worker(f"sqlite:///{later / 'eventapp.db'}", smtp_port, log_path) as worker:
        eventually(lambda: log_path.read_text().count("database out of reach") >= 2)
        assert worker.poll() is None  # still running, not ended by the outage
        later.mkdir()
        shutil.move(database, later / "eventapp.db")
        assert len(smtp.wait_for(1, timeout=70)) == 1, log_path.read_text()
        assert worker.poll() is None
    assert "trying again in" in log_path.read_text()


def test_the_worker_waits_for_smtp_and_healthz_says_it_is_down(app, make_event, database_url, smtp_port, tmp_path):
    with app.app_context():
        sign_up(make_event(), 1)
    health = app.test_client()
    log_path = tmp_path / "worker.log"
    with mail_worker(database_url, smtp_port, log_path) as worker:
        eventually(lambda: health.get("/healthz").get_json()["smtp"] == "failing")
        body = health.get("/healthz").get_json()
        assert body["outbox_due"] == 1 and body["smtp_last_failure_at"] and body["smtp_failing_since"]
        assert health.get("/healthz").status_code == 200  # the site still serves: for monitoring to alert on
        time.sleep(1)
        assert worker.poll() is None and "SMTP server out of reach" in log_path.read_text()
        controller, collector = start_smtp(smtp_port)
        try:
            assert len(collector.wait_for(1, timeout=70)) == 1, log_path.read_text()
            eventually(lambda: health.get("/healthz").get_json()["smtp"] == "ok")
        finally:
            controller.stop()
    body = health.get("/healthz").get_json()
    assert body["outbox_due"] == 0 and body["smtp_failing_since"] is None and body["smtp_last_failure_at"]


@pytest.mark.both_databases
def test_outbox_due_counts_the_mails_that_wait_for_smtp(app, make_event, smtp_port):
    """A failed attempt moves the next one later; the mail still waits, so it is still counted."""
    with app.app_context():
        event = make_event()
        sign_up(event, 1), sign_up(event, 2)
    client = app.test_client()
    assert client.get("/healthz").get_json()["smtp"] == "unknown"  # no worker has tried yet
    with sending_context(app):
        assert len(deliver_due().retrying) == 2
    body = client.get("/healthz").get_json()
    assert (body["outbox_due"], body["smtp"]) == (2, "failing")
    assert body["outbox_oldest_due_seconds"] >= 0
    controller, _collector = start_smtp(smtp_port)
    try:
        with sending_context(app):
            assert len(deliver_due(now=utcnow() + dt.timedelta(hours=1)).sent) == 2
    finally:
        controller.stop()
    body = client.get("/healthz").get_json()
    assert (body["outbox_due"], body["smtp"]) == (0, "ok")
