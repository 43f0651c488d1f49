"""Security headers on every response."""

from flask import Flask, Response, abort, request
from flask.json.provider import DefaultJSONProvider

# Everything a page loads comes from this server: no CDN, fonts or analytics.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "img-src 'self' data:",
        "style-src 'self'",
        "script-src 'self'",
        "object-src 'none'",
        "worker-src 'self'",  # the desk's service worker
        "manifest-src 'self'",  # the desk's web app manifest
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


# Pages behind a personal link, and the development page that shows a person their own mail.
PERSONAL_PREFIXES = ("/r/", "/outbox/", "/newsletter/confirm/", "/newsletter/unsubscribe/", "/staff/invite/")


def add_security_headers(response: Response) -> Response:
    """Set the headers that keep pages from being framed, sniffed or leaking referrers."""
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("X-Frame-Options", "DENY")
    if request.path.startswith(PERSONAL_PREFIXES):  # a personal page must not stay in a shared cache or history
        response.headers["Cache-Control"] = "no-store"
    if request.is_secure:  # only over HTTPS: a browser that saw it keeps to HTTPS for a year
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    return response


def check_request_body():
    """Refuse what no page can use: JSON sent to a form page (Flask-WTF would read it as a form), and
    NUL characters anywhere in the address or fields (PostgreSQL cannot store them)."""
    writes = request.method in ("POST", "PUT", "PATCH", "DELETE")
    if writes and request.is_json and not request.path.startswith("/api/"):
        abort(415)
    fields = request.values.lists()
    if "\x00" in request.path or any("\x00" in key or any("\x00" in v for v in values) for key, values in fields):
        abort(400)


class JSONProvider(DefaultJSONProvider):
    """Flask's JSON, where a body nested too deep is malformed JSON (a 400), not a crash.

    The parser recurses per level, so a few thousand `[` raise RecursionError, which `get_json`
    does not take for bad JSON: it would be a 500.
    """

    def loads(self, s, **kwargs):
        try:
            return super().loads(s, **kwargs)
        except RecursionError as error:
            raise ValueError("JSON nested too deep") from error


def init_app(app: Flask) -> None:
    """Register the header hook, the check on request bodies and the JSON that refuses deep nesting."""
    app.json = JSONProvider(app)
    app.before_request(check_request_body)
    app.after_request(add_security_headers)
