"""Putting messages in the outbox (the caller's transaction commits them with its change)."""

import datetime as dt

from sqlalchemy.orm import Session as DbSession

from eventapp.mail.models import OutgoingMail


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
