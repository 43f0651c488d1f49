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


def forms_take_form_data():
    """Pages with forms take form data; JSON is for the API (Flask-WTF would read a JSON body as a form)."""
    if (
        request.method in ("POST", "PUT", "PATCH", "DELETE")
        and request.is_json
        and not request.path.startswith("/api/")
    ):
        abort(415)


def init_app(app: Flask) -> None:
    """Register the header hook and the check on request bodies."""
    app.before_request(forms_take_form_data)
    app.after_request(add_security_headers)
