"""What people asked for, before the deadline: per session how many ranked it first, second and third, and the
kinds of organisation of the people ranking; after seats are given, the chain mix of each session."""

from collections import Counter, defaultdict
from dataclasses import dataclass

from sqlalchemy import func, select

from eventapp.events.models import AgendaItem, Event, Session
from eventapp.events.services import choice_slots
from eventapp.platform.db import DbSession
from eventapp.registration.models import Choice, OrganisationType, Registration, RegistrationStatus
from eventapp.registration.preferences import Preference


@dataclass(frozen=True)
class SessionDemand:
    session: Session
    ranked: tuple[int, int, int]  # people who ranked it first, second, third

    @property
    def total(self) -> int:
        return sum(self.ranked)


def demand(db_session: DbSession, event: Event) -> list[tuple[AgendaItem, list[SessionDemand]]]:
    """Per choice slot, per session: how many people admitted to the day ranked it 1st, 2nd and 3rd."""
    counts: defaultdict[int, Counter[int]] = defaultdict(Counter)  # session id -> rank -> people
    rows = db_session.execute(
        select(Preference.session_id, Preference.rank, func.count())
        .join(Registration, Registration.id == Preference.registration_id)
        .where(Registration.event_id == event.id, Registration.status == RegistrationStatus.CONFIRMED)
        .group_by(Preference.session_id, Preference.rank)
    ).all()
    for session_id, rank, count in rows:
        counts[session_id][rank] = count
    return [(slot, [SessionDemand(s, _by_rank(counts[s.id])) for s in slot.sessions]) for slot in choice_slots(event)]


def _by_rank(ranks: Counter[int]) -> tuple[int, int, int]:
    return ranks[1], ranks[2], ranks[3]


def kinds_ranking(db_session: DbSession, event: Event) -> list[tuple[OrganisationType, int]]:
    """The kinds of organisation of the people who ranked sessions, most first."""
    rows = db_session.execute(
        select(Registration.organisation_type, func.count(func.distinct(Registration.id)))
        .join(Preference, Preference.registration_id == Registration.id)
        .where(Registration.event_id == event.id, Registration.status == RegistrationStatus.CONFIRMED)
        .group_by(Registration.organisation_type)
    ).all()
    return sorted(((OrganisationType(kind), count) for kind, count in rows), key=lambda row: (-row[1], row[0]))


def chain_mix(db_session: DbSession, event: Event) -> dict[int, list[tuple[OrganisationType, float]]]:
    """session id -> each kind of organisation's share of the people seated there, largest first."""
    rows = db_session.execute(
        select(Choice.session_id, Registration.organisation_type, func.count())
        .join(Registration, Registration.id == Choice.registration_id)
        .where(Registration.event_id == event.id, Choice.status == RegistrationStatus.CONFIRMED)
        .group_by(Choice.session_id, Registration.organisation_type)
    ).all()
    per_session: dict[int, Counter] = defaultdict(Counter)
    for session_id, kind, count in rows:
        per_session[session_id][OrganisationType(kind)] = count
    return {
        session_id: [(kind, count / kinds.total()) for kind, count in kinds.most_common()]
        for session_id, kinds in per_session.items()
    }
