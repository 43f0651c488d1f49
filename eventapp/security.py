"""Security headers on every response."""

from flask import Flask, Response, abort, request

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


def add_security_headers(response: Response) -> Response:
    """Set the headers that keep pages from being framed, sniffed or leaking referrers."""
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("X-Frame-Options", "DENY")
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


def init_app(app: Flask) -> None:
    """Register the header hook and the check on request bodies."""
    app.before_request(check_request_body)
    app.after_request(add_security_headers)
