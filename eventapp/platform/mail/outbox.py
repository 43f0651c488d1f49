"""Putting messages in the outbox (the caller's transaction commits them with its change)."""

import datetime as dt

from sqlalchemy import case, func, or_, select

from eventapp.platform.db import DbSession
from eventapp.platform.mail.models import MailStatus, OutgoingMail


def enqueue(db_session: DbSession, kind: str, registration, now: dt.datetime, **payload) -> OutgoingMail:
    """Record a message about `registration` (anything with id, email and language) to its address."""
    return enqueue_to(db_session, kind, registration.email, registration.language, now, registration.id, **payload)


def enqueue_to(
    db_session: DbSession, kind: str, recipient: str, language: str, now: dt.datetime, registration_id=None, **payload
) -> OutgoingMail:
    """Record a message to an address; `payload` holds what its builder needs. `kind` is a registered kind."""
    message = OutgoingMail(
        kind=str(kind),
        recipient=recipient,
        language=language,
        registration_id=registration_id,
        payload=payload,
        next_attempt_at=now,
        created_at=now,
    )
    db_session.add(message)
    return message


def backlog(db_session: DbSession, now: dt.datetime) -> tuple[int, float]:
    """Mails waiting to be sent, and how many seconds the oldest of them has waited (0 when none).

    Waiting: due now, or tried and failed (their next attempt is later, but they were due; while SMTP is down
    every mail is such a one). A failed mail waits since it was written.
    """
    tried = OutgoingMail.attempts > 0
    waiting_since = case((tried, OutgoingMail.created_at), else_=OutgoingMail.next_attempt_at)
    count, oldest = db_session.execute(
        select(func.count(), func.min(waiting_since)).where(
            OutgoingMail.status == MailStatus.PENDING, or_(tried, OutgoingMail.next_attempt_at <= now)
        )
    ).one()
    if oldest is None:
        return 0, 0.0
    if oldest.tzinfo is None:
        oldest = oldest.replace(tzinfo=dt.UTC)
    return count, max((now - oldest).total_seconds(), 0.0)
