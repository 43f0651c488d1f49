"""The dashboard's numbers: registrations, seats, waitlists and check-ins of one event, live."""

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session as DbSession

from eventapp.allocation.demand import chain_mix
from eventapp.checkin.models import CheckIn, SessionAttendance
from eventapp.events.models import AgendaItem, Event, Session
from eventapp.events.services import choice_slots
from eventapp.mail.models import MailStatus, OutgoingMail
from eventapp.registration.models import Choice, Registration, RegistrationStatus


@dataclass
class SessionStats:
    session: Session
    taken: int
    capacity: int
    waiting: int
    checked_in: int  # of the people with a seat, how many arrived at the day
    attended: int  # through the session's door
    mix: list = field(default_factory=list)  # (kind of organisation, share of the seated people), largest first

    @property
    def no_shows(self) -> int:
        return max(self.taken - self.checked_in, 0)

    @property
    def percent_taken(self) -> int:
        return min(round(100 * self.taken / self.capacity), 100) if self.capacity else 100


@dataclass
class Dashboard:
    event: Event
    confirmed: int
    waitlisted: int
    cancelled: int
    checked_in: int
    failed_mails: int
    is_over: bool
    slots: list[tuple[AgendaItem, list[SessionStats]]] = field(default_factory=list)

    @property
    def no_shows(self) -> int:
        return max(self.confirmed - self.checked_in, 0)


def dashboard(db_session: DbSession, event: Event, today: dt.date) -> Dashboard:
    """Registrations, seats, waitlists and check-ins of one event, in a fixed number of queries."""
    by_status = dict(
        db_session.execute(
            select(Registration.status, func.count())
            .where(Registration.event_id == event.id)
            .group_by(Registration.status)
        ).all()
    )
    waiting, arrived, attended = _per_session(db_session, event)
    mix = chain_mix(db_session, event)
    checked_in = db_session.scalar(select(func.count()).select_from(CheckIn).where(CheckIn.event_id == event.id))
    failed = db_session.scalar(
        select(func.count())
        .select_from(OutgoingMail)
        .join(Registration)
        .where(Registration.event_id == event.id, OutgoingMail.status == MailStatus.FAILED)
    )
    slots = [
        (
            slot,
            [
                SessionStats(
                    s,
                    s.seats_taken,
                    s.capacity,
                    waiting.get(s.id, 0),
                    arrived.get(s.id, 0),
                    attended.get(s.id, 0),
                    mix.get(s.id, []),
                )
                for s in slot.sessions
            ],
        )
        for slot in choice_slots(event)
    ]
    return Dashboard(
        event=event,
        confirmed=by_status.get(RegistrationStatus.CONFIRMED, 0),
        waitlisted=by_status.get(RegistrationStatus.WAITLISTED, 0),
        cancelled=by_status.get(RegistrationStatus.CANCELLED, 0),
        checked_in=checked_in,
        failed_mails=failed,
        is_over=event.date < today,
        slots=slots,
    )


def _per_session(db_session: DbSession, event: Event) -> tuple[dict, dict, dict]:
    """Per session id: people waiting (admitted to the day), seated people who arrived, door attendance."""
    waiting = dict(
        db_session.execute(
            select(Choice.session_id, func.count())
            .join(Registration)
            .where(
                Registration.event_id == event.id,
                Registration.status == RegistrationStatus.CONFIRMED,
                Choice.status == RegistrationStatus.WAITLISTED,
            )
            .group_by(Choice.session_id)
        ).all()
    )
    arrived = dict(
        db_session.execute(
            select(Choice.session_id, func.count())
            .join(CheckIn, CheckIn.registration_id == Choice.registration_id)
            .where(CheckIn.event_id == event.id, Choice.status == RegistrationStatus.CONFIRMED)
            .group_by(Choice.session_id)
        ).all()
    )
    attended = dict(
        db_session.execute(
            select(SessionAttendance.session_id, func.count())
            .join(Session)
            .join(AgendaItem)
            .where(AgendaItem.event_id == event.id)
            .group_by(SessionAttendance.session_id)
        ).all()
    )
    return waiting, arrived, attended
