"""The event's phase: one answer to "what may happen to this event now?".

`event_phase(event, now)` names where the event stands; `allows(phase, action)` reads the one table of what each
phase allows (ALLOWED). Areas ask these two instead of comparing times themselves. The README's phase table is
written from ALLOWED (`phase_table_markdown`), and the tests check it cell by cell.

Boundaries: `draft` until the event is published; `announced` until registration opens; `registration` until it
closes; `closed` until the local midnight that starts the day (in the event's own time zone); `day` until the
end of the day's last agenda item (`Event.ends_at`); `ended` from then until the retention purge anonymised the
event's people; `anonymised` after it.
"""

import datetime as dt
from enum import StrEnum
from typing import Protocol
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l

from eventapp.platform.i18n import Labelled, set_labels


class EventPhase(Labelled):
    """Where an event stands, from the organiser's first draft to the purge of its personal data."""

    DRAFT = "draft"
    ANNOUNCED = "announced"
    REGISTRATION = "registration"
    CLOSED = "closed"
    DAY = "day"
    ENDED = "ended"
    ANONYMISED = "anonymised"


set_labels(
    EventPhase,
    {
        EventPhase.DRAFT: _l("Draft"),
        EventPhase.ANNOUNCED: _l("Announced"),
        EventPhase.REGISTRATION: _l("Registration open"),
        EventPhase.CLOSED: _l("Registration closed"),
        EventPhase.DAY: _l("The day"),
        EventPhase.ENDED: _l("After the day"),
        EventPhase.ANONYMISED: _l("Anonymised"),
    },
)


class Actor(StrEnum):
    """Who does an action: the table's four groups of rows."""

    ATTENDEE = "attendee"
    DESK = "desk"
    ORGANISER = "organiser"
    JOB = "scheduled job"


class Action(StrEnum):
    """Something an area may or may not do to an event, depending on its phase."""

    REGISTER = "register"
    CHANGE_SESSION = "change a session"
    EDIT_DETAILS = "edit own details"
    CANCEL = "cancel"
    TRANSFER = "give the place to a colleague"
    RANK = "rank sessions"
    SHOW_TICKET = "show the QR at the desk"
    GIVE_FEEDBACK = "give feedback"
    GET_STATEMENT = "get the attendance statement"
    DOWNLOAD_DATA = "download own data"
    ERASE = "erase own data"
    CHECK_IN = "check in (counts)"
    TEST_SCAN = "test scan (does not count)"
    RELEASE_SEATS = "release seats of no-shows"
    RELEASE_HOLDS = "release seats nobody claimed"
    FREEZE_SEATS = "write down the seats held at the start of the day"
    CORRECT_REGISTRATION = "correct a registration"
    ISSUE_STATEMENT = "issue or correct a statement"
    CLEAR_TEST_SCANS = "clear test scans"
    SEND_REMINDER = "send the day-before reminder"
    REQUEST_FEEDBACK = "send the feedback request"
    PURGE = "purge personal data"


ACTORS: dict[Action, Actor] = {
    **dict.fromkeys(
        (
            Action.REGISTER,
            Action.CHANGE_SESSION,
            Action.EDIT_DETAILS,
            Action.CANCEL,
            Action.TRANSFER,
            Action.RANK,
            Action.SHOW_TICKET,
            Action.GIVE_FEEDBACK,
            Action.GET_STATEMENT,
            Action.DOWNLOAD_DATA,
            Action.ERASE,
        ),
        Actor.ATTENDEE,
    ),
    **dict.fromkeys((Action.CHECK_IN, Action.TEST_SCAN, Action.RELEASE_SEATS), Actor.DESK),
    **dict.fromkeys((Action.CORRECT_REGISTRATION, Action.ISSUE_STATEMENT, Action.CLEAR_TEST_SCANS), Actor.ORGANISER),
    **dict.fromkeys(
        (Action.SEND_REMINDER, Action.REQUEST_FEEDBACK, Action.PURGE, Action.RELEASE_HOLDS, Action.FREEZE_SEATS),
        Actor.JOB,
    ),
}

_P = EventPhase
_BEFORE_THE_DAY = {_P.DRAFT, _P.ANNOUNCED, _P.REGISTRATION, _P.CLOSED}
_LIVE = _BEFORE_THE_DAY | {_P.DAY}

# The one table: per action, the phases that allow it.
ALLOWED: dict[Action, frozenset[EventPhase]] = {
    Action.REGISTER: frozenset({_P.REGISTRATION}),
    Action.CHANGE_SESSION: frozenset(_LIVE),
    Action.EDIT_DETAILS: frozenset(_LIVE),
    Action.CANCEL: frozenset(_LIVE),
    # Not on the day: the desk handles a colleague who comes instead.
    Action.TRANSFER: frozenset({_P.REGISTRATION, _P.CLOSED}),
    Action.RANK: frozenset({_P.REGISTRATION, _P.CLOSED}),
    Action.SHOW_TICKET: frozenset(_LIVE),
    Action.GIVE_FEEDBACK: frozenset({_P.ENDED}),
    Action.GET_STATEMENT: frozenset({_P.DAY, _P.ENDED}),
    Action.DOWNLOAD_DATA: frozenset(_LIVE | {_P.ENDED}),
    Action.ERASE: frozenset(_LIVE | {_P.ENDED}),
    Action.CHECK_IN: frozenset({_P.DAY}),
    Action.TEST_SCAN: frozenset(_BEFORE_THE_DAY),
    Action.RELEASE_SEATS: frozenset({_P.DAY}),
    Action.CORRECT_REGISTRATION: frozenset(_LIVE | {_P.ENDED}),
    Action.ISSUE_STATEMENT: frozenset({_P.DAY, _P.ENDED}),
    Action.CLEAR_TEST_SCANS: frozenset(_BEFORE_THE_DAY),
    Action.SEND_REMINDER: frozenset({_P.REGISTRATION, _P.CLOSED}),
    Action.REQUEST_FEEDBACK: frozenset({_P.ENDED}),
    Action.PURGE: frozenset({_P.ENDED}),
    # Before the day only: on the day the no-show release decides about seats (checkin/release.py).
    Action.RELEASE_HOLDS: frozenset(_BEFORE_THE_DAY),
    # Where doors are not scanned, the seats held at the start of the day say who attended (registration.day_seats).
    Action.FREEZE_SEATS: frozenset({_P.DAY}),
}


def allows(phase: EventPhase, action: Action) -> bool:
    """Whether an event in `phase` allows `action` (the table ALLOWED)."""
    return phase in ALLOWED[action]


class PhasedEvent(Protocol):
    """What a phase is read from: an Event, or a plain object with these attributes (the rule needs no database)."""

    @property
    def date(self) -> dt.date: ...
    @property
    def timezone(self) -> str: ...
    @property
    def published_at(self) -> dt.datetime | None: ...
    @property
    def anonymised_at(self) -> dt.datetime | None: ...
    @property
    def registration_opens_at(self) -> dt.datetime: ...
    @property
    def registration_closes_at(self) -> dt.datetime: ...
    @property
    def ends_at(self) -> dt.datetime: ...


def event_phase(event: PhasedEvent, now: dt.datetime) -> EventPhase:
    """Where `event` stands at `now` (an aware datetime); see the module's docstring for the boundaries."""
    if event.anonymised_at is not None:
        return EventPhase.ANONYMISED
    if event.published_at is None:
        return EventPhase.DRAFT
    if now >= event.ends_at:
        return EventPhase.ENDED
    if now.astimezone(ZoneInfo(event.timezone)).date() >= event.date:
        return EventPhase.DAY
    if now < event.registration_opens_at:
        return EventPhase.ANNOUNCED
    if now < event.registration_closes_at:
        return EventPhase.REGISTRATION
    return EventPhase.CLOSED


def is_after_the_day(event: PhasedEvent, now: dt.datetime) -> bool:
    """The day is over: the event is a record (ended or anonymised)."""
    return event_phase(event, now) in (EventPhase.ENDED, EventPhase.ANONYMISED)


def phase_table_markdown() -> str:
    """The README's phase table, written from ALLOWED: one row per action, one column per phase."""
    phases = list(EventPhase)
    lines = [
        "| who | action | " + " | ".join(f"`{p}`" for p in phases) + " |",
        "|---|---|" + "---|" * len(phases),
    ]
    for action in Action:
        cells = " | ".join("yes" if allows(p, action) else "–" for p in phases)
        lines.append(f"| {ACTORS[action]} | {action} | {cells} |")
    return "\n".join(lines)
