"""The outbox: every message is written here in the same transaction as the change that causes it."""

import datetime as dt

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from eventapp.platform.db import StatusText, UTCDateTime, sql_values, utcnow
from eventapp.platform.extensions import Model
from eventapp.platform.i18n import Labelled, set_labels


class MailStatus(Labelled):
    """Where a mail in the outbox stands."""

    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"
    SUPERSEDED = "superseded"  # overtaken by a later change (a cancellation) before it was sent


set_labels(
    MailStatus,
    {
        MailStatus.PENDING: _l("waiting to be sent"),
        MailStatus.SENT: _l("sent"),
        MailStatus.FAILED: _l("failed"),
        MailStatus.SUPERSEDED: _l("not sent: no longer true"),
    },
)


class OutgoingMail(Model):
    """A message to send: what kind, to whom, in which language, about which registration.

    The message is rendered when it is sent, from `kind` and `payload`, so a change of template
    applies to what is still waiting; the sender records attempts and the outcome.
    """

    __tablename__ = "outgoing_mail"
    __table_args__ = (
        CheckConstraint(f"status IN ({sql_values(MailStatus)})", name="status_known"),
        Index("ix_outgoing_mail_status_next_attempt_at", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    recipient: Mapped[str] = mapped_column(String(254))
    language: Mapped[str] = mapped_column(String(2))
    registration_id: Mapped[int | None] = mapped_column(ForeignKey("registration.id", ondelete="SET NULL"), index=True)
    payload: Mapped[dict] = mapped_column(JSON, default=dict)
    status: Mapped[MailStatus] = mapped_column(StatusText(MailStatus), default=MailStatus.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # The message as handed to SMTP (bytes with SMTP line endings), kept from the moment the sender built it:
    # retries send it and the outbox pages show it, never a rendering with today's rooms (kinds.message_of).
    mime: Mapped[bytes | None] = mapped_column(LargeBinary)

    def __repr__(self) -> str:
        return f"<OutgoingMail {self.id} {self.kind} {self.status}>"


class SmtpStatus(Model):
    """What the mail workers last found at the SMTP server (one row), so /healthz on any app server can say it.

    `failing_since` is set by the first failed connection and cleared by the next mail that goes out.
    """

    __tablename__ = "smtp_status"

    id: Mapped[int] = mapped_column(primary_key=True)
    failing_since: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    last_failure_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str] = mapped_column(Text, default="")
    last_sent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class TextKind(Labelled):
    """The mails an organiser can give their own opening and closing words (each area maps its kinds onto these)."""

    CONFIRMATION = "confirmation"
    WAITLIST = "waitlist"
    PROMOTION = "promotion"
    REMINDER = "reminder"
    CHANGE = "change"
    CANCEL = "cancel"
    ALLOCATION = "allocation"
    FEEDBACK = "feedback"
    MESSAGE = "message"  # the organiser's own messages to a group


set_labels(
    TextKind,
    {
        TextKind.CONFIRMATION: _l("Registration confirmed"),
        TextKind.WAITLIST: _l("On the waitlist"),
        TextKind.PROMOTION: _l("A place became free"),
        TextKind.REMINDER: _l("Reminder the day before"),
        TextKind.CHANGE: _l("Sessions changed"),
        TextKind.CANCEL: _l("Registration cancelled"),
        TextKind.ALLOCATION: _l("Sessions allocated"),
        TextKind.FEEDBACK: _l("Feedback request after the day"),
        TextKind.MESSAGE: _l("Messages from the organisers"),
    },
)


class MailText(Model):
    """The organiser's opening and closing words for one kind of mail of an event, in one language.

    Read when a mail is built, so they apply to every mail built after the change; a mail that went out keeps
    its stored bytes (OutgoingMail.mime). No row, or an empty text, means the built-in words only.
    """

    __tablename__ = "mail_text"
    __table_args__ = (
        UniqueConstraint("event_id", "kind", "language"),
        CheckConstraint(f"kind IN ({sql_values(TextKind)})", name="kind_known"),
        CheckConstraint("language IN ('nl', 'en')", name="language_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"))
    kind: Mapped[TextKind] = mapped_column(StatusText(TextKind))
    language: Mapped[str] = mapped_column(String(2))
    opening: Mapped[str] = mapped_column(Text, default="")
    closing: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
