"""Changes to the day that reach attendees' calendars: measured first, confirmed by the organiser, then sent.

A change is tried inside a savepoint and each confirmed person's invitation is compared before and after.
Nobody affected, or the organiser confirmed: it stays and the people affected get a calendar update.
Otherwise it is undone, and the organiser is told how many people the update would go to.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from eventapp.events import services as setup
from eventapp.events.models import Session
from eventapp.platform.audit import audit
from eventapp.platform.db import DbSession
from eventapp.platform.settings import settings
from eventapp.platform.staff.models import User
from eventapp.registration import program_changes


@dataclass(frozen=True)
class Outcome:
    """What became of a change: kept (`done`) or waiting for confirmation, and how many people it reaches."""

    done: bool
    people: int
    result: Any = None


def update_delay() -> dt.timedelta:
    """How long an update waits for more changes to join it (one mail for several edits)."""
    return dt.timedelta(seconds=settings().calendar_update_delay_seconds)


def change_the_day(
    db_session: DbSession, event_id: int, change: Callable, now: dt.datetime, confirmed: bool
) -> Outcome:
    """Run `change` (a set-up rule; its SetupError passes on); keep it if nobody is affected or it is confirmed."""
    before = program_changes.invitations(db_session, event_id)
    mails_before = program_changes.last_mail_id(db_session)
    savepoint = db_session.begin_nested()
    result = change()
    db_session.flush()
    db_session.expire_all()  # read the day as it is now: times reorder the agenda, rooms move people
    after = program_changes.invitations(db_session, event_id)
    affected = program_changes.changed_invitations(db_session, before, after, mails_before)
    if affected and not confirmed:
        savepoint.rollback()
        return Outcome(done=False, people=len(affected))
    savepoint.commit()
    program_changes.queue_calendar_updates(db_session, affected, now, update_delay())
    return Outcome(done=True, people=len(affected), result=result)


def cancel_session(db_session: DbSession, session: Session, user: User, now: dt.datetime) -> int:
    """Cancel a session people chose: their seats and places in line go, each is told what they can choose instead.

    Returns how many people were told.
    """
    slot = session.agenda_item
    cancelled = {"slot_id": slot.id, "title_nl": session.title_nl, "title_en": session.title_en}
    people = program_changes.release_session(db_session, session)
    audit(db_session, user, "session.cancelled", slot.event, title=session.title_en, people=len(people))
    setup.delete_session(db_session, session, user)
    return program_changes.queue_calendar_updates(db_session, people, now, update_delay(), cancelled=cancelled)
