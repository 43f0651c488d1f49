"""When the organiser changes the day: whose invitation changes, and one calendar update for each.

Whose invitation changes is measured, not guessed: each confirmed person's invitation is read before
and after the change, and those that differ are the people to tell. Several changes in a few minutes
become one mail: an update waits `delay` before it leaves, and later changes join the one waiting.
"""

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from eventapp.events.models import Session
from eventapp.platform.calendar.ics import Entry
from eventapp.platform.db import DbSession
from eventapp.platform.mail import outbox
from eventapp.platform.mail.models import MailStatus, OutgoingMail
from eventapp.registration.calendar import invitation_entry
from eventapp.registration.choices import calendar_changed
from eventapp.registration.models import Choice, Registration, RegistrationMail, RegistrationStatus


def invitations(db_session: DbSession, event_id: int) -> dict[int, Entry]:
    """Each confirmed person's invitation as it reads now (links left out: they never change)."""
    registrations = db_session.scalars(
        select(Registration)
        .where(Registration.event_id == event_id, Registration.status == RegistrationStatus.CONFIRMED)
        .options(selectinload(Registration.choices).options(joinedload(Choice.session), joinedload(Choice.agenda_item)))
    ).all()
    return {registration.id: invitation_entry(registration, registration.language) for registration in registrations}


def last_mail_id(db_session: DbSession) -> int:
    return db_session.scalar(select(func.max(OutgoingMail.id))) or 0


def changed_invitations(
    db_session: DbSession, before: dict[int, Entry], after: dict[int, Entry], mails_after: int
) -> list[int]:
    """People confirmed before and after whose invitation now reads differently.

    Someone the change itself already mailed (a seat that became theirs) has the new invitation in that mail.
    """
    mailed = set(
        db_session.scalars(
            select(OutgoingMail.registration_id).where(
                OutgoingMail.id > mails_after, OutgoingMail.registration_id.is_not(None)
            )
        )
    )
    return sorted(rid for rid, entry in after.items() if rid in before and before[rid] != entry and rid not in mailed)


def session_people(db_session: DbSession, session_id: int) -> int:
    """How many people have a seat in a session or wait for one."""
    return db_session.scalars(
        select(func.count(func.distinct(Choice.registration_id))).where(Choice.session_id == session_id)
    ).one()


def release_session(db_session: DbSession, session: Session) -> list[int]:
    """Take every choice of a session that is being cancelled; returns whose they were (seat or place in line)."""
    choices = db_session.scalars(select(Choice).where(Choice.session_id == session.id)).all()
    registration_ids = sorted({choice.registration_id for choice in choices})
    for choice in choices:
        choice.registration.choices.remove(choice)
    session.seats_taken = 0
    db_session.flush()
    return registration_ids


def queue_calendar_updates(
    db_session: DbSession, registration_ids: list[int], now: dt.datetime, delay: dt.timedelta, cancelled=None
) -> int:
    """One calendar update per person, leaving after `delay`; a change joins an update still waiting.

    `cancelled` names a session that was cancelled ({"slot_id", "title_nl", "title_en"}): the mail says so
    and what the person can choose instead. Returns how many people will get an update.
    """
    waiting = _waiting_updates(db_session, registration_ids)
    for registration_id in registration_ids:
        registration = db_session.get(Registration, registration_id)
        if registration is None or registration.status == RegistrationStatus.CANCELLED:
            continue
        calendar_changed(registration)
        mail = waiting.get(registration_id)
        if mail is None:
            mail = outbox.enqueue(db_session, RegistrationMail.CALENDAR_UPDATE, registration, now, cancelled=[])
            mail.next_attempt_at = now + delay
        if cancelled is not None:
            mail.payload = {**mail.payload, "cancelled": [*mail.payload.get("cancelled", []), cancelled]}
    db_session.flush()
    return len(registration_ids)


def _waiting_updates(db_session: DbSession, registration_ids: list[int]) -> dict[int, OutgoingMail]:
    """Calendar updates not yet tried, by registration."""
    mails = db_session.scalars(
        select(OutgoingMail).where(
            OutgoingMail.kind == RegistrationMail.CALENDAR_UPDATE,
            OutgoingMail.status == MailStatus.PENDING,
            OutgoingMail.attempts == 0,
            OutgoingMail.registration_id.in_(registration_ids),
        )
    ).all()
    return {mail.registration_id: mail for mail in mails if mail.registration_id is not None}
