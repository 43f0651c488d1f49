"""The SMTP server's state as the mail workers meet it: failing since when, and the last failure.

The web servers never talk to SMTP; /healthz reads what the workers wrote here. A worker writes only when the
state changes (the first failure, each failure's time while failing, the first mail sent after), not every round.
"""

import datetime as dt
import smtplib

from eventapp.platform.db import DbSession, insert_unless_present
from eventapp.platform.mail.models import SmtpStatus

ROW_ID = 1
# Failures of the server or the way to it, not of one mail (a refused recipient, a message it will not take).
SERVER_FAILURES = (ConnectionError, TimeoutError, smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError)


def is_server_failure(error: Exception) -> bool:
    return isinstance(error, SERVER_FAILURES) or (
        isinstance(error, OSError) and not isinstance(error, smtplib.SMTPException)
    )


def _row(db_session: DbSession) -> SmtpStatus:
    status = db_session.get(SmtpStatus, ROW_ID)
    if status is None:
        insert_unless_present(db_session, SmtpStatus, {"id": ROW_ID, "last_error": ""})
        status = db_session.get_one(SmtpStatus, ROW_ID)  # inserted now, or by another worker first
    return status


def note_failure(db_session: DbSession, now: dt.datetime, error: Exception) -> None:
    """The server could not be reached or dropped the connection; the caller commits."""
    status = _row(db_session)
    status.failing_since = status.failing_since or now
    status.last_failure_at = now
    status.last_error = f"{type(error).__name__}: {error}"[:1000]


def note_sent(db_session: DbSession, now: dt.datetime) -> bool:
    """A mail went out: the server works. Writes only when it was failing or never seen; True when it wrote."""
    status = db_session.get(SmtpStatus, ROW_ID)
    if status is not None and status.failing_since is None and status.last_sent_at is not None:
        return False
    status = status or _row(db_session)
    status.failing_since, status.last_sent_at = None, now
    return True


def report(db_session: DbSession) -> dict:
    """For /healthz: `smtp` is ok, failing or unknown (no worker has reported yet), with the failure's times."""
    status = db_session.get(SmtpStatus, ROW_ID)
    if status is None:
        return {"smtp": "unknown", "smtp_failing_since": None, "smtp_last_failure_at": None}
    return {
        "smtp": "failing" if status.failing_since is not None else "ok",
        "smtp_failing_since": _iso(status.failing_since),
        "smtp_last_failure_at": _iso(status.last_failure_at),
    }


def _iso(moment: dt.datetime | None) -> str | None:
    return None if moment is None else moment.replace(microsecond=0).isoformat()
