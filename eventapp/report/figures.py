"""The report's numbers for one event (plain data; report/charts.py draws them)."""

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from eventapp.checkin.attended import attended_by_person
from eventapp.checkin.models import CheckIn
from eventapp.events.models import Event, Session
from eventapp.events.services import choice_slots
from eventapp.feedback.services import MIN_RESPONDENTS, Results, results
from eventapp.platform.db import DbSession
from eventapp.registration.models import OrganisationType, Registration, RegistrationStatus

BUCKET_MINUTES = 5


@dataclass
class Turnout:
    """Of the people expected (confirmed), how many came."""

    expected: int = 0
    came: int = 0

    @property
    def no_show_rate(self) -> float | None:
        return round(100 * (self.expected - self.came) / self.expected, 1) if self.expected else None


@dataclass
class SessionFigures:
    session: Session
    seated: int  # confirmed seats now
    capacity: int
    turnout: Turnout  # of the seated, how many attended it
    mix: Counter = field(default_factory=Counter)  # organisation type of those who attended

    @property
    def fill(self) -> float:
        return round(100 * self.seated / self.capacity, 1) if self.capacity else 0.0


@dataclass
class EventFigures:
    event: Event
    registrations_by_day: list[tuple[int, int]]  # (days before the day, registrations made up to then)
    arrivals: list[tuple[str, int]]  # ("13:25", check-ins in the five minutes from then)
    per_type: dict[OrganisationType, Turnout]
    sessions: list[SessionFigures]
    day: Turnout
    feedback: Results

    @property
    def has_check_ins(self) -> bool:
        return self.day.came > 0


def event_figures(db_session: DbSession, event: Event, min_respondents: int = MIN_RESPONDENTS) -> EventFigures:
    """Every figure of the report, from the registrations, check-ins, door scans and feedback of the day."""
    people = db_session.scalars(
        select(Registration).where(Registration.event_id == event.id).options(selectinload(Registration.choices))
    ).all()
    arrived = dict(
        db_session.execute(
            select(CheckIn.registration_id, CheckIn.checked_in_at).where(CheckIn.event_id == event.id)
        ).all()
    )
    confirmed = [p for p in people if p.status == RegistrationStatus.CONFIRMED or p.id in arrived]
    attended = attended_by_person(db_session, event, [p for p in confirmed if p.id in arrived])
    per_type: dict[OrganisationType, Turnout] = {kind: Turnout() for kind in OrganisationType}
    for person in confirmed:
        per_type[person.organisation_type].expected += 1
        per_type[person.organisation_type].came += person.id in arrived
    return EventFigures(
        event=event,
        registrations_by_day=_registrations_by_day(event, people),
        arrivals=_arrivals(event, list(arrived.values())),
        per_type={kind: turnout for kind, turnout in per_type.items() if turnout.expected},
        sessions=_sessions(event, confirmed, attended),
        day=Turnout(len(confirmed), len(arrived)),
        feedback=results(db_session, event, min_respondents),
    )


def _registrations_by_day(event: Event, people) -> list[tuple[int, int]]:
    """Cumulative registrations (cancelled ones included: they were made) by days before the day."""
    zone = ZoneInfo(event.timezone)
    before = Counter((event.date - p.created_at.astimezone(zone).date()).days for p in people)
    if not before:
        return []
    total, rows = 0, []
    for days in range(max(before), min(min(before), 0) - 1, -1):
        total += before.get(days, 0)
        rows.append((days, total))
    return rows


def _arrivals(event: Event, moments: list[dt.datetime]) -> list[tuple[str, int]]:
    """Check-ins per five minutes, from the first to the last five minutes anyone arrived."""
    zone = ZoneInfo(event.timezone)
    local = [m.astimezone(zone) for m in moments]
    buckets = Counter(m.hour * 60 + m.minute - m.minute % BUCKET_MINUTES for m in local)
    if not buckets:
        return []
    return [
        (f"{start // 60:02d}:{start % 60:02d}", buckets.get(start, 0))
        for start in range(min(buckets), max(buckets) + 1, BUCKET_MINUTES)
    ]


def _sessions(event: Event, confirmed, attended: dict[int, list[Session]]) -> list[SessionFigures]:
    figures = []
    for slot in choice_slots(event):
        for session in slot.sessions:
            seated = [
                p
                for p in confirmed
                if any(c.session_id == session.id and c.status == RegistrationStatus.CONFIRMED for c in p.choices)
            ]
            went = [p for p in confirmed if session in attended.get(p.id, [])]
            figures.append(
                SessionFigures(
                    session=session,
                    seated=len(seated),
                    capacity=session.capacity,
                    turnout=Turnout(len(seated), len([p for p in seated if p in went])),
                    mix=Counter(p.organisation_type for p in went),
                )
            )
    return figures
