"""A person's feedback on the day (one per registration) and on each session they attended."""

import datetime as dt

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eventapp.events.models import Session
from eventapp.platform.db import UTCDateTime
from eventapp.platform.extensions import Model
from eventapp.platform.i18n import Labelled, set_labels

SCORES = (1, 2, 3, 4, 5)


class FeedbackMail(Labelled):
    """The mail that asks the people who came for their feedback (registered with the outbox in mails.py)."""

    REQUEST = "feedback_request"


set_labels(FeedbackMail, {FeedbackMail.REQUEST: _l("request for feedback")})


class FeedbackResponse(Model):
    """One person's feedback on the day; sending the form again replaces it."""

    __tablename__ = "feedback_response"
    __table_args__ = (CheckConstraint("day_score BETWEEN 1 AND 5", name="day_score_range"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("registration.id", ondelete="CASCADE"), unique=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    day_score: Mapped[int | None]
    different: Mapped[str] = mapped_column(Text, default="")  # "what should we do differently"
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)

    sessions: Mapped[list["SessionFeedback"]] = relationship(
        back_populates="response", cascade="all, delete-orphan", order_by="SessionFeedback.session_id"
    )


class SessionFeedback(Model):
    """A score and a comment on one session the person attended."""

    __tablename__ = "session_feedback"
    __table_args__ = (
        UniqueConstraint("response_id", "session_id"),
        CheckConstraint("score BETWEEN 1 AND 5", name="score_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("feedback_response.id", ondelete="CASCADE"))
    session_id: Mapped[int] = mapped_column(ForeignKey("session.id", ondelete="CASCADE"), index=True)
    score: Mapped[int | None]
    comment: Mapped[str] = mapped_column(Text, default="")

    response: Mapped[FeedbackResponse] = relationship(back_populates="sessions")
    session: Mapped[Session] = relationship()
