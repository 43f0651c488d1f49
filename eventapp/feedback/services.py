"""Feedback rules: who may give it and when, saving (a second time replaces), closing, and the results."""

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import delete, select

from eventapp.checkin.attended import attended_sessions, is_checked_in
from eventapp.events.models import Event, Session
from eventapp.events.phases import Action, allows, event_phase
from eventapp.events.services import choice_slots
from eventapp.feedback.models import SCORES, FeedbackResponse, SessionFeedback
from eventapp.platform.audit import audit
from eventapp.platform.db import DbSession, insert_unless_present
from eventapp.platform.staff.models import User
from eventapp.registration.models import Registration

# The default of FEEDBACK_MIN_RESPONDENTS: a session's scores and comments are shown from this many respondents on.
MIN_RESPONDENTS = 3


class FeedbackRefused(Exception):
    """No feedback from this person now; `reason`: "not_checked_in", "not_yet" (the day is not over) or "closed"."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Answers:
    """What the form holds: the day's score and wish, and per attended session (by id) a score and a comment."""

    day_score: int | None
    different: str
    sessions: dict[int, tuple[int | None, str]]


def is_open(event: Event, now: dt.datetime) -> bool:
    """Feedback is taken from the end of the day until the organiser closes it."""
    return allows(event_phase(event, now), Action.GIVE_FEEDBACK) and event.feedback_closed_at is None


def check_may_give(db_session: DbSession, registration: Registration, now: dt.datetime) -> None:
    """Raise FeedbackRefused unless the person came and feedback on their day is open."""
    if registration.anonymised_at is not None or not is_checked_in(db_session, registration):
        raise FeedbackRefused("not_checked_in")
    if not allows(event_phase(registration.event, now), Action.GIVE_FEEDBACK):
        raise FeedbackRefused("not_yet")
    if registration.event.feedback_closed_at is not None:
        raise FeedbackRefused("closed")


def response_of(db_session: DbSession, registration: Registration) -> FeedbackResponse | None:
    return db_session.scalar(select(FeedbackResponse).where(FeedbackResponse.registration_id == registration.id))


def save(db_session: DbSession, registration: Registration, answers: Answers, now: dt.datetime) -> FeedbackResponse:
    """The person's one response, made or replaced as a whole (sessions they no longer rate are dropped)."""
    check_may_give(db_session, registration, now)
    attended = {session.id for session in attended_sessions(db_session, registration)}
    if not set(answers.sessions) <= attended:
        raise ValueError("feedback on a session the person did not attend")
    values = {"registration_id": registration.id, "event_id": registration.event_id, "different": ""}
    insert_unless_present(db_session, FeedbackResponse, {**values, "created_at": now, "updated_at": now})
    # Locked (PostgreSQL; SQLite has one writer anyway): two sendings at once replace one after the other.
    response = db_session.scalars(
        select(FeedbackResponse)
        .where(FeedbackResponse.registration_id == registration.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()
    response.day_score, response.different, response.updated_at = answers.day_score, answers.different, now
    db_session.execute(delete(SessionFeedback).where(SessionFeedback.response_id == response.id))
    for session_id, (score, comment) in sorted(answers.sessions.items()):
        if score is not None or comment:
            db_session.add(
                SessionFeedback(response_id=response.id, session_id=session_id, score=score, comment=comment)
            )
    db_session.flush()
    db_session.expire(response, ["sessions"])
    return response


def close(db_session: DbSession, event: Event, user: User, now: dt.datetime) -> None:
    """No more feedback: the form shows what was given, read-only."""
    event.feedback_closed_at = now
    audit(db_session, user, "feedback.closed", event)


def reopen(db_session: DbSession, event: Event, user: User) -> None:
    event.feedback_closed_at = None
    audit(db_session, user, "feedback.reopened", event)


@dataclass
class ScoreSummary:
    """Scores 1-5 of one question: how many of each, and their average."""

    counts: Counter = field(default_factory=Counter)

    def add(self, score: int | None) -> None:
        if score is not None:
            self.counts[score] += 1

    @property
    def count(self) -> int:
        return sum(self.counts.values())

    @property
    def average(self) -> float | None:
        return round(sum(s * n for s, n in self.counts.items()) / self.count, 1) if self.count else None

    @property
    def distribution(self) -> list[tuple[int, int]]:
        return [(score, self.counts[score]) for score in SCORES]


@dataclass
class SessionResults:
    """A session's scores and comments; `withheld` when too few people answered to show them without pointing
    to someone (then both are empty)."""

    session: Session
    scores: ScoreSummary = field(default_factory=ScoreSummary)
    comments: list[str] = field(default_factory=list)
    respondents: int = 0
    withheld: bool = False


@dataclass
class Results:
    """Feedback on a day without any name: counts, averages, distributions and the texts, in a neutral order."""

    responses: int
    day: ScoreSummary
    different: list[str]
    sessions: list[SessionResults]
    day_withheld: bool = False  # fewer than the minimum answered at all: the day's answers would point to them


def results(db_session: DbSession, event: Event, minimum: int = MIN_RESPONDENTS) -> Results:
    """The day's feedback without names; a session fewer than `minimum` people answered shows nothing of it, nor
    does the day when fewer than `minimum` answered at all."""
    day, different = ScoreSummary(), []
    per_session = {s.id: SessionResults(s) for slot in choice_slots(event) for s in slot.sessions}
    responses = db_session.scalars(select(FeedbackResponse).where(FeedbackResponse.event_id == event.id)).all()
    for response in responses:
        day.add(response.day_score)
        if response.different:
            different.append(response.different)
        for item in response.sessions:
            if item.session_id in per_session:
                result = per_session[item.session_id]
                result.respondents += 1
                result.scores.add(item.score)
                if item.comment:
                    result.comments.append(item.comment)
    for result in per_session.values():
        if 0 < result.respondents < minimum:
            result.scores, result.comments, result.withheld = ScoreSummary(), [], True
        # Sorted texts: the order of the responses (and so of the people) is not given away.
        result.comments.sort()
    if 0 < len(responses) < minimum:
        return Results(len(responses), ScoreSummary(), [], list(per_session.values()), day_withheld=True)
    return Results(len(responses), day, sorted(different), list(per_session.values()))


def _respondents(responses: Sequence[FeedbackResponse]) -> Counter[int]:
    """How many people answered about each session (a score or a comment)."""
    return Counter(item.session_id for response in responses for item in response.sessions)


def answer_rows(
    db_session: DbSession, event: Event, minimum: int = MIN_RESPONDENTS
) -> list[tuple[Session | None, int | None, str]]:
    """(session or None for the day, score, comment) of every answer, the day first, then by session,
    each group sorted by score and text: no order that follows the people. Not the answers on a session that
    fewer than `minimum` people answered, nor those on the day when fewer than `minimum` answered at all."""
    rows: list[tuple[Session | None, int | None, str]] = []
    responses = db_session.scalars(select(FeedbackResponse).where(FeedbackResponse.event_id == event.id)).all()
    day = sorted((r.day_score or 0, r.different) for r in responses if r.day_score or r.different)
    if len(responses) < minimum:
        day = []
    rows.extend((None, score or None, text) for score, text in day)
    position = {s.id: n for n, s in enumerate(s for slot in choice_slots(event) for s in slot.sessions)}
    shown = {session_id for session_id, count in _respondents(responses).items() if count >= minimum} & set(position)
    answers = [item for r in responses for item in r.sessions if item.session_id in shown]
    answers.sort(key=lambda item: (position[item.session_id], item.score or 0, item.comment))
    rows.extend((item.session, item.score, item.comment) for item in answers)
    return rows
