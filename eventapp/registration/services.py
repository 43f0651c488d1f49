"""The registration rules: day seats, session seats, the waitlists, swaps and cancellations.

Every function that moves seats first locks the event's row, so that on PostgreSQL changes to
one event happen one after another (and never deadlock on each other's session rows); on SQLite
the write transaction (BEGIN IMMEDIATE) already does that. Seat counters only change through
guarded UPDATEs (`... WHERE seats_taken < capacity`), so a seat is never given twice even if a
caller forgot the lock. Functions flush; the caller commits, which also commits the messages
they put in the outbox.
"""

import datetime as dt
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import select

from eventapp.events.models import Event, Session
from eventapp.events.phases import Action, EventPhase, allows, event_phase
from eventapp.events.seats import force_seat, lock_event, release_day_seat, release_seat, take_day_seat, take_seat
from eventapp.events.services import choice_slots
from eventapp.platform import signals
from eventapp.platform.db import DbSession
from eventapp.platform.mail import outbox
from eventapp.registration import day_seats, fallbacks
from eventapp.registration.choices import calendar_changed, new_choice, remove_choices, slot_choices
from eventapp.registration.models import (
    Choice,
    OrganisationType,
    Registration,
    RegistrationMail,
    RegistrationStatus,
)
from eventapp.registration.preferences import InvalidRanking, checked_ranking, store_ranking
from eventapp.registration.waitlists import fill_day, fill_sessions, notify_promotions, place_in_line

NOT_YET_OPEN = "not_yet_open"
OPEN = "open"
CLOSED = "closed"


class RegistrationError(Exception):
    """A request that the rules refuse."""


class AlreadyRegistered(RegistrationError):
    """The address already has a registration for this event."""

    def __init__(self, registration: Registration):
        super().__init__("already registered")
        self.registration = registration


class InvalidChoices(RegistrationError):
    """Not exactly one session of this event for each choice slot."""


class SessionFull(RegistrationError):
    """No seat left in the session asked for (and the person did not ask to wait)."""

    def __init__(self, session: Session):
        super().__init__(f"session {session.id} is full")
        self.session = session


class RegistrationCancelled(RegistrationError):
    """The registration was cancelled; it can no longer be changed."""


@dataclass(frozen=True)
class PersonDetails:
    """What a person tells about themselves."""

    name: str
    email: str
    organisation: str
    role: str = ""
    language: str = "nl"
    organisation_type: str = OrganisationType.OTHER


@dataclass(frozen=True)
class SwapResult:
    """What a change of session did: 'confirmed', 'waitlisted' or 'unchanged'."""

    outcome: str
    session: Session
    place_in_line: int | None = None


def new_token() -> str:
    """A random URL-safe secret of 256 bits."""
    return secrets.token_urlsafe(32)


def normalise_email(email: str) -> str:
    """One spelling per address, so the same person cannot register twice by changing case."""
    return email.strip().lower()


def window_state(event: Event, now: dt.datetime) -> str:
    """Whether registration has not opened yet, is open, or has closed (the event's phase, events.phases)."""
    phase = event_phase(event, now)
    if phase in (EventPhase.DRAFT, EventPhase.ANNOUNCED):
        return NOT_YET_OPEN
    return OPEN if allows(phase, Action.REGISTER) else CLOSED


# --- registering ---------------------------------------------------------------------------


def register(
    db_session: DbSession,
    event: Event,
    person: PersonDetails,
    session_ids: Mapping[int, int],
    consent_version: str,
    now: dt.datetime,
    wants_newsletter: bool = False,
    open_anyway: bool = False,
    ranking: Mapping[int, Sequence[int | None]] | None = None,
    claimed: bool = False,
    second_ids: Mapping[int, int | None] | None = None,
) -> Registration:
    """Register `person` with one session per choice slot (`session_ids`: slot id -> session id).

    While the event collects preferences, `ranking` (slot id -> up to three session ids, best first) is
    kept instead and `session_ids` is empty: the person holds a day seat and no session seat until the
    allocation.

    While registration is open and the day has room, the person gets a day seat and, per slot,
    a seat or a place on that session's waitlist. Otherwise they join the day's waitlist.
    Raises AlreadyRegistered for an address that is registered (and not cancelled).
    `open_anyway` is for the desk on the day: the window does not apply, the seats do.
    `claimed`: made by an organiser, an import or the demo, so the seat need not be claimed through the
    personal link (holds.py); the desk's registrations are claimed too (the person stands there).
    `second_ids` (first-come mode, slot id -> session id): where to sit when the first choice is full (fallbacks.py).
    """
    # The desk on the day passes sessions, not a ranking: a walk-in takes seats as in first-come mode.
    ranked = _checked_ranking(event, ranking) if event.collects_preferences and ranking is not None else None
    sessions = [] if ranked is not None else _sessions_for(db_session, event, session_ids)
    seconds = {} if ranked is not None else _checked_seconds(db_session, session_ids, second_ids or {})
    # The lock from here to the commit only: what needs no seat is checked before it.
    lock_event(db_session, event.id)
    email = normalise_email(person.email)
    cancelled = _refuse_a_second_registration(db_session, event.id, email)
    is_open = open_anyway or window_state(event, now) == OPEN
    # At the desk on the day a free place goes to the person standing there, not to the (absent) day's waitlist.
    if is_open and not open_anyway:
        notify_promotions(db_session, fill_day(db_session, event.id, now), [], now)
    has_day_seat = is_open and take_day_seat(db_session, event.id)
    _retire_cancelled_links(cancelled)
    # Always a new row with new secrets: whoever registers an address again after a cancellation
    # must not inherit the old personal link or ticket (those stay with the cancelled row).
    registration = Registration(
        event_id=event.id,
        manage_token=new_token(),
        ticket_code=new_token(),
        name=person.name,
        email=email,
        organisation=person.organisation,
        role=person.role,
        organisation_type=OrganisationType(person.organisation_type),
        language=person.language,
        consent_version=consent_version,
        wants_newsletter=wants_newsletter,
        created_at=now,
        status=RegistrationStatus.CONFIRMED if has_day_seat else RegistrationStatus.WAITLISTED,
        waitlisted_at=None if has_day_seat else now,
        held_since=now if has_day_seat else None,
        claimed_at=now if claimed or open_anyway else None,
    )
    db_session.add(registration)
    db_session.flush()
    if ranked is not None:
        store_ranking(db_session, registration, ranked, now)
    fallbacks.keep_seconds(db_session, registration, session_ids, seconds, now)
    _choose_sessions(db_session, registration, sessions, now, seconds)
    signals.registration_created.send(registration, db_session=db_session, registration=registration, now=now)
    return registration


def _checked_ranking(event: Event, ranking: Mapping[int, Sequence[int | None]]) -> dict[int, list[int]]:
    try:
        return checked_ranking(event, ranking)
    except InvalidRanking as refused:
        raise InvalidChoices(str(refused)) from None


def _checked_seconds(
    db_session: DbSession, firsts: Mapping[int, int], seconds: Mapping[int, int | None]
) -> dict[int, int]:
    try:
        return fallbacks.checked_seconds(db_session, firsts, seconds)
    except fallbacks.InvalidSecondChoice as refused:
        raise InvalidChoices(str(refused)) from None


def _refuse_a_second_registration(db_session: DbSession, event_id: int, email: str) -> list[Registration]:
    """One live registration per address and event; returns the address's cancelled ones (one indexed read)."""
    earlier = list(
        db_session.scalars(select(Registration).where(Registration.event_id == event_id, Registration.email == email))
    )
    for registration in earlier:
        if registration.status != RegistrationStatus.CANCELLED:
            raise AlreadyRegistered(registration)
    return earlier


def _choose_sessions(
    db_session: DbSession,
    registration: Registration,
    sessions: list[Session],
    now: dt.datetime,
    seconds: Mapping[int, int],
) -> None:
    """A seat or a place in line per session for someone with a day seat (or their second choice's seat while
    they wait: fallbacks.py); wishes for the day's waitlist. The person is then told what they got.
    """
    confirmed = registration.status == RegistrationStatus.CONFIRMED
    fell_back = []
    for session in sessions:
        if not confirmed:  # a wish: it joins the session's line when the person is admitted to the day
            db_session.add(new_choice(registration, session, RegistrationStatus.WAITLISTED, now))
            continue
        second = db_session.get(Session, seconds[session.agenda_item_id]) if session.agenda_item_id in seconds else None
        if fallbacks.seat_or_fall_back(db_session, registration, session, second, now) and second is not None:
            fell_back.append([session.id, second.id])
    db_session.flush()
    kind = RegistrationMail.CONFIRMED if confirmed else RegistrationMail.WAITLISTED
    outbox.enqueue(db_session, kind, registration, now, **({"second_choices": fell_back} if fell_back else {}))


def _retire_cancelled_links(cancelled: list[Registration]) -> None:
    """The personal links of the address's cancelled registrations stop working (their tickets scan as cancelled).

    Nobody learns the new value: an old link, wherever it was forwarded, now answers 404.
    """
    for registration in cancelled:
        registration.manage_token = new_token()


def _sessions_for(db_session: DbSession, event: Event, session_ids: Mapping[int, int]) -> list[Session]:
    """The chosen sessions, checked: exactly one per choice slot of this event."""
    slots = {item.id for item in choice_slots(event)}
    if set(session_ids) != slots:
        raise InvalidChoices("one session per choice slot is needed")
    sessions = list(db_session.scalars(select(Session).where(Session.id.in_(session_ids.values()))))
    if {(s.agenda_item_id, s.id) for s in sessions} != set(session_ids.items()):
        raise InvalidChoices("a session does not belong to its slot")
    return sorted(sessions, key=lambda s: s.agenda_item_id)


# --- changing and cancelling -----------------------------------------------------------------


def change_session(
    db_session: DbSession,
    registration: Registration,
    session_id: int,
    now: dt.datetime,
    join_waitlist: bool = False,
    over_capacity: bool = False,
    by_staff: bool = False,
) -> SwapResult:
    """Move the person to another session of the same slot, never losing the seat they have.

    With a free seat the swap is made and the old seat goes to the first in its line. When the
    new session is full, SessionFull is raised, or with `join_waitlist` the person waits for it
    and keeps their current seat until promoted. Choosing the session one already holds again
    leaves any waitlist of that slot. `over_capacity` is an organiser's deliberate overbooking. A seat that
    the desk or an organiser gives (`by_staff`) is also where the person is on the day's record (day_seats).
    """
    lock_event(db_session, registration.event_id)
    day_seats.freeze_on_the_day(db_session, registration.event, now)
    result = _change_session(db_session, registration, session_id, now, join_waitlist, over_capacity)
    if by_staff and result.outcome in ("confirmed", "unchanged"):
        day_seats.settle(db_session, registration, result.session.agenda_item_id, result.session.id, now)
    return result


def _change_session(
    db_session: DbSession,
    registration: Registration,
    session_id: int,
    now: dt.datetime,
    join_waitlist: bool,
    over_capacity: bool,
) -> SwapResult:
    """change_session's rules, under its lock."""
    if registration.status == RegistrationStatus.CANCELLED:
        raise RegistrationCancelled()
    session = db_session.get(Session, session_id, populate_existing=True)
    if session is None or session.agenda_item.event_id != registration.event_id or not session.agenda_item.is_choice:
        raise InvalidChoices("no such session at this event")
    confirmed, waiting = slot_choices(registration, session.agenda_item_id)
    fallbacks.forget_second(db_session, registration, session.agenda_item_id)
    if registration.status == RegistrationStatus.WAITLISTED:  # not admitted to the day yet: only the wish changes
        if waiting is None:  # a part of the day added after they registered: their first wish for it
            db_session.add(new_choice(registration, session, RegistrationStatus.WAITLISTED, now))
        else:
            waiting.session_id = session.id
        db_session.flush()
        return SwapResult("waitlisted", session)
    if confirmed is not None and confirmed.session_id == session.id:
        if waiting is not None:
            registration.choices.remove(waiting)
            db_session.flush()
        return SwapResult("unchanged", session)
    if waiting is not None and waiting.session_id == session.id and not over_capacity:
        return SwapResult("waitlisted", session, place_in_line(db_session, waiting))

    if take_seat(db_session, session.id) or (over_capacity and force_seat(db_session, session.id)):
        _forget_released(db_session, registration, session.agenda_item_id)
        return _swap_seat(db_session, registration, session, confirmed, waiting, now)
    if not join_waitlist:
        raise SessionFull(session)
    _forget_released(db_session, registration, session.agenda_item_id)
    return _wait_for(db_session, registration, session, waiting, now)


def _forget_released(db_session: DbSession, registration: Registration, slot_id: int) -> None:
    """A seat of the slot released on the day (the person had not come) gives way to the new choice."""
    released = [
        choice
        for choice in registration.choices
        if choice.agenda_item_id == slot_id and choice.status == RegistrationStatus.RELEASED
    ]
    remove_choices(db_session, registration, *released)


def _swap_seat(
    db_session: DbSession,
    registration: Registration,
    session: Session,
    confirmed: Choice | None,
    waiting: Choice | None,
    now: dt.datetime,
) -> SwapResult:
    """The seat in `session` is taken: give up the old seat (to the first in its line) and any place in line."""
    freed = [confirmed.session_id] if confirmed is not None else []
    remove_choices(db_session, registration, confirmed, waiting)
    for session_id in freed:
        release_seat(db_session, session_id)
    db_session.add(new_choice(registration, session, RegistrationStatus.CONFIRMED, now))
    calendar_changed(registration)
    db_session.flush()
    outbox.enqueue(db_session, RegistrationMail.CHOICE_CHANGED, registration, now, session_id=session.id)
    notify_promotions(db_session, [], fill_sessions(db_session, freed), now)
    return SwapResult("confirmed", session)


def _wait_for(
    db_session: DbSession, registration: Registration, session: Session, waiting: Choice | None, now: dt.datetime
) -> SwapResult:
    """Join the line of a full session, keeping the seat one has in the slot."""
    remove_choices(db_session, registration, waiting)
    choice = new_choice(registration, session, RegistrationStatus.WAITLISTED, now)
    db_session.add(choice)
    db_session.flush()
    outbox.enqueue(
        db_session, RegistrationMail.CHOICE_CHANGED, registration, now, session_id=session.id, waitlisted=True
    )
    return SwapResult("waitlisted", session, place_in_line(db_session, choice))


def update_details(registration: Registration, person: PersonDetails) -> None:
    """Change what the person told about themselves (the address stays: it is who they are)."""
    registration.name = person.name
    registration.organisation = person.organisation
    registration.organisation_type = OrganisationType(person.organisation_type)
    registration.role = person.role
    registration.language = person.language


def cancel(db_session: DbSession, registration: Registration, now: dt.datetime) -> None:
    """Cancel: free the day seat and session seats and give them to the first in line."""
    lock_event(db_session, registration.event_id)
    if registration.status == RegistrationStatus.CANCELLED:
        return
    held_day_seat = registration.status == RegistrationStatus.CONFIRMED
    freed = [choice.session_id for choice in registration.choices if choice.status == RegistrationStatus.CONFIRMED]
    registration.choices.clear()
    registration.status, registration.waitlisted_at, registration.cancelled_at = RegistrationStatus.CANCELLED, None, now
    calendar_changed(registration)
    db_session.flush()
    if held_day_seat:
        release_day_seat(db_session, registration.event_id)
    for session_id in freed:
        release_seat(db_session, session_id)
    outbox.enqueue(db_session, RegistrationMail.CANCELLED, registration, now)
    promoted_choices = fill_sessions(db_session, freed)
    notify_promotions(db_session, fill_day(db_session, registration.event_id, now), promoted_choices, now)
