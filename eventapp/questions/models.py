"""A Question the organiser asks on the registration form, and a person's Answer to it."""

import datetime as dt

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eventapp.events.models import Event
from eventapp.platform.db import StatusText, UTCDateTime, sql_values, utcnow
from eventapp.platform.extensions import Model
from eventapp.platform.i18n import Labelled, set_labels


class QuestionKind(Labelled):
    """What kind of answer a question takes."""

    SHORT_TEXT = "short_text"
    LONG_TEXT = "long_text"
    ONE_CHOICE = "one_choice"
    SEVERAL_CHOICES = "several_choices"
    YES_NO = "yes_no"


set_labels(
    QuestionKind,
    {
        QuestionKind.SHORT_TEXT: _l("short text"),
        QuestionKind.LONG_TEXT: _l("long text"),
        QuestionKind.ONE_CHOICE: _l("one choice"),
        QuestionKind.SEVERAL_CHOICES: _l("several choices"),
        QuestionKind.YES_NO: _l("yes or no"),
    },
)

CHOICE_KINDS = (QuestionKind.ONE_CHOICE, QuestionKind.SEVERAL_CHOICES)
TEXT_KINDS = (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT)
OTHER = "other"  # the option key of "other, namely ..." (its free text is in Answer.text)
YES, NO = "yes", "no"


class Question(Model):
    """One question of an event's registration form, in Dutch and English.

    `options` is a list of {"key", "nl", "en"}; the key is what answers store, so an option can be
    renamed in either language without losing the answers given. `sensitive` answers (health,
    diet, accessibility) are shown to organisers only, exported only when asked for, and purged.
    """

    __tablename__ = "question"
    __table_args__ = (CheckConstraint(f"kind IN ({sql_values(QuestionKind)})", name="kind_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    kind: Mapped[QuestionKind] = mapped_column(StatusText(QuestionKind, 20))
    label_nl: Mapped[str] = mapped_column(String(300))
    label_en: Mapped[str] = mapped_column(String(300))
    help_nl: Mapped[str] = mapped_column(Text, default="")
    help_en: Mapped[str] = mapped_column(Text, default="")
    options: Mapped[list] = mapped_column(JSON, default=list)
    allows_other: Mapped[bool] = mapped_column(default=False, server_default=false())
    required: Mapped[bool] = mapped_column(default=False, server_default=false())
    sensitive: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    event: Mapped[Event] = relationship()

    @property
    def field_name(self) -> str:
        """The form field of this question: question_<id> (its "other" text: question_<id>_other)."""
        return f"question_{self.id}"

    @property
    def has_options(self) -> bool:
        return self.kind in CHOICE_KINDS

    def option_keys(self) -> list[str]:
        """The keys an answer may hold, "other" included when the question offers it."""
        if self.kind == QuestionKind.YES_NO:
            return [YES, NO]
        keys = [option["key"] for option in self.options]
        return [*keys, OTHER] if self.allows_other else keys

    def __repr__(self) -> str:
        return f"<Question {self.id} {self.label_en}>"


class Answer(Model):
    """A person's answer: the text (text kinds, or the "other" text), and the chosen option keys."""

    __tablename__ = "answer"
    __table_args__ = (UniqueConstraint("question_id", "registration_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id", ondelete="CASCADE"))
    # The registration area sits above this one, so the link is by table name only.
    registration_id: Mapped[int] = mapped_column(ForeignKey("registration.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text, default="")
    choices: Mapped[list] = mapped_column(JSON, default=list)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    question: Mapped[Question] = relationship()

    @property
    def is_empty(self) -> bool:
        return not self.text and not self.choices

    def __repr__(self) -> str:
        return f"<Answer q{self.question_id} r{self.registration_id}>"
