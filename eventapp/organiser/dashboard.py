"""The dashboard's numbers: registrations, seats, waitlists and check-ins of one event, live."""

import datetime as dt
from dataclasses import asdict, dataclass, field

from flask_babel import format_timedelta
from sqlalchemy import func, select

from eventapp.allocation.demand import chain_mix
from eventapp.checkin import release, test_scans
from eventapp.checkin.models import CheckIn
from eventapp.checkin.release import Plan
from eventapp.checkin.session_counts import session_counts
from eventapp.events.models import AgendaItem, Event, Session
from eventapp.events.services import choice_slots
from eventapp.platform.db import DbSession
from eventapp.platform.mail.models import MailStatus, OutgoingMail
from eventapp.registration.holds import UnclaimedHolds, unclaimed_holds
from eventapp.registration.models import Registration, RegistrationStatus


@dataclass
class SessionStats:
    session: Session
    taken: int
    capacity: int
    # The desk's figures of the session (checkin.session_counts.SessionCounts: what each one counts).
    waiting: int
    checked_in: int
    attended: int
    released: int = 0
    seated_from_door: int = 0
    waiting_at_door: int = 0
    mix: list = field(default_factory=list)  # (kind of organisation, share of the seated people), largest first
    standing: int = 0

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
    counts = session_counts(db_session, event)
    mix = chain_mix(db_session, event)
    checked_in = db_session.scalar(select(func.count()).select_from(CheckIn).where(CheckIn.event_id == event.id)) or 0
    failed = (
        db_session.scalar(
            select(func.count())
            .select_from(OutgoingMail)
            .join(Registration)
            .where(Registration.event_id == event.id, OutgoingMail.status == MailStatus.FAILED)
        )
        or 0
    )
    slots = [
        (
            slot,
            [
                SessionStats(s, s.seats_taken, s.capacity, mix=mix.get(s.id, []), **asdict(counts[s.id]))
                for s in slot.sessions
            ],
        )
        for slot in choice_slots(event)
    ]
    unclaimed = unclaimed_holds(db_session, event, now, hold) if now is not None and hold is not None else None
    wait = None
    if unclaimed is not None and unclaimed.next_release is not None and now is not None:
        wait = unclaimed.next_release - now
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
