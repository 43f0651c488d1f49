"""Prometheus metrics at `/metrics` (prometheus_client), for a scraper inside the network only.

Requests and their latency are counted per route name (never per path: paths hold personal
tokens). Under gunicorn, every worker counts in files of PROMETHEUS_MULTIPROC_DIR and a scrape of
any worker adds them up (deploy/gunicorn.conf.py sets that up). Figures that live in the database
(the outbox's backlog, check-ins) are read at scrape time, so every app server reports the same.
The page answers 404 to anything that came through the proxy (it sets X-Forwarded-For) or from
an address outside the private ranges; the proxy configurations in deploy/ do not pass it on.
"""

import ipaddress
import os
import time
from collections.abc import Callable

from flask import Blueprint, Flask, Response, abort, g, request
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector
from sqlalchemy import func, select

from eventapp.platform.db import utcnow
from eventapp.platform.extensions import db, limiter
from eventapp.platform.mail.models import OutgoingMail
from eventapp.platform.mail.outbox import backlog
from eventapp.platform.settings import settings

bp = Blueprint("metrics", __name__)

REQUESTS = Counter("eventapp_requests", "HTTP requests answered", ["method", "endpoint", "status"], registry=None)
LATENCY = Histogram(
    "eventapp_request_seconds",
    "Seconds to answer a request",
    ["endpoint"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
    registry=None,
)
# Gauges read from the database at scrape time: (name, help, query taking the session and returning a number).
_DATABASE_GAUGES: list[tuple[str, str, Callable]] = []


def database_gauge(name: str, documentation: str, query: Callable) -> None:
    """Add a figure read from the database at every scrape (areas' figures are added by the app factory)."""
    if name not in {known for known, _, _ in _DATABASE_GAUGES}:
        _DATABASE_GAUGES.append((name, documentation, query))


class DatabaseFigures:
    """A collector that reads the outbox and the registered figures in the scraping request."""

    def collect(self):
        due, age = backlog(db.session, utcnow())
        yield GaugeMetricFamily("eventapp_outbox_due", "Mails due and not yet sent", value=due)
        yield GaugeMetricFamily(
            "eventapp_outbox_oldest_due_seconds", "How long the oldest due mail has waited", value=age
        )
        by_status = GaugeMetricFamily("eventapp_outbox_mails", "Mails in the outbox by status", labels=["status"])
        counts = db.session.execute(select(OutgoingMail.status, func.count()).group_by(OutgoingMail.status))
        for status, count in counts:
            by_status.add_metric([status], count)
        yield by_status
        for name, documentation, query in _DATABASE_GAUGES:
            yield GaugeMetricFamily(name, documentation, value=query(db.session))


def is_internal() -> bool:
    """Asked directly (not through the proxy) from this machine or a private network."""
    if "X-Forwarded-For" in request.headers or "Forwarded" in request.headers:
        return False
    try:
        address = ipaddress.ip_address(request.remote_addr or "")
    except ValueError:
        return False
    return address.is_loopback or address.is_private


@bp.get("/metrics")
@limiter.exempt
def metrics():
    """The metrics in Prometheus' text format, to internal scrapers only."""
    if not settings().metrics_enabled or not is_internal():
        abort(404)
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        MultiProcessCollector(registry)
    else:
        registry.register(REQUESTS)
        registry.register(LATENCY)
    registry.register(DatabaseFigures())
    try:
        body = generate_latest(registry)
    finally:
        db.session.remove()
    return Response(body, content_type=CONTENT_TYPE_LATEST, headers={"Cache-Control": "no-store"})


def _start_timer() -> None:
    g.metrics_started = time.perf_counter()


def _count(response: Response) -> Response:
    started = g.pop("metrics_started", None)
    if started is not None:
        endpoint = request.endpoint or "unmatched"
        REQUESTS.labels(request.method, endpoint, str(response.status_code)).inc()
        LATENCY.labels(endpoint).observe(time.perf_counter() - started)
    return response


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.before_request(_start_timer)
    app.after_request(_count)
