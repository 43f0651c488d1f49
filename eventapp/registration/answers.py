"""Answers to the organiser's questions as organisers read them: the summary's rows, export cells, one person's."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from eventapp.platform.db import DbSession
from eventapp.platform.exports import Column
from eventapp.platform.i18n import text_in
from eventapp.questions.forms import option_words
from eventapp.questions.models import TEXT_KINDS, Answer, Question
from eventapp.questions.services import questions_of
from eventapp.questions.summary import AnswerRow, QuestionSummary, summarise
from eventapp.registration.models import Registration, RegistrationStatus


def wants_sensitive(asked: str | None) -> bool:
    """Sensitive answers go into an export only when asked for (?sensitive=yes)."""
    return asked == "yes"


def day_summary(db_session: DbSession, event_id: int) -> list[QuestionSummary]:
    """The summary of every question, counting only the people confirmed for the day."""
    rows = db_session.execute(
        select(Answer.question_id, Registration.name, Registration.organisation, Answer.text, Answer.choices)
        .join(Registration, Registration.id == Answer.registration_id)
        .where(Registration.event_id == event_id, Registration.status == RegistrationStatus.CONFIRMED)
    )
    return summarise(questions_of(db_session, event_id), [AnswerRow(*row) for row in rows])


def answer_words(question: Question, text: str, choices: list[str], language: str) -> str:
    """An answer as one cell or line: the options in words ("other" with its text), or the text."""
    if question.kind in TEXT_KINDS:
        return text
    words = [option_words(question, key, language) for key in choices]
    if text:
        words.append(text)
    return "; ".join(words)


SUMMARY_COLUMNS = (_l("Question"), _l("Answer"), _l("People"), _l("Name"), _l("Organisation"))


def summary_columns() -> list[Column]:
    widths = (36, 36, 8, 28, 30)
    return [Column(title, width) for title, width in zip(SUMMARY_COLUMNS, widths, strict=True)]


def summary_rows(summaries: list[QuestionSummary], language: str, sensitive: bool) -> list[list]:
    """The summary as a sheet: a row per option with its count, then a row per text with the name.

    The texts of sensitive questions (a person's own words, with their name) only when `sensitive` is asked for;
    the counts say nothing about anyone and are always there.
    """
    rows = []
    for summary in summaries:
        question = summary.question
        label = text_in(question, "label", language)
        rows += [[label, option_words(question, key, language), count, "", ""] for key, count in summary.counts]
        if sensitive or not question.sensitive:
            rows += [[label, row.text, None, row.name, row.organisation] for row in summary.texts]
    return rows


def withheld_texts(summaries: list[QuestionSummary], sensitive: bool) -> set[int]:
    """The questions whose texts (with names) the summary page holds back: sensitive ones, unless asked for."""
    if sensitive:
        return set()
    return {summary.question.id for summary in summaries if summary.texts and summary.question.sensitive}


def answer_columns(questions: list[Question], language: str) -> list[Column]:
    return [Column(text_in(question, "label", language), 30) for question in questions]


def answers_by_person(db_session: DbSession, event_id: int, questions: list[Question], language: str) -> dict:
    """{registration id: [cell per question]} in words, for the attendance export (loaded in the request)."""
    wanted = {question.id: question for question in questions}
    cells: dict[int, dict[int, str]] = {}
    rows = db_session.execute(
        select(Answer.registration_id, Answer.question_id, Answer.text, Answer.choices)
        .join(Question)
        .where(Question.event_id == event_id)
    )
    for registration_id, question_id, text, choices in rows:
        if question_id in wanted:
            words = answer_words(wanted[question_id], text, choices, language)
            cells.setdefault(registration_id, {})[question_id] = words
    return {rid: [by_question.get(q.id, "") for q in questions] for rid, by_question in cells.items()}


def person_answers(db_session: DbSession, registration_id: int, questions: list[Question], language: str):
    """(question, answer in words) for each question the person answered, in the form's order."""
    rows = db_session.scalars(select(Answer).where(Answer.registration_id == registration_id))
    answers = {answer.question_id: answer for answer in rows}
    return [
        (question, answer_words(question, answers[question.id].text, answers[question.id].choices, language))
        for question in questions
        if question.id in answers
    ]
