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
# The newsletter: the double opt-in link, and a newsletter itself.
NEWSLETTER_CONFIRM = "newsletter_confirm"
NEWSLETTER = "newsletter"
NEWSLETTER_KINDS = (NEWSLETTER_CONFIRM, NEWSLETTER)


def enqueue(db_session: DbSession, kind: str, registration, now: dt.datetime, **payload) -> OutgoingMail:
    """Record a message about `registration` to its address, in its language."""
    return enqueue_to(db_session, kind, registration.email, registration.language, now, registration.id, **payload)


def enqueue_to(
    db_session: DbSession, kind: str, recipient: str, language: str, now: dt.datetime, registration_id=None, **payload
) -> OutgoingMail:
    """Record a message to an address; `payload` holds what its template needs."""
    message = OutgoingMail(
        kind=kind,
        recipient=recipient,
        language=language,
        registration_id=registration_id,
        payload=payload,
        next_attempt_at=now,
        created_at=now,
    )
    db_session.add(message)
    return message
