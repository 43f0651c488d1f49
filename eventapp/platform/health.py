"""`/healthz`: is this app server able to serve? For the proxy's and the orchestrator's health checks.

It answers 200 when the database and every Redis the settings name answer, 503 when one does
not, and reports the outbox's backlog either way. A late outbox does not fail the check: the
web servers still serve while a mail worker is down, so that is for monitoring to alert on
(`outbox_oldest_due_seconds`, and `eventapp_outbox_oldest_due_seconds` in the metrics). Nor does
SMTP: `smtp` says what the mail workers last found there (ok, failing since when, unknown).

It answers within 3 seconds whatever hangs: a server that takes the connection and then says nothing
would otherwise hold the check, and the worker thread serving it, for as long as the operating system
waits. Each check has its own bounds and the checks run side by side, so the slowest bound is the answer's.
"""

import datetime as dt
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import redis
from flask import Blueprint, Flask, current_app, jsonify
from redis.backoff import NoBackoff
from redis.retry import Retry
from sqlalchemy import Connection, Engine, NullPool, create_engine, text
from sqlalchemy.orm import Session

from eventapp.platform.db import utcnow
from eventapp.platform.extensions import db, limiter
from eventapp.platform.mail import smtp_status
from eventapp.platform.mail.outbox import backlog

bp = Blueprint("health", __name__)

# Seconds to connect to the database (psycopg's least) and to wait for each statement (the check's
# queries take milliseconds), and for a Redis to connect and to answer. Together under 3 seconds.
DATABASE_CONNECT_TIMEOUT = 2
DATABASE_STATEMENT_TIMEOUT = 0.5
REDIS_TIMEOUT = 1


def redis_urls(config) -> list[str]:
    """The Redis servers this app shares state in (rate limits, page cache)."""
    urls = []
    if str(config.get("RATELIMIT_STORAGE_URI", "")).startswith(("redis://", "rediss://")):
        urls.append(config["RATELIMIT_STORAGE_URI"])
    if config.get("CACHE_TYPE") in ("RedisCache", "flask_caching.backends.rediscache.RedisCache"):
        urls.append(config.get("CACHE_REDIS_URL") or "redis://localhost:6379/0")
    return list(dict.fromkeys(urls))


def redis_client(app: Flask, url: str) -> redis.Redis:
    """A client for the check alone, with no retry policy: one timeout is the answer, never a multiple of it."""
    clients = app.extensions.setdefault("health_redis", {})
    if url not in clients:
        clients[url] = redis.Redis.from_url(
            url, socket_timeout=REDIS_TIMEOUT, socket_connect_timeout=REDIS_TIMEOUT, retry=Retry(NoBackoff(), 0)
        )
    return clients[url]


def database_engine(app: Flask) -> Engine:
    """An engine for the check alone: a new connection each time, with a connect timeout (SQLite: a busy timeout).

    Not the app's pool: when the database hangs, the pool fills with connections that wait and a
    check in line for one would wait with them.
    """
    engine = app.extensions.get("health_engine")
    if engine is None:
        url = db.engine.url  # as Flask-SQLAlchemy placed it (a relative SQLite file is in the instance folder)
        if url.get_backend_name() == "postgresql":
            connect_args = {"connect_timeout": DATABASE_CONNECT_TIMEOUT}
        else:
            connect_args = {"timeout": DATABASE_CONNECT_TIMEOUT}
        engine = create_engine(url, poolclass=NullPool, connect_args=connect_args)
        app.extensions["health_engine"] = engine
    return engine


@contextmanager
def bounded_connection(engine: Engine) -> Iterator[Connection]:
    """A connection of the check's engine whose statements give up after DATABASE_STATEMENT_TIMEOUT.

    Set inside the transaction (SET LOCAL's way), so a connection pooler in between passes it on.
    SQLite runs in the app's process: its only wait is for a lock, bounded by the busy timeout.
    """
    with engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            milliseconds = str(int(DATABASE_STATEMENT_TIMEOUT * 1000))
            connection.execute(text("SELECT set_config('statement_timeout', :ms, true)"), {"ms": milliseconds})
        yield connection


def check_database(engine: Engine, now: dt.datetime) -> dict:
    """The database answers, the outbox's backlog and SMTP as the workers found it; raises when it does not."""
    with bounded_connection(engine) as connection:
        connection.execute(text("SELECT 1"))
        with Session(bind=connection) as db_session:
            count, age = backlog(db_session, now)
            checks = {"database": "ok", "outbox_due": count, "outbox_oldest_due_seconds": round(age, 1)}
            return checks | smtp_status.report(db_session)


def unreachable(error: Exception) -> str:
    return f"unreachable: {type(error).__name__}"


@bp.get("/healthz")
@limiter.exempt
def healthz():
    """The database and Redis answer (200) or not (503); the outbox's backlog is reported."""
    app = current_app
    engine, now = database_engine(app), utcnow()
    clients = {f"redis_{number}": redis_client(app, url) for number, url in enumerate(redis_urls(app.config))}
    with ThreadPoolExecutor(max_workers=1 + len(clients)) as pool:
        database = pool.submit(check_database, engine, now)
        pings = {name: pool.submit(client.ping) for name, client in clients.items()}
    checks = {}
    try:
        checks.update(database.result())
    except Exception as error:  # noqa: BLE001 - any failure means: not healthy
        checks["database"] = unreachable(error)
    for name, ping in pings.items():
        try:
            checks[name] = "ok" if ping.result() else "unreachable: no answer"
        except redis.RedisError as error:
            checks[name] = unreachable(error)
    failing = [name for name in ("database", *clients) if checks[name] != "ok"]
    checks["status"] = "failing" if failing else "ok"
    checks["failing"] = failing
    response = jsonify(checks)
    response.status_code = 503 if failing else 200
    response.headers["Cache-Control"] = "no-store"
    return response


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
