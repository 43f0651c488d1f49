"""Friendly error pages."""

from flask import Flask, render_template
from werkzeug.exceptions import HTTPException


def render_http_error(error: HTTPException):
    """A page in the site's layout for any HTTP error, with the right status code."""
    return render_template("errors/error.html", error=error), error.code


def init_app(app: Flask) -> None:
    """Register the handler for every HTTP error."""
    app.register_error_handler(HTTPException, render_http_error)
