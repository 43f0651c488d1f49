"""At a session's door, someone without a seat there: the verdict, and the door staff's "admit anyway".

Only a seat lets a person in. Someone waiting for the session, seated in another session of the
same part of the day, or without a seat in that part gets a verdict of their own; the door staff
may then admit them, which takes a seat by the same guarded statement as every booking (so a door
never admits more people than seats). Beyond the seats only where the organiser allows standing,
and only when the door staff confirmed it a second time: such an admission takes a seat over the
capacity and is counted apart (SessionAttendance.over_capacity).
"""

import datetime as dt

from eventapp.checkin.models import ScanStatus
from eventapp.events.models import Session
from eventapp.events.seats import force_seat, lock_event, release_seat, take_seat
from eventapp.platform.db import DbSession
from eventapp.platform.mail import outbox
from eventapp.registration.choices import calendar_changed, new_choice, remove_choices, slot_choices
from eventapp.registration.models import Registration, RegistrationMail, RegistrationStatus
from eventapp.registration.waitlists import fill_sessions, notify_promotions

# What the door staff may do with a verdict (the API's `admit`): take a free seat, or admit standing.
ADMIT_SEAT = "seat"
ADMIT_OVER_CAPACITY = "over_capacity"


def verdict(registration: Registration, session: Session) -> tuple[str, Session | None]:
    """(status, the session they have a seat in) for a person at `session`'s door; OK when the seat is here."""
    seat, waiting = slot_choices(registration, session.agenda_item_id)
    if seat is not None and seat.session_id == session.id:
        return ScanStatus.OK, None
    if waiting is not None and waiting.session_id == session.id:
        return ScanStatus.WAITLISTED_HERE, seat.session if seat else None
    if seat is not None:
        return ScanStatus.WRONG_ROOM, seat.session
    return ScanStatus.NO_SEAT, None


def admit_offer(session: Session) -> str | None:
    """What "admit anyway" does at this door now: take a free seat, admit standing (confirmed twice), or nothing."""
    if session.seats_left > 0:
        return ADMIT_SEAT
    return ADMIT_OVER_CAPACITY if session.standing_allowed else None


def take_door_seat(
    db_session: DbSession, registration: Registration, session: Session, now: dt.datetime, over_capacity: bool
) -> str | None:
    """Admit anyway: a seat in `session` for the person, under the event's lock; their seat in the part moves here.

    Returns ADMIT_SEAT or ADMIT_OVER_CAPACITY for what was taken, or None when the door may not admit
    them (no free seat, and standing is not allowed or was not confirmed). The lock is the one the
    release and every seat change take, so a door and a release never move the same seats at once.
    """
    lock_event(db_session, registration.event_id)
    if take_seat(db_session, session.id):
        taken = ADMIT_SEAT
    elif over_capacity and session.standing_allowed and force_seat(db_session, session.id):
        taken = ADMIT_OVER_CAPACITY
    else:
        return None
    db_session.expire(session)  # the guarded UPDATE changed its counter behind the object's back
    db_session.refresh(registration, ["choices"])
    seat, waiting = slot_choices(registration, session.agenda_item_id)
    released = [
        c
        for c in registration.choices
        if c.agenda_item_id == session.agenda_item_id and c.status == RegistrationStatus.RELEASED
    ]
    remove_choices(db_session, registration, seat, waiting, *released)
    db_session.add(new_choice(registration, session, RegistrationStatus.CONFIRMED, now))
    calendar_changed(registration)
    db_session.flush()
    db_session.refresh(registration, ["choices"])
    if seat is not None:  # the seat they leave goes to the first in its line, as with any change of session
        release_seat(db_session, seat.session_id)
        notify_promotions(db_session, [], fill_sessions(db_session, [seat.session_id]), now)
    outbox.enqueue(db_session, RegistrationMail.CHOICE_CHANGED, registration, now, session_id=session.id)
    return taken
