"""A registration's choices: building, finding and removing them, shared by the rules that move seats."""

import datetime as dt

from eventapp.events.models import Session
from eventapp.platform.db import DbSession
from eventapp.registration.models import Choice, Registration, RegistrationStatus


def new_choice(registration: Registration, session: Session, status: str, now: dt.datetime) -> Choice:
    return Choice(
        registration_id=registration.id,
        agenda_item_id=session.agenda_item_id,
        session_id=session.id,
        status=status,
        waitlisted_at=now if status == RegistrationStatus.WAITLISTED else None,
        created_at=now,
    )


def calendar_changed(registration: Registration) -> None:
    """What the person's calendar shows has changed: their next invite must replace the last."""
    registration.calendar_sequence += 1


def slot_choices(registration: Registration, slot_id: int) -> tuple[Choice | None, Choice | None]:
    """The registration's (confirmed, waitlisted) choice in one slot (a released seat is neither)."""
    confirmed = waiting = None
    for choice in registration.choices:
        if choice.agenda_item_id == slot_id:
            if choice.status == RegistrationStatus.CONFIRMED:
                confirmed = choice
            elif choice.status == RegistrationStatus.WAITLISTED:
                waiting = choice
    return confirmed, waiting


def remove_choices(db_session: DbSession, registration: Registration, *choices: Choice | None) -> None:
    """Delete choices now, before any new choice of the same slot is inserted (unique per status)."""
    for choice in choices:
        if choice is not None:
            registration.choices.remove(choice)
    db_session.flush()
