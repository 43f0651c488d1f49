"""Second choices in first-come mode: per part of the day, a session to sit in when the first choice is full.

A full first choice then seats the person in their second and puts them on the first's waitlist: they keep
the second's seat until a seat in the first is theirs (waitlists.fill_sessions). The second choice is kept
as the person's ranking of that slot (preferences.Preference, rank 1 and 2), so that a person on the day's
waitlist gets it when admitted, and so that a switch to preference mode keeps what they said they wanted.
"""

import datetime as dt
from collections.abc import Mapping

from sqlalchemy import delete, select

from eventapp.events.models import Session
from eventapp.events.seats import take_seat
from eventapp.platform.db import DbSession
from eventapp.registration.choices import new_choice
from eventapp.registration.models import Registration, RegistrationStatus
from eventapp.registration.preferences import Preference, store_ranking


class InvalidSecondChoice(Exception):
    """A second choice of another slot, or the same session as the first choice."""


def checked_seconds(db_session: DbSession, firsts: Mapping[int, int], seconds: Mapping[int, int | None]) -> dict:
    """slot id -> second session id, for the slots that have one; refused where it is no fallback at all."""
    wanted = {slot_id: session_id for slot_id, session_id in seconds.items() if session_id is not None}
    if not wanted:
        return {}
    rows = db_session.execute(select(Session.id, Session.agenda_item_id).where(Session.id.in_(wanted.values())))
    found = {session_id: slot_id for session_id, slot_id in rows}
    for slot_id, session_id in wanted.items():
        if slot_id not in firsts or found.get(session_id) != slot_id or firsts[slot_id] == session_id:
            raise InvalidSecondChoice(f"slot {slot_id}: session {session_id} is no second choice there")
    return wanted


def keep_seconds(
    db_session: DbSession, registration: Registration, firsts: Mapping[int, int], seconds: Mapping[int, int], now
) -> None:
    """Remember the second choices as the slots' rankings (first, second)."""
    if seconds:
        ranking = {slot_id: [firsts[slot_id], second] for slot_id, second in seconds.items()}
        store_ranking(db_session, registration, ranking, now)


def second_choices(db_session: DbSession, registration: Registration) -> dict[int, Session]:
    """slot id -> the person's second choice (first-come mode)."""
    if registration.event.collects_preferences:
        return {}
    rows = db_session.scalars(
        select(Preference).where(Preference.registration_id == registration.id, Preference.rank == 2)
    )
    return {row.agenda_item_id: row.session for row in rows}


def forget_second(db_session: DbSession, registration: Registration, slot_id: int) -> None:
    """The person chose a session of this slot themselves: their earlier fallback no longer says what they want."""
    if not registration.event.collects_preferences:
        db_session.execute(
            delete(Preference).where(
                Preference.registration_id == registration.id, Preference.agenda_item_id == slot_id
            )
        )


def seat_or_fall_back(
    db_session: DbSession, registration: Registration, first: Session, second: Session | None, now: dt.datetime
) -> bool:
    """A seat in `first`; else a seat in `second` and a place in the first's line; else that place in line.

    Returns whether the person sits in their second choice. Runs under the event's lock (events/seats.py).
    """
    if take_seat(db_session, first.id):
        db_session.add(new_choice(registration, first, RegistrationStatus.CONFIRMED, now))
        return False
    db_session.add(new_choice(registration, first, RegistrationStatus.WAITLISTED, now))
    if second is not None and take_seat(db_session, second.id):
        db_session.add(new_choice(registration, second, RegistrationStatus.CONFIRMED, now))
        return True
    return False
