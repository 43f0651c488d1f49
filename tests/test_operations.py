"""What operations see: /healthz, /metrics (inside only), and one log line per request with its id."""

import datetime as dt
import logging
import socket
import threading
import time

import pytest
from sqlalchemy import text, update

from eventapp import create_app
from eventapp.platform import health
from eventapp.platform.db import utcnow
from eventapp.platform.extensions import db
from eventapp.platform.logs import request_log
from eventapp.platform.mail.models import OutgoingMail
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


@pytest.fixture
def silent_server():
    """A real server on loopback that takes every connection and never says a word: a database or Redis that hangs."""
    listener = socket.create_server(("127.0.0.1", 0))
    taken, stop = [], threading.Event()

    def take():
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                taken.append(listener.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=take, daemon=True)
    thread.start()
    yield listener.getsockname()[1]
    stop.set()
    thread.join()
    for connection in [*taken, listener]:
        connection.close()


def healthz_of(settings: dict) -> tuple[int, dict, float]:
    """/healthz of an app with `settings`: its status, its body and how long it took."""
    app = create_app("testing", {"SQLALCHEMY_ENGINE_OPTIONS": {}, **settings})
    started = time.monotonic()
    answer = app.test_client().get("/healthz")
    return answer.status_code, answer.get_json(), time.monotonic() - started


def test_healthz_answers_when_the_database_takes_the_connection_and_hangs(silent_server, database_url):
    hanging = f"postgresql+psycopg://postgres@127.0.0.1:{silent_server}/eventapp"
    status, body, seconds = healthz_of({"SQLALCHEMY_DATABASE_URI": hanging})
    assert status == 503 and body["failing"] == ["database"]
    assert body["database"] == "unreachable: OperationalError"
    assert seconds < 10  # it hung for good before; the bound itself is the timeouts', asserted below


def test_healthz_answers_when_redis_takes_the_connection_and_hangs(silent_server, database_url):
    hanging = f"redis://127.0.0.1:{silent_server}/0"
    settings = {"SQLALCHEMY_DATABASE_URI": database_url, "RATELIMIT_STORAGE_URI": hanging}
    status, body, seconds = healthz_of(settings | {"CACHE_TYPE": "RedisCache", "CACHE_REDIS_URL": hanging + "1"})
    assert status == 503 and body["failing"] == ["redis_0", "redis_1"]
    assert body["redis_0"] == body["redis_1"] == "unreachable: TimeoutError"
    assert body["database"] == "ok"
    assert seconds < 10


@pytest.mark.both_databases
def test_each_check_is_bounded_within_three_seconds(app, backend):
    """The checks run side by side: the answer waits for the slowest bound, never for their sum."""
    with app.app_context():
        engine = health.database_engine(app)
        client = health.redis_client(app, "redis://127.0.0.1:6379/0")
        with health.bounded_connection(engine) as connection:
            if backend == "postgresql":
                parameters = connection.connection.dbapi_connection.info.get_parameters()
                assert int(parameters["connect_timeout"]) == health.DATABASE_CONNECT_TIMEOUT
                assert connection.scalar(text("SHOW statement_timeout")) == "500ms"
            else:
                assert connection.scalar(text("PRAGMA busy_timeout")) == health.DATABASE_CONNECT_TIMEOUT * 1000
    assert health.DATABASE_CONNECT_TIMEOUT + health.DATABASE_STATEMENT_TIMEOUT < 3
    options = client.connection_pool.connection_kwargs
    assert options["socket_timeout"] == options["socket_connect_timeout"] == health.REDIS_TIMEOUT < 3
    assert options["retry"].get_retries() == 0  # redis-py 7 brings a retry policy (3, with backoff)


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
