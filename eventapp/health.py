"""`/healthz`: is this app server able to serve? For the proxy's and the orchestrator's health checks.

It answers 200 when the database and every Redis the settings name answer, 503 when one does
not, and reports the outbox's backlog either way. A late outbox does not fail the check: the
web servers still serve while a mail worker is down, so that is for monitoring to alert on
(`outbox_oldest_due_seconds`, and `eventapp_outbox_oldest_due_seconds` in the metrics). Nor does
SMTP: `smtp` says what the mail workers last found there (ok, failing since when, unknown).
"""

import redis
from flask import Blueprint, Flask, current_app, jsonify
from sqlalchemy import text

from eventapp.db import utcnow
from eventapp.extensions import db, limiter
from eventapp.mail import smtp_status
from eventapp.mail.outbox import backlog

bp = Blueprint("health", __name__)


def redis_urls(config) -> list[str]:
    """The Redis servers this app shares state in (rate limits, page cache)."""
    urls = []
    if str(config.get("RATELIMIT_STORAGE_URI", "")).startswith(("redis://", "rediss://")):
        urls.append(config["RATELIMIT_STORAGE_URI"])
    if config.get("CACHE_TYPE") in ("RedisCache", "flask_caching.backends.rediscache.RedisCache"):
        urls.append(config.get("CACHE_REDIS_URL") or "redis://localhost:6379/0")
    return list(dict.fromkeys(urls))


def ping_redis(url: str) -> None:
    """Raise unless the Redis at `url` answers within a second."""
    clients = current_app.extensions.setdefault("health_redis", {})
    if url not in clients:
        clients[url] = redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)
    clients[url].ping()


@bp.get("/healthz")
@limiter.exempt
def healthz():
    """The database and Redis answer (200) or not (503); the outbox's backlog is reported."""
    checks, healthy = {}, True
    try:
        db.session.execute(text("SELECT 1"))
        count, age = backlog(db.session, utcnow())
        checks["database"] = "ok"
        checks["outbox_due"], checks["outbox_oldest_due_seconds"] = count, round(age, 1)
        checks.update(smtp_status.report(db.session))
    except Exception as error:  # noqa: BLE001 - any failure means: not healthy
        db.session.rollback()
        checks["database"], healthy = f"unreachable: {type(error).__name__}", False
    finally:
        db.session.remove()
    for number, url in enumerate(redis_urls(current_app.config)):
        try:
            ping_redis(url)
            checks[f"redis_{number}"] = "ok"
        except redis.RedisError as error:
            checks[f"redis_{number}"], healthy = f"unreachable: {type(error).__name__}", False
    checks["status"] = "ok" if healthy else "failing"
    response = jsonify(checks)
    response.status_code = 200 if healthy else 503
    response.headers["Cache-Control"] = "no-store"
    return response


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
