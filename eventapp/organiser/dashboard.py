"""The dashboard's numbers: registrations, seats, waitlists and check-ins of one event, live."""

import datetime as dt
from dataclasses import dataclass, field

from flask_babel import format_timedelta
from sqlalchemy import func, select

from eventapp.allocation.demand import chain_mix
from eventapp.checkin import release, test_scans
from eventapp.checkin.models import CheckIn, SessionAttendance
from eventapp.checkin.release import Plan
from eventapp.events.models import AgendaItem, Event, Session
from eventapp.events.services import choice_slots
from eventapp.platform.db import DbSession
from eventapp.platform.mail.models import MailStatus, OutgoingMail
from eventapp.registration.holds import UnclaimedHolds, unclaimed_holds
from eventapp.registration.models import Choice, Registration, RegistrationStatus


@dataclass
class SessionStats:
    session: Session
    taken: int
    capacity: int
    waiting: int
    checked_in: int  # of the people with a seat, how many arrived at the day
    attended: int  # through the session's door
    released: int = 0  # seats of people who had not come, given up at the release moment
    seated_from_door: int = 0  # people at the door who got a released (or free) seat
    waiting_at_door: int = 0  # checked in and waiting for this session (registered or on standby)
    mix: list = field(default_factory=list)  # (kind of organisation, share of the seated people), largest first
    standing: int = 0  # admitted at the door beyond the seats (confirmed twice by the door staff)

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
    preview: Plan | None = None  # what releasing the no-show seats now would do, once people have checked in
    unclaimed: UnclaimedHolds | None = None  # seats held by people who have not opened their link (before the day)
    next_release_in: str = ""  # "23 hours": when the next unclaimed hold goes to the waitlist
    test_scans: int = 0  # scans the desks confirmed as tests before the day: never among the arrivals above

    @property
    def no_shows(self) -> int:
        return max(self.confirmed - self.checked_in, 0)


def dashboard(
    db_session: DbSession,
    event: Event,
    today: dt.date,
    now: dt.datetime | None = None,
    hold: dt.timedelta | None = None,
) -> Dashboard:
    """Registrations, seats, waitlists and check-ins of one event, in a fixed number of queries.

    With `now` and `hold` (UNCONFIRMED_HOLD_HOURS) also the unclaimed holds and when the next is released.
    """
    by_status = dict(
        db_session.execute(
            select(Registration.status, func.count())
            .where(Registration.event_id == event.id)
            .group_by(Registration.status)
        ).all()
    )
    waiting, arrived, attended = _per_session(db_session, event)
    standing = _standing(db_session, event)
    mix = chain_mix(db_session, event)
    checked_in = db_session.scalar(select(func.count()).select_from(CheckIn).where(CheckIn.event_id == event.id))
    failed = db_session.scalar(
        select(func.count())
        .select_from(OutgoingMail)
        .join(Registration)
        .where(Registration.event_id == event.id, OutgoingMail.status == MailStatus.FAILED)
    )
    at_door = release.per_session_counts(db_session, event)
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
                    at_door[s.id]["released"],
                    at_door[s.id]["seated"],
                    at_door[s.id]["waiting_at_door"],
                    mix.get(s.id, []),
                    standing.get(s.id, 0),
                )
                for s in slot.sessions
            ],
        )
        for slot in choice_slots(event)
    ]
    unclaimed = unclaimed_holds(db_session, event, now, hold) if now is not None and hold is not None else None
    wait = unclaimed.next_release - now if unclaimed is not None and unclaimed.next_release is not None else None
    return Dashboard(
        event=event,
        unclaimed=unclaimed,
        next_release_in=format_timedelta(max(wait, dt.timedelta(minutes=1)), threshold=2.5) if wait is not None else "",
        confirmed=by_status.get(RegistrationStatus.CONFIRMED, 0),
        waitlisted=by_status.get(RegistrationStatus.WAITLISTED, 0),
        cancelled=by_status.get(RegistrationStatus.CANCELLED, 0),
        checked_in=checked_in,
        failed_mails=failed,
        is_over=event.date < today,
        slots=slots,
        preview=release.preview(db_session, event) if checked_in and event.date >= today else None,
        test_scans=test_scans.count(db_session, event),
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


def _standing(db_session: DbSession, event: Event) -> dict[int, int]:
    """Per session id: door admissions over the seats, counted apart from the seats."""
    return dict(
        db_session.execute(
            select(SessionAttendance.session_id, func.count())
            .join(Session)
            .join(AgendaItem)
            .where(AgendaItem.event_id == event.id, SessionAttendance.over_capacity.is_(True))
            .group_by(SessionAttendance.session_id)
        ).all()
    )
