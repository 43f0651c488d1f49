"""The rules for questions and answers, as plain functions: what an answer may hold, what options are."""

import re
from dataclasses import dataclass

from anyascii import anyascii
from flask_babel import lazy_gettext as _l

from eventapp.questions.models import OTHER, TEXT_KINDS, Question, QuestionKind

TEXT_LIMITS = {QuestionKind.SHORT_TEXT: 300, QuestionKind.LONG_TEXT: 2000}
OTHER_TEXT_LIMIT = 300
SINGLE_ANSWER_KINDS = (QuestionKind.ONE_CHOICE, QuestionKind.YES_NO)


class InvalidAnswer(ValueError):
    """An answer the question does not take; `message` says why, in the reader's words."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidOptions(ValueError):
    """Options an organiser typed that cannot be told apart or are missing."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Given:
    """What a person filled in for one question: a text (or the "other" text) and the options ticked."""

    text: str = ""
    choices: tuple[str, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not self.text and not self.choices


def check_answer(question: Question, given: Given) -> Given:
    """The answer as it is kept (texts stripped, options in the question's order), or InvalidAnswer.

    An empty answer to an optional question is an empty Given: nothing is kept.
    """
    text = (given.text or "").strip()
    if question.kind in TEXT_KINDS:
        if len(text) > TEXT_LIMITS[question.kind]:
            raise InvalidAnswer(_l("Please keep this under %(num)d characters.", num=TEXT_LIMITS[question.kind]))
        return _required(question, Given(text=text))
    keys = question.option_keys()
    chosen = [key for key in keys if key in given.choices]
    if len(chosen) != len(set(given.choices)):
        raise InvalidAnswer(_l("Please choose from the options given."))
    if question.kind in SINGLE_ANSWER_KINDS and len(chosen) > 1:
        raise InvalidAnswer(_l("Please choose one option."))
    if OTHER in chosen and not text:
        raise InvalidAnswer(_l("Please say what you mean by other."))
    if len(text) > OTHER_TEXT_LIMIT:
        raise InvalidAnswer(_l("Please keep this under %(num)d characters.", num=OTHER_TEXT_LIMIT))
    # A text typed beside "other" without ticking it is not part of the answer.
    return _required(question, Given(text=text if OTHER in chosen else "", choices=tuple(chosen)))


def _required(question: Question, answer: Given) -> Given:
    if question.required and answer.is_empty:
        raise InvalidAnswer(_l("Please answer this question."))
    return answer


def option_key(text: str) -> str:
    """A stable key for an option from its English text: lower-case ASCII words joined by hyphens."""
    return re.sub(r"[^a-z0-9]+", "-", anyascii(text).lower()).strip("-")[:60]


def parse_options(lines: str, existing: list[dict]) -> list[dict]:
    """Options from the editor's text: one a line, "Dutch | English" (one text serves both languages).

    An option whose Dutch or English text is unchanged keeps its key, so answers given to it stay
    counted when the other language is reworded.
    """
    known: dict[str, str] = {}
    for option in existing:
        known[option["nl"]] = known[option["en"]] = option["key"]
    options: list[dict[str, str]] = []
    for line in (line.strip() for line in lines.splitlines()):
        if not line:
            continue
        nl, _, en = (part.strip() for part in line.partition("|"))
        en = en or nl
        key = known.get(nl) or known.get(en) or option_key(en)
        if not key or key == OTHER:
            raise InvalidOptions(_l('"%(option)s": use the box "other, with a text" for that.', option=line))
        if key in (option["key"] for option in options):
            raise InvalidOptions(_l('"%(option)s" is there twice.', option=line))
        options.append({"key": key, "nl": nl, "en": en})
    return options


def options_text(options: list[dict]) -> str:
    """The options as the editor shows them, one a line."""
    return "\n".join(
        option["nl"] if option["nl"] == option["en"] else f"{option['nl']} | {option['en']}" for option in options
    )


def option_label(question: Question, key: str, language: str, words: dict[str, str]) -> str:
    """An option's words in `language`; `words` has those of "other", "yes" and "no" in that language.

    A key no longer offered (the organiser removed the option) shows as itself.
    """
    if key in words and (key == OTHER or question.kind == QuestionKind.YES_NO):
        return words[key]
    for option in question.options:
        if option["key"] == key:
            return option.get(language) or option["nl"]
    return key
