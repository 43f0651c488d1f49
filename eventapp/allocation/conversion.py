"""A seated day switched to preferences: the sessions people hold become their first choices.

When an event that handed out session seats first come, first served starts collecting rankings, the
allocation at the deadline hands out every session seat again. Per slot, a person's seat becomes their
first choice and the session they wait for their next one; a slot the person ranked before (in an earlier
round) keeps that ranking. Their session seats and places in line are given up through the guarded seat
statements, so the allocation has every seat to hand out; their day seat stays, and a seat released on the
day (nobody holds it any more) is simply dropped. Each person is told by one mail with their ranking and
their updated calendar invitation. Functions flush; the caller holds the event's lock and commits.
"""

import datetime as dt

from sqlalchemy import exists, select

from eventapp.events.models import Event
from eventapp.events.seats import release_seat
from eventapp.platform.db import DbSession
from eventapp.platform.mail import outbox
from eventapp.registration.choices import calendar_changed, slot_choices
from eventapp.registration.models import Choice, Registration, RegistrationMail, RegistrationStatus
from eventapp.registration.preferences import Preference, ranking_of, store_ranking

HOLDING = (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED)


def people_holding_sessions(db_session: DbSession, event: Event) -> list[Registration]:
    """The event's people (not cancelled) with a session seat or a place in a session's line, in order."""
    holds = select(Choice.registration_id).where(Choice.status.in_(HOLDING))
    return list(
        db_session.scalars(
            select(Registration)
            .where(
                Registration.event_id == event.id,
                Registration.status != RegistrationStatus.CANCELLED,
                Registration.id.in_(holds),
            )
            .order_by(Registration.id)
        )
    )


def anyone_ranked(db_session: DbSession, event: Event) -> bool:
    """Someone (not cancelled) holds a ranking of this event's sessions."""
    return bool(
        db_session.scalar(
            select(
                exists().where(
                    Preference.registration_id == Registration.id,
                    Registration.event_id == event.id,
                    Registration.status != RegistrationStatus.CANCELLED,
                )
            )
        )
    )


def seats_to_rankings(db_session: DbSession, event: Event, now: dt.datetime) -> list[Registration]:
    """Turn everyone's session seats and places in line into rankings; returns the people converted."""
    people = people_holding_sessions(db_session, event)
    for registration in people:
        _convert(db_session, registration, now)
        calendar_changed(registration)
        outbox.enqueue(db_session, RegistrationMail.CHOICE_CHANGED, registration, now, ranking_round=True)
    db_session.flush()
    return people


def _convert(db_session: DbSession, registration: Registration, now: dt.datetime) -> None:
    """One person: the held sessions become ranks where the slot has no ranking; the seats go back."""
    ranking = ranking_of(db_session, registration)
    added = False
    freed = []
    for slot_id in sorted({choice.agenda_item_id for choice in registration.choices}):
        confirmed, waiting = slot_choices(registration, slot_id)
        held = [choice.session_id for choice in (confirmed, waiting) if choice is not None]
        if held and slot_id not in ranking:
            ranking[slot_id], added = held, True
        # Only someone admitted to the day holds a seat; the day's waitlist holds wishes, not seats.
        if confirmed is not None and registration.status == RegistrationStatus.CONFIRMED:
            freed.append(confirmed.session_id)
    registration.choices.clear()  # released seats too: those are nobody's any more
    db_session.flush()
    for session_id in freed:
        release_seat(db_session, session_id)
    if added:
        store_ranking(db_session, registration, ranking, now)
