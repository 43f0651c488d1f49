"""Personal tokens never reach a log line.

A personal link (`/r/<token>`) or a newsletter link opens someone's registration or subscription:
whoever reads a log must not be able to use it. The filter rewrites the paths in every record of
the loggers that print request paths (Flask's errors, the development server, gunicorn's access
and error logs when gunicorn serves the app).
"""

import logging
import re

from flask import Flask

# The secret part of each personal path; the rest of the path stays readable.
_PERSONAL_PATH = re.compile(r"(/r/|/newsletter/(?:confirm|unsubscribe)/)[^/?#\s\"']+")
REDACTED = r"\1[redacted]"
LOGGERS = ("werkzeug", "gunicorn.access", "gunicorn.error")


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


def init_app(app: Flask) -> None:
    """Filter the app's logger and the servers' loggers (each filter once)."""
    for logger in (app.logger, *(logging.getLogger(name) for name in LOGGERS)):
        if not any(isinstance(existing, RedactPersonalTokens) for existing in logger.filters):
            logger.addFilter(RedactPersonalTokens())
