"""Keeping questions and answers: the organiser's editor, a person's answers, and forgetting them.

Functions flush; the caller commits.
"""

import datetime as dt
from collections.abc import Mapping

from sqlalchemy import delete, func, select

from eventapp.events.models import Event
from eventapp.platform.db import DbSession, rowcount
from eventapp.questions.models import Answer, Question
from eventapp.questions.rules import Given

QUESTION_FIELDS = (
    "kind",
    "label_nl",
    "label_en",
    "help_nl",
    "help_en",
    "options",
    "allows_other",
    "required",
    "sensitive",
)


def questions_of(db_session: DbSession, event_id: int, sensitive: bool = True) -> list[Question]:
    """The event's questions in their order; without the sensitive ones when `sensitive` is False."""
    statement = select(Question).where(Question.event_id == event_id)
    if not sensitive:
        statement = statement.where(Question.sensitive.is_(False))
    return list(db_session.scalars(statement.order_by(Question.position, Question.id)))


def add_question(db_session: DbSession, event: Event, data: Mapping, now: dt.datetime) -> Question:
    """A new question at the end of the form (also while registration is open: earlier people may answer later)."""
    last = db_session.scalar(select(func.max(Question.position)).where(Question.event_id == event.id))
    question = Question(event_id=event.id, position=(last or 0) + 1, created_at=now)
    change_question(question, data)
    db_session.add(question)
    db_session.flush()
    return question


def copy_questions(db_session: DbSession, source_event_id: int, target_event_id: int, now: dt.datetime) -> None:
    """The next edition asks the same questions (without their answers)."""
    for question in questions_of(db_session, source_event_id):
        copy = Question(event_id=target_event_id, position=question.position, created_at=now)
        change_question(copy, {name: getattr(question, name) for name in QUESTION_FIELDS})
        db_session.add(copy)
    db_session.flush()


def change_question(question: Question, data: Mapping) -> None:
    """Set the question's texts, kind, options and marks (options only for the kinds that have them)."""
    for name in QUESTION_FIELDS:
        setattr(question, name, data[name])
    if not question.has_options:
        question.options, question.allows_other = [], False


def move_question(db_session: DbSession, question: Question, step: int) -> None:
    """Swap the question with its neighbour above (step -1) or below (step 1); the ends stay put."""
    siblings = questions_of(db_session, question.event_id)
    index = siblings.index(question)
    other = index + step
    if not 0 <= other < len(siblings):
        return
    siblings[index], siblings[other] = siblings[other], siblings[index]
    for position, sibling in enumerate(siblings, start=1):
        sibling.position = position
    db_session.flush()


def answer_count(db_session: DbSession, question_id: int) -> int:
    return db_session.execute(
        select(func.count()).select_from(Answer).where(Answer.question_id == question_id)
    ).scalar_one()


def remove_question(db_session: DbSession, question: Question) -> int:
    """Remove the question and every answer to it; returns how many answers went."""
    removed = rowcount(db_session.execute(delete(Answer).where(Answer.question_id == question.id)))
    db_session.delete(question)
    db_session.flush()
    return removed


def answers_of(db_session: DbSession, registration_id: int) -> dict[int, Answer]:
    """A person's answers by question id."""
    rows = db_session.scalars(select(Answer).where(Answer.registration_id == registration_id))
    return {answer.question_id: answer for answer in rows}


def save_answers(
    db_session: DbSession, registration_id: int, questions: list[Question], given: Mapping[int, Given], now: dt.datetime
) -> None:
    """Keep the (checked) answers to `questions`: new ones added, changed ones updated, emptied ones removed.

    Questions not in `questions` keep their answers (the desk's form, for one, asks only some).
    """
    kept = answers_of(db_session, registration_id)
    for question in questions:
        answer = given.get(question.id, Given())
        current = kept.get(question.id)
        if answer.is_empty:
            if current is not None:
                db_session.delete(current)
            continue
        if current is None:
            current = Answer(question_id=question.id, registration_id=registration_id)
            db_session.add(current)
        current.text, current.choices, current.updated_at = answer.text, list(answer.choices), now
    db_session.flush()


def forget_answers(db_session: DbSession, registration_id: int) -> None:
    """Remove every answer of a person (erasure on request, the retention purge)."""
    db_session.execute(delete(Answer).where(Answer.registration_id == registration_id))
