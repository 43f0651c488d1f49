"""The reminder the day before: one per confirmed registration, however often it is asked for."""

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from eventapp.events.models import Event
from eventapp.mail import outbox
from eventapp.mail.models import OutgoingMail
from eventapp.registration.models import CONFIRMED, Registration


def queue_reminders(db_session: DbSession, event_date: dt.date, now: dt.datetime) -> int:
    """Put a reminder in the outbox for everyone confirmed for an event on `event_date`; returns how many."""
    already = select(OutgoingMail.registration_id).where(
        OutgoingMail.kind == outbox.REMINDER, OutgoingMail.registration_id.is_not(None)
    )
    registrations = db_session.scalars(
        select(Registration)
        .join(Event)
        .where(Event.date == event_date, Registration.status == CONFIRMED, Registration.id.not_in(already))
        .order_by(Registration.id)
    ).all()
    for registration in registrations:
        outbox.enqueue(db_session, outbox.REMINDER, registration, now)
    return len(registrations)
