"""One line per request with a request id; personal tokens never reach a log line.

A personal link (`/r/<token>`) or a newsletter link opens someone's registration or subscription:
whoever reads a log must not be able to use it. The filter rewrites the paths in every record of
the loggers that print request paths (Flask's errors, the development server, gunicorn's access
and error logs when gunicorn serves the app).
"""

import logging
import re
import sys
import time
import uuid

from flask import Flask, Response, g, request

from eventapp.platform.settings import Settings

# The secret part of each personal path; the rest of the path stays readable.
_PERSONAL_PATH = re.compile(r"(/r/(?:transfer/)?|/newsletter/(?:confirm|unsubscribe)/|/staff/invite/)[^/?#\s\"']+")
REDACTED = r"\1[redacted]"
LOGGERS = ("werkzeug", "gunicorn.access", "gunicorn.error")
# The request log: one line per answered request (REQUEST_LOG), with the proxy's request id when it sends a sane one.
request_log = logging.getLogger("eventapp.request")
REQUEST_ID_HEADER = "X-Request-ID"
_SANE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{8,128}$")


def redact(text: str) -> str:
    """The text with the secret part of every personal path replaced."""
    return _PERSONAL_PATH.sub(REDACTED, text)


class RedactPersonalTokens(logging.Filter):
    """Rewrites a record's message and arguments before any handler formats it."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, dict):
            record.args = {key: _redacted(value) for key, value in record.args.items()}
        elif isinstance(record.args, tuple):
            record.args = tuple(_redacted(value) for value in record.args)
        return True


def _redacted(value):
    return redact(value) if isinstance(value, str) else value


def start_request() -> None:
    """Take the proxy's request id (or make one) and start the clock."""
    given = request.headers.get(REQUEST_ID_HEADER, "")
    g.request_id = given if _SANE_REQUEST_ID.match(given) else uuid.uuid4().hex
    g.request_started = time.perf_counter()


def log_request(response: Response) -> Response:
    """One logfmt line per request: id, method, the redacted path (never the query), status, milliseconds."""
    request_id = g.get("request_id")
    if request_id is None:
        return response
    response.headers[REQUEST_ID_HEADER] = request_id
    milliseconds = (time.perf_counter() - g.request_started) * 1000
    request_log.info(
        "request id=%s method=%s path=%s status=%s ms=%.1f endpoint=%s",
        request_id,
        request.method,
        redact(request.path),
        response.status_code,
        milliseconds,
        request.endpoint or "-",
    )
    return response


def _log_to_stderr() -> None:
    """The request log goes to stderr (gunicorn's error log, journald, the container's log) once."""
    if not request_log.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
        request_log.addHandler(handler)
        request_log.setLevel(logging.INFO)
        request_log.propagate = False


def init_app(app: Flask) -> None:
    """Filter the app's logger and the servers' loggers (each filter once); log requests when REQUEST_LOG is on."""
    for logger in (app.logger, request_log, *(logging.getLogger(name) for name in LOGGERS)):
        if not any(isinstance(existing, RedactPersonalTokens) for existing in logger.filters):
            logger.addFilter(RedactPersonalTokens())
    app.before_request(start_request)
    app.after_request(log_request)
    if Settings.from_config(app.config).request_log:
        _log_to_stderr()
