"""What operations see: /healthz, /metrics (inside only), and one log line per request with its id."""

import datetime as dt
import logging

import pytest
from sqlalchemy import update

from eventapp.db import utcnow
from eventapp.extensions import db
from eventapp.logs import request_log
from eventapp.mail.models import OutgoingMail
from tests.registration.helpers import sign_up


def test_healthz_reports_the_database_and_the_outbox(app, client, make_event):
    with app.app_context():
        sign_up(make_event(), 1)  # one mail due, since 90 seconds
        db.session.execute(update(OutgoingMail).values(next_attempt_at=utcnow() - dt.timedelta(seconds=90)))
        db.session.commit()
    answer = client.get("/healthz")
    assert answer.status_code == 200 and answer.headers["Cache-Control"] == "no-store"
    body = answer.get_json()
    assert body["status"] == "ok" and body["database"] == "ok" and body["outbox_due"] == 1
    assert 90 <= body["outbox_oldest_due_seconds"] < 150


@pytest.mark.parametrize("app_settings", [{"RATELIMIT_STORAGE_URI": "redis://127.0.0.1:9/0"}])
def test_healthz_fails_when_redis_does_not_answer(client, app_settings):
    answer = client.get("/healthz")
    assert answer.status_code == 503
    assert answer.get_json()["redis_0"].startswith("unreachable")


def test_metrics_answer_inside_only(client):
    client.get("/")
    inside = client.get("/metrics")
    assert inside.status_code == 200
    text = inside.get_data(as_text=True)
    assert 'eventapp_requests_total{endpoint="events.list_events",method="GET",status="200"}' in text
    for name in ("eventapp_request_seconds_bucket", "eventapp_outbox_due", "eventapp_check_ins"):
        assert name in text
    assert client.get("/metrics", headers={"X-Forwarded-For": "203.0.113.9"}).status_code == 404
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "145.100.1.1"}).status_code == 404


def test_one_line_per_request_with_an_id_and_no_token(client, caplog):
    with caplog.at_level(logging.INFO, logger=request_log.name):
        answer = client.get("/r/secret-personal-token-123", headers={"X-Request-ID": "proxy-given-id-42"})
        client.get("/", headers={"X-Request-ID": "bad id; forged=1"})
    lines = [record.getMessage() for record in caplog.records if record.name == request_log.name]
    assert len(lines) == 2
    assert answer.headers["X-Request-ID"] == "proxy-given-id-42"
    assert lines[0].startswith("request id=proxy-given-id-42 method=GET path=/r/[redacted] status=404")
    assert "secret-personal-token" not in "".join(lines)
    assert "forged" not in lines[1]
