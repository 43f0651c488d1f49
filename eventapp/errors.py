"""Friendly error pages, and calm answers while the database is out of reach."""

import contextlib
import logging
import math
import time

from flask import Flask, current_app, g, jsonify, render_template, request
from flask_babel import ngettext
from werkzeug.exceptions import HTTPException

from eventapp.db import DATABASE_UNAVAILABLE
from eventapp.extensions import db, limiter

log = logging.getLogger(__name__)
RETRY_AFTER_SECONDS = 30


def render_http_error(error: HTTPException):
    """A page in the site's layout for any HTTP error, with the right status code."""
    return render_template("errors/error.html", error=error, wait=limit_wait(error)), error.code


def limit_wait(error: HTTPException) -> str | None:
    """For a rate limit: how long to wait until the limit that was hit lets a request through again."""
    limit = getattr(getattr(error, "limit", None), "limit", None)
    if error.code != 429 or limit is None or limit.get_expiry() == 60:
        return None  # a minute's window: the page's own "wait a minute"
    hit = limiter.current_limit
    seconds = limit.get_expiry()
    if hit is not None and hit.breached:
        seconds = max(1, int(hit.reset_at - time.time()))  # as Retry-After says it
    return wait_words(seconds)


def wait_words(seconds: int) -> str:
    """ "45 seconds", "60 minutes", "23 hours": rounded up, in the reader's language."""
    if seconds < 60:
        return ngettext("%(num)d second", "%(num)d seconds", seconds)
    if seconds <= 7200:
        return ngettext("%(num)d minute", "%(num)d minutes", math.ceil(seconds / 60))
    return ngettext("%(num)d hour", "%(num)d hours", math.ceil(seconds / 3600))


def wants_json() -> bool:
    """The API, scanner devices and the desk's scripts read JSON; browsers get a page."""
    if request.path.startswith("/api/") or request.is_json:
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json" and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]


def database_unavailable(error: Exception):
    """503 with Retry-After instead of a 500: the request can be sent again once the database is back."""
    log.warning("database unavailable: %s", type(getattr(error, "orig", None) or error).__name__)
    with contextlib.suppress(*DATABASE_UNAVAILABLE):  # the rollback itself may find no connection
        db.session.rollback()
    if wants_json():
        response = jsonify({"error": "unavailable", "message": "the database is not reachable; try again shortly"})
        response.status_code = 503
    else:
        # The page's header asks who is logged in, which needs the database: show it as to a visitor.
        g._login_user = current_app.login_manager.anonymous_user()
        response = current_app.make_response((render_template("errors/unavailable.html"), 503))
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response.headers["Cache-Control"] = "no-store"
    return response


def init_app(app: Flask) -> None:
    """Register the handler for every HTTP error, and the one for a database out of reach."""
    app.register_error_handler(HTTPException, render_http_error)
    for kind in DATABASE_UNAVAILABLE:
        app.register_error_handler(kind, database_unavailable)
