"""Shared helpers of the registration tests: people, choices and counts."""

import datetime as dt

from sqlalchemy import func, select

from eventapp.events.services import choice_slots
from eventapp.platform.db import utcnow
from eventapp.platform.extensions import db
from eventapp.platform.mail.models import OutgoingMail
from eventapp.registration import services
from eventapp.registration.models import Choice, Registration, RegistrationStatus


def slots(event):
    return choice_slots(event)


def person(number: int, **fields) -> services.PersonDetails:
    values = dict(
        name=f"Person {number}", email=f"person{number}@example.org", organisation="Gemeente Ede", language="en"
    )
    values.update(fields)
    return services.PersonDetails(**values)


def sign_up(event, number: int, theme: int = 0, pilot: int = 0, now: dt.datetime | None = None, **fields):
    """Register person `number` for the theme and pilot session at those positions, and commit."""
    theme_slot, pilot_slot = slots(event)
    registration = services.register(
        db.session,
        event,
        person(number, **fields),
        {theme_slot.id: theme_slot.sessions[theme].id, pilot_slot.id: pilot_slot.sessions[pilot].id},
        "test",
        now or utcnow(),
    )
    db.session.commit()
    return registration


def choice_in(registration, session, status=None):
    """The registration's choice for `session` (of a status), or None."""
    for choice in db.session.scalars(select(Choice).where(Choice.registration_id == registration.id)):
        if choice.session_id == session.id and status in (None, choice.status):
            return choice
    return None


def confirmed_in(session) -> set[int]:
    """Registration ids with a seat in `session`."""
    return set(
        db.session.scalars(
            select(Choice.registration_id).where(
                Choice.session_id == session.id, Choice.status == RegistrationStatus.CONFIRMED
            )
        )
    )


def waiting_for(session) -> list[int]:
    """Registration ids in line for `session` (admitted to the day), first first."""
    return list(
        db.session.scalars(
            select(Choice.registration_id)
            .join(Registration)
            .where(
                Choice.session_id == session.id,
                Choice.status == RegistrationStatus.WAITLISTED,
                Registration.status == RegistrationStatus.CONFIRMED,
            )
            .order_by(Choice.waitlisted_at, Choice.id)
        )
    )


def day_waiting(event) -> list[int]:
    return list(
        db.session.scalars(
            select(Registration.id)
            .where(Registration.event_id == event.id, Registration.status == RegistrationStatus.WAITLISTED)
            .order_by(Registration.waitlisted_at, Registration.id)
        )
    )


def mails(kind: str | None = None, registration=None) -> list[OutgoingMail]:
    query = select(OutgoingMail).order_by(OutgoingMail.id)
    if kind:
        query = query.where(OutgoingMail.kind == kind)
    if registration is not None:
        query = query.where(OutgoingMail.registration_id == registration.id)
    return list(db.session.scalars(query))


def confirmed_people(event) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(Registration)
        .where(Registration.event_id == event.id, Registration.status == RegistrationStatus.CONFIRMED)
    )


def check_counters(event) -> None:
    """Every seat counter equals the rows it counts and stays within capacity."""
    db.session.expire_all()
    assert event.seats_taken == confirmed_people(event) <= event.capacity
    for slot in slots(event):
        for session in slot.sessions:
            assert session.seats_taken == len(confirmed_in(session)) <= session.capacity, session
