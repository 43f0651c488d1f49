"""Newsletter rules: double opt-in, unsubscribing in one click, purging what was never confirmed.

Whatever an address's state, signing up answers the same way, so nobody learns whether an
address is on the list; and an address gets a few confirmation mails an hour at most.
"""

import datetime as dt
import secrets
from typing import Protocol

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import ScalarResult, delete, func, select

from eventapp.newsletter.models import NewsletterMail, Subscriber, SubscriberStatus
from eventapp.platform import signals
from eventapp.platform.db import DbSession, rowcount
from eventapp.platform.mail import outbox
from eventapp.platform.mail.models import OutgoingMail

CONSENT_VERSION = "newsletter-2026-11-28"
CONFIRMATION_MAILS_PER_HOUR = 3
CONFIRM_LINK_DAYS = 7
UNCONFIRMED_KEPT_DAYS = 30
_SALT = "newsletter-confirm"


class InvalidLink(Exception):
    """A confirmation link that is forged, damaged or expired."""


def sign_up(
    db_session: DbSession, email: str, name: str, language: str, source: str, now: dt.datetime
) -> Subscriber | None:
    """Record a sign-up and queue the confirmation mail (not for an address that is already confirmed)."""
    email = email.strip().lower()
    subscriber = db_session.scalar(select(Subscriber).where(Subscriber.email == email))
    if subscriber is not None and subscriber.status == SubscriberStatus.CONFIRMED:
        return subscriber  # already on the list: nothing to send, nothing to reveal
    if subscriber is None:
        subscriber = Subscriber(email=email, unsubscribe_token=secrets.token_urlsafe(32))
        db_session.add(subscriber)
    subscriber.name, subscriber.language, subscriber.source = name, language, source
    subscriber.status = SubscriberStatus.PENDING
    subscriber.consent_version, subscriber.consented_at = CONSENT_VERSION, now
    subscriber.confirmed_at = subscriber.unsubscribed_at = None
    db_session.flush()
    if recent_confirmations(db_session, email, now) < CONFIRMATION_MAILS_PER_HOUR:
        outbox.enqueue_to(db_session, NewsletterMail.CONFIRM, email, language, now, subscriber_id=subscriber.id)
    return subscriber


class Registrant(Protocol):
    """What a sign-up takes from a registration (the registration area's, which this one may not import)."""

    @property
    def wants_newsletter(self) -> bool: ...
    @property
    def email(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def language(self) -> str: ...


def sign_up_with_registration(
    _sender: object, db_session: DbSession, registration: Registrant, now: dt.datetime
) -> None:
    """The registration form's optional newsletter box: a sign-up that still needs its own confirmation."""
    if registration.wants_newsletter:
        sign_up(db_session, registration.email, registration.name, registration.language, "registration", now)


def connect_signals() -> None:
    """React to the other areas (the app factory calls this once per app; connecting twice is harmless)."""
    signals.registration_created.connect(sign_up_with_registration)


def recent_confirmations(db_session: DbSession, email: str, now: dt.datetime) -> int:
    return db_session.execute(
        select(func.count())
        .select_from(OutgoingMail)
        .where(
            OutgoingMail.recipient == email,
            OutgoingMail.kind == NewsletterMail.CONFIRM,
            OutgoingMail.created_at > now - dt.timedelta(hours=1),
        )
    ).scalar_one()


def confirmation_token(secret_key: str, subscriber: Subscriber) -> str:
    """A signed link token naming the subscriber and the sign-up it confirms (so an old link cannot renew consent)."""
    return URLSafeTimedSerializer(secret_key, salt=_SALT).dumps([subscriber.id, subscriber.consented_at.isoformat()])


def find_by_confirmation_token(db_session: DbSession, secret_key: str, token: str) -> Subscriber | None:
    """The subscriber whose current sign-up a confirmation link names; None for a bad, expired or spent link."""
    try:
        subscriber_id, consented_at = URLSafeTimedSerializer(secret_key, salt=_SALT).loads(
            token, max_age=CONFIRM_LINK_DAYS * 86400
        )
    except (BadSignature, SignatureExpired, ValueError, TypeError):
        return None
    subscriber = db_session.get(Subscriber, subscriber_id) if isinstance(subscriber_id, int) else None
    if subscriber is None or subscriber.consented_at.isoformat() != consented_at:
        return None
    return subscriber


def confirm(db_session: DbSession, secret_key: str, token: str, now: dt.datetime) -> Subscriber:
    """Confirm the sign-up the link was made for; raises InvalidLink for a bad or expired one."""
    subscriber = find_by_confirmation_token(db_session, secret_key, token)
    if subscriber is None or subscriber.status == SubscriberStatus.UNSUBSCRIBED:
        raise InvalidLink()
    if subscriber.status == SubscriberStatus.PENDING:
        subscriber.status, subscriber.confirmed_at = SubscriberStatus.CONFIRMED, now
    return subscriber


def unsubscribe(db_session: DbSession, token: str, now: dt.datetime) -> Subscriber | None:
    """Take the address off the list (idempotent); None for an unknown token."""
    subscriber = find_by_unsubscribe_token(db_session, token)
    if subscriber is not None and subscriber.status != SubscriberStatus.UNSUBSCRIBED:
        subscriber.status, subscriber.unsubscribed_at = SubscriberStatus.UNSUBSCRIBED, now
    return subscriber


def find_by_unsubscribe_token(db_session: DbSession, token: str) -> Subscriber | None:
    """The subscriber an unsubscribe link names, or None."""
    if not token or len(token) > 64:
        return None
    return db_session.scalar(select(Subscriber).where(Subscriber.unsubscribe_token == token))


def forget(db_session: DbSession, email: str, keep_confirmed: bool = False) -> int:
    """Delete the address's subscription and the newsletter mails queued for it; returns how many subscriptions.

    Deleted, not marked unsubscribed: an erased person's address must not stay behind. Signing up
    again needs a new confirmation either way. `keep_confirmed` spares a subscription the
    subscriber confirmed themselves (their own consent, whatever else is erased).
    """
    email = email.strip().lower()
    condition = Subscriber.email == email
    if keep_confirmed:
        condition &= Subscriber.status != SubscriberStatus.CONFIRMED
    if db_session.scalar(select(func.count()).select_from(Subscriber).where(condition)) == 0:
        return 0
    db_session.execute(
        delete(OutgoingMail).where(
            func.lower(OutgoingMail.recipient) == email, OutgoingMail.kind.in_(list(NewsletterMail))
        )
    )
    return rowcount(db_session.execute(delete(Subscriber).where(condition)))


def purge_unconfirmed(db_session: DbSession, now: dt.datetime, dry_run: bool = False) -> int:
    """Delete sign-ups never confirmed within 30 days; returns how many (or would be)."""
    cutoff = now - dt.timedelta(days=UNCONFIRMED_KEPT_DAYS)
    condition = (Subscriber.status == SubscriberStatus.PENDING) & (Subscriber.consented_at < cutoff)
    count = db_session.execute(select(func.count()).select_from(Subscriber).where(condition)).scalar_one()
    if not dry_run:
        db_session.execute(delete(Subscriber).where(condition))
    return count


def counts(db_session: DbSession) -> dict[str, int]:
    rows = dict(db_session.execute(select(Subscriber.status, func.count()).group_by(Subscriber.status)).all())
    shown = (SubscriberStatus.CONFIRMED, SubscriberStatus.PENDING, SubscriberStatus.UNSUBSCRIBED)
    return {status: rows.get(status, 0) for status in shown}


def confirmed_subscribers(db_session: DbSession) -> ScalarResult[Subscriber]:
    """The only addresses that may receive or be exported: confirmed, not unsubscribed."""
    return db_session.scalars(
        select(Subscriber).where(Subscriber.status == SubscriberStatus.CONFIRMED).order_by(Subscriber.email)
    )


def send_newsletter(db_session: DbSession, subject: str, body: str, now: dt.datetime) -> int:
    """Queue a newsletter for every confirmed subscriber (each mail carries its own unsubscribe link)."""
    count = 0
    for subscriber in confirmed_subscribers(db_session):
        outbox.enqueue_to(
            db_session,
            NewsletterMail.NEWSLETTER,
            subscriber.email,
            subscriber.language,
            now,
            subscriber_id=subscriber.id,
            subject=subject,
            body=body,
        )
        count += 1
    return count


def send_test_newsletter(
    db_session: DbSession, subject: str, body: str, address: str, language: str, now: dt.datetime
) -> None:
    """One copy for the organiser, about a sample subscriber (newsletter/mails.py), marked as a test."""
    outbox.enqueue_to(
        db_session, NewsletterMail.NEWSLETTER, address, language, now, subject=subject, body=body, test=True
    )
