"""The day's summary of the answers, for the caterer and the venue: a pure function, rows in, figures out."""

from collections import Counter
from dataclasses import dataclass, field

from eventapp.questions.models import OTHER, TEXT_KINDS, Question


@dataclass(frozen=True)
class AnswerRow:
    """One confirmed person's answer to one question."""

    question_id: int
    name: str
    organisation: str
    text: str
    choices: list[str]


@dataclass
class QuestionSummary:
    """Counts per option (choice kinds), and texts with names (text kinds, and the "other" texts)."""

    question: Question
    counts: list[tuple[str, int]] = field(default_factory=list)  # option key, people
    texts: list[AnswerRow] = field(default_factory=list)
    answered: int = 0


def summarise(questions: list[Question], rows) -> list[QuestionSummary]:
    """Per question: how many chose each option (every option listed, zero too) and the texts given."""
    summaries = {question.id: QuestionSummary(question) for question in questions}
    counters: dict[int, Counter] = {question.id: Counter() for question in questions}
    for row in rows:
        summary = summaries.get(row.question_id)
        if summary is None or (not row.text and not row.choices):
            continue
        summary.answered += 1
        counters[row.question_id].update(row.choices)
        if row.text and (summary.question.kind in TEXT_KINDS or OTHER in row.choices):
            summary.texts.append(row)
    for question in questions:
        summary, counter = summaries[question.id], counters[question.id]
        if question.kind not in TEXT_KINDS:
            keys = question.option_keys()
            # Answers to an option the organiser removed since still count, under their old key.
            keys += sorted(key for key in counter if key not in keys)
            summary.counts = [(key, counter[key]) for key in keys]
        summary.texts.sort(key=lambda row: (row.name.lower(), row.organisation.lower()))
    return [summaries[question.id] for question in questions]
