"""Ranked preferences: in an event's preference mode, people rank up to three sessions per choice slot.

Until the allocation they hold their day seat but no session seat; the allocation area reads these
rows at the deadline and hands out the seats. A person changes their ranking until the deadline.
"""

import datetime as dt
from collections.abc import Mapping, Sequence

from sqlalchemy import CheckConstraint, ForeignKey, ForeignKeyConstraint, UniqueConstraint, delete, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eventapp.events.models import AgendaItem, Event, Session
from eventapp.events.phases import Action, allows, event_phase
from eventapp.events.services import choice_slots
from eventapp.platform.db import DbSession, UTCDateTime, utcnow
from eventapp.platform.extensions import Model
from eventapp.registration.models import Registration

RANKS = (1, 2, 3)


class Preference(Model):
    """One ranked session: rank 1 is the person's first choice in that slot."""

    __tablename__ = "preference"
    __table_args__ = (
        ForeignKeyConstraint(
            ["session_id", "agenda_item_id"],
            ["session.id", "session.agenda_item_id"],
            name="fk_preference_session_slot",
            ondelete="CASCADE",
        ),
        UniqueConstraint("registration_id", "agenda_item_id", "rank"),
        UniqueConstraint("registration_id", "session_id"),  # no session twice
        CheckConstraint("rank BETWEEN 1 AND 3", name="rank_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("registration.id", ondelete="CASCADE"), index=True)
    agenda_item_id: Mapped[int] = mapped_column(ForeignKey("agenda_item.id", ondelete="CASCADE"))
    session_id: Mapped[int] = mapped_column(index=True)
    rank: Mapped[int]
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    registration: Mapped[Registration] = relationship()
    session: Mapped[Session] = relationship(viewonly=True)


class InvalidRanking(Exception):
    """A ranking the rules refuse: no first choice, a session twice, or a session of another slot."""


class RankingClosed(Exception):
    """The deadline passed (or the event does not collect preferences): the ranking is fixed."""


def ranking_open(event: Event, now: dt.datetime) -> bool:
    """People may still rank: preference mode, not allocated, before the deadline."""
    deadline = event.preferences_deadline  # set whenever the mode is preferences (a CHECK constraint)
    return (
        event.collects_preferences
        and deadline is not None
        and allows(event_phase(event, now), Action.RANK)
        and now < deadline
    )


def checked_ranking(event: Event, ranking: Mapping[int, Sequence[int | None]]) -> dict[int, list[int]]:
    """slot id -> session ids best first, checked: a first choice per slot, sessions of that slot, none twice."""
    checked = {}
    for slot in choice_slots(event):
        picked = list(ranking.get(slot.id, []))
        if not picked or picked[0] is None:
            raise InvalidRanking(f"slot {slot.id}: a first choice is needed")
        sessions = [session_id for session_id in picked if session_id is not None]
        if len(set(sessions)) != len(sessions) or len(sessions) > len(RANKS):
            raise InvalidRanking(f"slot {slot.id}: a session ranked twice")
        if not set(sessions) <= {session.id for session in slot.sessions}:
            raise InvalidRanking(f"slot {slot.id}: a session of another slot")
        checked[slot.id] = sessions
    return checked


def save_ranking(
    db_session: DbSession, registration: Registration, ranking: Mapping[int, Sequence[int | None]], now: dt.datetime
) -> None:
    """Replace the person's ranking (slot id -> session ids, best first); refused after the deadline."""
    if not ranking_open(registration.event, now):
        raise RankingClosed()
    store_ranking(db_session, registration, checked_ranking(registration.event, ranking), now)


def store_ranking(
    db_session: DbSession, registration: Registration, checked: Mapping[int, Sequence[int]], now: dt.datetime
) -> None:
    """Replace the person's preferences with a checked ranking (see `checked_ranking`).

    The same ranking sent twice at once (a double click, a retry) must not meet itself in the unique constraints:
    the person's row lock (PostgreSQL; SQLite has one writer anyway) makes the second wait for the first, and
    its delete then removes the rows the first wrote.
    """
    db_session.execute(select(Registration.id).where(Registration.id == registration.id).with_for_update())
    db_session.execute(delete(Preference).where(Preference.registration_id == registration.id))
    for slot_id, sessions in checked.items():
        for rank, session_id in enumerate(sessions, start=1):
            db_session.add(
                Preference(
                    registration_id=registration.id,
                    agenda_item_id=slot_id,
                    session_id=session_id,
                    rank=rank,
                    created_at=now,
                )
            )
    db_session.flush()


def preferences_of(db_session: DbSession, registration: Registration) -> list[Preference]:
    """The person's ranked sessions, per slot best first."""
    return list(
        db_session.scalars(
            select(Preference)
            .where(Preference.registration_id == registration.id)
            .order_by(Preference.agenda_item_id, Preference.rank)
        )
    )


def ranking_of(db_session: DbSession, registration: Registration) -> dict[int, list[int]]:
    """slot id -> the person's ranked session ids, best first."""
    ranking: dict[int, list[int]] = {}
    for preference in preferences_of(db_session, registration):
        ranking.setdefault(preference.agenda_item_id, []).append(preference.session_id)
    return ranking


def ranked_sessions(db_session: DbSession, registration: Registration) -> list[tuple[AgendaItem, list[Session]]]:
    """(slot, sessions best first) of each choice slot the person ranked, in the order of the day."""
    ranking = ranking_of(db_session, registration)
    return [
        (slot, [session for session_id in ranking[slot.id] for session in slot.sessions if session.id == session_id])
        for slot in choice_slots(registration.event)
        if slot.id in ranking
    ]
