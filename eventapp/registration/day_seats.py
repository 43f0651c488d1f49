"""The session seats held when the day began, written down once (issue 29).

Where a session's doors were not scanned, the seat a person held at the start of the day says where they
were, not the choice they hold later: a change on the personal page at five o'clock does not rewrite the
statement or the feedback form. The desk and the organisers see the person, so a seat they give on the day
(a latecomer's, one released at the door, a correction) is written down as the person's seat; a seat that
went to someone else because its holder had not come is struck out.

The seats are written down by `flask freeze-day-seats` (the scheduler, every 15 minutes) and, should it
not have run, by the first seat change of the day, before that change is made.
"""

import datetime as dt

from sqlalchemy import delete, select

from eventapp.events.models import Event
from eventapp.events.phases import Action, allows, event_phase
from eventapp.events.seats import lock_event
from eventapp.platform.db import DbSession
from eventapp.registration.models import Choice, DaySeat, Registration, RegistrationStatus


def freeze(db_session: DbSession, event: Event, now: dt.datetime) -> int:
    """Write down every confirmed session seat of `event`, once; how many were written (0 the second time).

    The caller holds the event's lock (`lock_event`), so a seat change waits for this and comes after it."""
    if event.seats_frozen_at is not None:
        return 0
    seats = db_session.execute(
        select(Choice.registration_id, Choice.agenda_item_id, Choice.session_id)
        .join(Registration, Registration.id == Choice.registration_id)
        .where(Registration.event_id == event.id, Choice.status == RegistrationStatus.CONFIRMED)
    ).all()
    db_session.add_all(
        DaySeat(registration_id=person, agenda_item_id=slot, session_id=session, noted_at=now)
        for person, slot, session in seats
    )
    event.seats_frozen_at = now
    db_session.flush()
    return len(seats)


def freeze_on_the_day(db_session: DbSession, event: Event, now: dt.datetime) -> None:
    """Before a seat change: on the day, the seats held at its start are written down first."""
    if allows(event_phase(event, now), Action.FREEZE_SEATS):
        freeze(db_session, event, now)


def freeze_due(db_session: DbSession, now: dt.datetime) -> dict[str, int]:
    """Freeze the seats of every event whose day it is and whose seats were not written down yet."""
    frozen = {}
    for event in db_session.scalars(select(Event).where(Event.seats_frozen_at.is_(None)).order_by(Event.id)):
        if allows(event_phase(event, now), Action.FREEZE_SEATS):
            lock_event(db_session, event.id)
            frozen[event.slug] = freeze(db_session, event, now)
    return frozen


def settle(
    db_session: DbSession, registration: Registration, slot_id: int, session_id: int | None, now: dt.datetime
) -> None:
    """The desk or an organiser put the person in `session_id` (None: their seat went to someone else).

    Once the day's seats are written down, that is now where the person is in that slot."""
    if registration.event.seats_frozen_at is None:
        return
    db_session.execute(
        delete(DaySeat).where(DaySeat.registration_id == registration.id, DaySeat.agenda_item_id == slot_id)
    )
    if session_id is not None:
        db_session.add(
            DaySeat(registration_id=registration.id, agenda_item_id=slot_id, session_id=session_id, noted_at=now)
        )
    db_session.flush()


def held_at_start(db_session: DbSession, registration_ids: list[int]) -> dict[tuple[int, int], int]:
    """(registration id, slot id) -> the session written down for it, for the given people."""
    rows = db_session.execute(
        select(DaySeat.registration_id, DaySeat.agenda_item_id, DaySeat.session_id).where(
            DaySeat.registration_id.in_(registration_ids)
        )
    )
    return {(person, slot): session for person, slot, session in rows}
