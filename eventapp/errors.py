"""Friendly error pages."""

from flask import Flask, render_template
from flask_babel import ngettext
from werkzeug.exceptions import HTTPException


def render_http_error(error: HTTPException):
    """A page in the site's layout for any HTTP error, with the right status code."""
    return render_template("errors/error.html", error=error, wait=limit_wait(error)), error.code


def limit_wait(error: HTTPException) -> str | None:
    """For a rate limit: how long to wait, from the window of the limit that was hit ("an hour", not "a minute")."""
    limit = getattr(getattr(error, "limit", None), "limit", None)
    if error.code != 429 or limit is None or limit.get_expiry() == 60:
        return None  # a minute's window: the page's own "wait a minute"
    seconds = limit.get_expiry()
    if seconds < 60:
        return ngettext("%(num)d second", "%(num)d seconds", seconds)
    if seconds < 3600:
        return ngettext("%(num)d minute", "%(num)d minutes", seconds // 60)
    return ngettext("%(num)d hour", "%(num)d hours", seconds // 3600)


def init_app(app: Flask) -> None:
    """Register the handler for every HTTP error."""
    app.register_error_handler(HTTPException, render_http_error)
