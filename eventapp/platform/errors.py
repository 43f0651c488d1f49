"""Friendly error pages, and calm answers while the database is out of reach."""

import contextlib
import logging
import math
import time

from flask import Flask, current_app, g, jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from werkzeug.exceptions import HTTPException

from eventapp.platform.db import DATABASE_UNAVAILABLE
from eventapp.platform.extensions import db, limiter

log = logging.getLogger(__name__)
RETRY_AFTER_SECONDS = 30


# Werkzeug's names and descriptions are English only: a Dutch page needs its own words.
TITLES = {
    400: _l("The request could not be understood"),
    403: _l("You may not open this page"),
    404: _l("We could not find that page"),
    405: _l("This page cannot be opened this way"),
    409: _l("This can no longer be done"),
    413: _l("What you sent is too large"),
    415: _l("This kind of content cannot be sent here"),
    429: _l("Too many requests"),
    500: _l("Something went wrong"),
    503: _l("Temporarily unavailable"),
}
EXPLANATIONS = {
    400: _l("The page received something it could not read. Go back, reload the page and try again."),
    403: _l("Your account or link does not give access to this page. Log in with another account if you have one."),
    404: _l("The link may be old or mistyped. The program days that are planned are on the start page."),
    405: _l("Open the page through a link or button on the site."),
    409: _l("Something changed in the meantime. Reload the page to see how things stand now."),
    413: _l("Send a smaller file or less text at once."),
    415: _l("Send the form from the page on the site itself."),
    503: _l("The site is briefly unavailable, for instance for maintenance. Please try again in a few minutes."),
}


def render_http_error(error: HTTPException):
    """A page in the site's layout for any HTTP error, with the right status code."""
    code = error.code or 500
    title = TITLES.get(code) or (TITLES[500] if code >= 500 else TITLES[400])
    explanation = EXPLANATIONS.get(code)
    if explanation is None:
        # Other 5xx: ours; other 4xx: a code we did not foresee, whose English description would show.
        explanation = (
            _l("Something went wrong on our side. Please try again in a moment.") if code >= 500 else EXPLANATIONS[400]
        )
    page = render_template(
        "errors/error.html", error=error, title=title, explanation=explanation, wait=limit_wait(error)
    )
    return page, code


def limit_wait(error: HTTPException) -> str | None:
    """For a rate limit: in words, how long until the limit that was hit lets a request through
    again (the real wait, as Retry-After says it: "a minute" is wrong when the limit is an hour)."""
    limit = getattr(getattr(error, "limit", None), "limit", None)
    if error.code != 429:
        return None
    if limit is None:  # a 429 of our own, not Flask-Limiter's: werkzeug keeps its Retry-After
        retry = getattr(error, "retry_after", None)
        return wait_words(int(retry)) if isinstance(retry, int | float) else None
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
        # Flask-Login's init_app sets app.login_manager, which Flask's types do not know.
        g._login_user = current_app.login_manager.anonymous_user()  # type: ignore[attr-defined]
        response = current_app.make_response((render_template("errors/unavailable.html"), 503))
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response.headers["Cache-Control"] = "no-store"
    return response


def init_app(app: Flask) -> None:
    """Register the handler for every HTTP error, and the one for a database out of reach."""
    app.register_error_handler(HTTPException, render_http_error)
    for kind in DATABASE_UNAVAILABLE:
        app.register_error_handler(kind, database_unavailable)
