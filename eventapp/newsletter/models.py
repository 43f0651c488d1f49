"""Newsletter subscriptions, with the proof of consent the AVG asks for."""

import datetime as dt

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, String
from sqlalchemy.orm import Mapped, mapped_column

from eventapp.platform.db import StatusText, UTCDateTime, sql_values, utcnow
from eventapp.platform.extensions import Model
from eventapp.platform.i18n import Labelled, set_labels


class SubscriberStatus(Labelled):
    """Where an address stands with the newsletter."""

    PENDING = "pending"  # signed up, not yet confirmed: not a subscriber
    CONFIRMED = "confirmed"
    UNSUBSCRIBED = "unsubscribed"


class NewsletterMail(Labelled):
    """The newsletter's messages (registered with the outbox in mails.py)."""

    CONFIRM = "newsletter_confirm"  # the double opt-in link
    NEWSLETTER = "newsletter"


set_labels(
    SubscriberStatus,
    {
        SubscriberStatus.PENDING: _l("not yet confirmed"),
        SubscriberStatus.CONFIRMED: _l("subscribed"),
        SubscriberStatus.UNSUBSCRIBED: _l("unsubscribed"),
    },
)
set_labels(
    NewsletterMail, {NewsletterMail.CONFIRM: _l("newsletter confirmation"), NewsletterMail.NEWSLETTER: _l("newsletter")}
)


class Subscriber(Model):
    """An address on (or once on) the newsletter list.

    Consent is proven by when it was given (`consented_at`, then `confirmed_at` by the link in
    the confirmation mail), from which form (`source`) and to which text (`consent_version`).
    Unsubscribing keeps the row, so the address is never exported again; signing up again needs
    a new confirmation.
    """

    __tablename__ = "subscriber"
    __table_args__ = (
        CheckConstraint(f"status IN ({sql_values(SubscriberStatus)})", name="status_known"),
        CheckConstraint("language IN ('nl', 'en')", name="language_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)  # lower-cased
    name: Mapped[str] = mapped_column(String(200), default="")
    language: Mapped[str] = mapped_column(String(2), default="nl")
    status: Mapped[SubscriberStatus] = mapped_column(StatusText(SubscriberStatus), default=SubscriberStatus.PENDING)
    source: Mapped[str] = mapped_column(String(20))  # "form" or "registration"
    consent_version: Mapped[str] = mapped_column(String(32))
    consented_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    confirmed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    unsubscribed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    unsubscribe_token: Mapped[str] = mapped_column(String(64), unique=True)

    def __repr__(self) -> str:
        return f"<Subscriber {self.id} {self.status}>"
