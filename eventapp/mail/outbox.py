"""Putting messages in the outbox (the caller's transaction commits them with its change)."""

import datetime as dt

from sqlalchemy.orm import Session as DbSession

from eventapp.mail.models import OutgoingMail

# The messages the product sends about a registration.
REGISTRATION_CONFIRMED = "registration_confirmed"
REGISTRATION_WAITLISTED = "registration_waitlisted"
CHOICE_CHANGED = "choice_changed"
PROMOTED = "promoted"
CANCELLED = "cancelled"
MANAGE_LINK = "manage_link"
REMINDER = "reminder"
ORGANISER_MESSAGE = "organiser_message"


def enqueue(db_session: DbSession, kind: str, registration, now: dt.datetime, **payload) -> OutgoingMail:
    """Record a message about `registration` to its address, in its language."""
    message = OutgoingMail(
        kind=kind,
        recipient=registration.email,
        language=registration.language,
        registration_id=registration.id,
        payload=payload,
        next_attempt_at=now,
        created_at=now,
    )
    db_session.add(message)
    return message
