"""Held seats must be claimed: a day seat held by someone who never opened their personal link is released.

A registration is claimed when its holder opens any /r/<token> page (the link the mails carry), or at its
creation when an organiser, the desk or an import made it. A confirmed, unclaimed registration whose hold is
older than UNCONFIRMED_HOLD_HOURS loses its seats to the waitlists; it is not released when that moment falls
within the last two days before the day (then the hold lasts until the day, where the no-show release takes
over), and never from the day on (the phase table's RELEASE_HOLDS).

Released registrations become WAITLISTED, at the back of the day's line (waitlisted_at = the release). Not
cancelled: their personal link keeps working, and opening it puts them back in line with the place they got
at the release. Until they claim, the waitlist passes them by (`fill_day`): an address that never read its
mail would otherwise take back the very seat it just lost, from the next person who registers.
"""

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import select, update

from eventapp.events.models import Event
from eventapp.events.phases import Action, EventPhase, allows, event_phase
from eventapp.events.seats import lock_event, release_day_seat, release_seat
from eventapp.platform.db import DbSession, rowcount
from eventapp.platform.mail import outbox
from eventapp.registration.choices import calendar_changed, remove_choices
from eventapp.registration.models import Registration, RegistrationMail, RegistrationStatus
from eventapp.registration.waitlists import fill_day, fill_sessions, notify_promotions

LAST_DAYS = dt.timedelta(days=2)  # a hold whose deadline falls this close to the day lasts until the day


def day_starts(event: Event) -> dt.datetime:
    """The local midnight that starts the day (the phase `day` begins then)."""
    return dt.datetime.combine(event.date, dt.time(0), ZoneInfo(event.timezone))


def hold_deadline(registration: Registration, hold: dt.timedelta) -> dt.datetime | None:
    """When an unclaimed hold is released; None when that falls in the last two days (held until the day)."""
    deadline = (registration.held_since or registration.created_at) + hold
    return None if deadline >= day_starts(registration.event) - LAST_DAYS else deadline


def is_unclaimed_hold(registration: Registration) -> bool:
    return registration.status == RegistrationStatus.CONFIRMED and registration.claimed_at is None


def is_due(registration: Registration, now: dt.datetime, hold: dt.timedelta) -> bool:
    """Whether the registration's unclaimed seat is to be released at `now`."""
    if not is_unclaimed_hold(registration):
        return False
    if not allows(event_phase(registration.event, now), Action.RELEASE_HOLDS):
        return False
    deadline = hold_deadline(registration, hold)
    return deadline is not None and now >= deadline


def release_unclaimed(db_session: DbSession, event: Event, now: dt.datetime, hold: dt.timedelta) -> list[int]:
    """Release the event's due unclaimed holds under the event's lock; returns the released registrations' ids.

    Idempotent: a released registration is waitlisted, so it is never due again.
    """
    lock_event(db_session, event.id)
    unclaimed = db_session.scalars(
        select(Registration)
        .where(
            Registration.event_id == event.id,
            Registration.status == RegistrationStatus.CONFIRMED,
            Registration.claimed_at.is_(None),
        )
        .order_by(Registration.id)
    ).all()
    released: list[int] = []
    freed: list[int] = []
    for registration in unclaimed:
        if is_due(registration, now, hold) and _release(db_session, registration, now, freed):
            released.append(registration.id)
    if not released:
        return []
    # The freed seats go to the first in line, as when someone cancels; the released people wait behind them.
    promoted = fill_sessions(db_session, freed)
    notify_promotions(db_session, fill_day(db_session, event.id, now), promoted, now)
    return released


def _release(db_session: DbSession, registration: Registration, now: dt.datetime, freed: list[int]) -> bool:
    """One hold: the day seat and session seats go; each seat becomes a wish for when the person is back."""
    # Guarded: a claim committed since the read (the claim takes no event lock) keeps the seat.
    changed = db_session.execute(
        update(Registration)
        .where(
            Registration.id == registration.id,
            Registration.status == RegistrationStatus.CONFIRMED,
            Registration.claimed_at.is_(None),
        )
        .values(status=RegistrationStatus.WAITLISTED, waitlisted_at=now, hold_released_at=now)
        .execution_options(synchronize_session=False)
    )
    if rowcount(changed) != 1:
        return False
    db_session.expire(registration, ["status", "waitlisted_at", "hold_released_at"])
    seats = [choice for choice in registration.choices if choice.status == RegistrationStatus.CONFIRMED]
    seated_slots = {choice.agenda_item_id for choice in seats}
    # One wish per slot: the session they had a seat in (a swap they waited for is dropped).
    swaps = [c for c in registration.choices if c.agenda_item_id in seated_slots and c not in seats]
    remove_choices(db_session, registration, *swaps)
    for choice in seats:
        choice.status, choice.waitlisted_at = RegistrationStatus.WAITLISTED, now
        freed.append(choice.session_id)
    calendar_changed(registration)
    db_session.flush()
    release_day_seat(db_session, registration.event_id)
    for session_id in (choice.session_id for choice in seats):
        release_seat(db_session, session_id)
    outbox.enqueue(db_session, RegistrationMail.HOLD_RELEASED, registration, now)
    return True


def release_due(db_session: DbSession, now: dt.datetime, hold: dt.timedelta) -> dict[str, int]:
    """Every event before its day: release the due unclaimed holds, committing per event; slug -> how many."""
    candidates = db_session.scalars(
        select(Event)
        .where(
            Event.id.in_(
                select(Registration.event_id).where(
                    Registration.status == RegistrationStatus.CONFIRMED, Registration.claimed_at.is_(None)
                )
            )
        )
        .order_by(Event.id)
    ).all()
    done = {}
    for event in candidates:
        if not allows(event_phase(event, now), Action.RELEASE_HOLDS):
            continue
        released = release_unclaimed(db_session, event, now, hold)
        db_session.commit()
        if released:
            done[event.slug] = len(released)
    return done


def claim(db_session: DbSession, registration: Registration, now: dt.datetime) -> bool:
    """The holder opened their link: the registration is claimed (once). Returns whether this claimed it.

    A person whose hold was released is back in the day's line from here; a free day seat is theirs when
    nobody is ahead.
    """
    if registration.claimed_at is not None:
        return False
    if registration.hold_released_at is not None:
        # The event's lock before the row's, in the order the release and the registrations take them.
        lock_event(db_session, registration.event_id)
    changed = db_session.execute(
        update(Registration)
        .where(Registration.id == registration.id, Registration.claimed_at.is_(None))
        .values(claimed_at=now)
        .execution_options(synchronize_session=False)
    )
    db_session.expire(registration)
    if rowcount(changed) != 1:
        return False
    if registration.hold_released_at is not None and registration.status == RegistrationStatus.WAITLISTED:
        lock_event(db_session, registration.event_id)  # (already held, unless the release came in between)
        notify_promotions(db_session, fill_day(db_session, registration.event_id, now), [], now)
    return True


@dataclass(frozen=True)
class UnclaimedHolds:
    """The dashboard's line: unclaimed holds, when the next is released, how many last until the day."""

    count: int
    next_release: dt.datetime | None
    until_the_day: int


def unclaimed_holds(db_session: DbSession, event: Event, now: dt.datetime, hold: dt.timedelta) -> UnclaimedHolds:
    if event_phase(event, now) in (EventPhase.DAY, EventPhase.ENDED, EventPhase.ANONYMISED):
        return UnclaimedHolds(0, None, 0)
    unclaimed = db_session.scalars(
        select(Registration).where(
            Registration.event_id == event.id,
            Registration.status == RegistrationStatus.CONFIRMED,
            Registration.claimed_at.is_(None),
        )
    ).all()
    deadlines = [hold_deadline(registration, hold) for registration in unclaimed]
    dated = [deadline for deadline in deadlines if deadline is not None]
    return UnclaimedHolds(len(unclaimed), min(dated, default=None), len(deadlines) - len(dated))
