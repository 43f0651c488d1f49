"""Desk search fit for a desk: for the day's event on its day, at a person's pace, and audited in bulk.

A search (the scan page's "find someone", the "not arrived yet" list) shows people of the event, so it is a way
to copy the attendee list: 110 searches in 2.7 s returned 282 of 300 addresses (issue 31). So:

- **When**: on the event's day (`event_phase` is `day`); before it, organisers may preview it; desk accounts and
  device tokens get a refusal. After the day nobody searches the desk: the event is a record.
- **How fast**: a person at a desk types perhaps ten searches a minute. Each device (a device token, or one
  browser's staff session) may make DESK_SEARCH_RATE_LIMIT searches, each account DESK_SEARCH_ACCOUNT_RATE_LIMIT
  (higher: the shared desk account is logged in on several tablets). Counted in the rate-limit storage (Redis
  in production), so every worker sees the same count.
- **Audited in bulk**: not one entry per search (that would bury the log), but one entry per desk at each
  DESK_SEARCH_AUDIT_EVERY-th search of the day: "desk 2 made 20 searches (40 today)". The count lives in the
  rate-limit storage and restarts a day after the desk's first search. Simple, and it needs no table and no
  job that closes periods; what it leaves out is a desk's last few searches of the day (fewer than one batch).
"""

import datetime as dt
import math
from dataclasses import dataclass

from limits import RateLimitItem, parse_many
from limits.storage import Storage
from limits.strategies import MovingWindowRateLimiter

from eventapp.events.models import Event
from eventapp.events.phases import EventPhase, event_phase
from eventapp.platform.audit import audit
from eventapp.platform.db import DbSession
from eventapp.platform.staff.models import User

BEFORE_THE_DAY = frozenset({EventPhase.DRAFT, EventPhase.ANNOUNCED, EventPhase.REGISTRATION, EventPhase.CLOSED})
COUNT_SECONDS = 24 * 3600  # a desk's count of searches for the bulk audit restarts a day after its first


@dataclass(frozen=True)
class Searcher:
    """Who searches: the device (`device:<id>` or `browser:<staff session id>`), the account if any, the desk."""

    device_key: str
    user: User | None
    label: str

    @property
    def is_organiser(self) -> bool:
        return self.user is not None and self.user.is_organiser


class NotOnTheDay(Exception):
    """Search is for the day's event on its day (organisers: also before it)."""


class TooManySearches(Exception):
    """More searches than a person at a desk makes; `retry_after` seconds until the next is allowed."""

    def __init__(self, retry_after: int):
        super().__init__(retry_after)
        self.retry_after = retry_after


@dataclass(frozen=True)
class SearchLimits:
    counter: MovingWindowRateLimiter
    storage: Storage
    per_device: list[RateLimitItem]
    per_account: list[RateLimitItem]
    audit_every: int


def search_limits(storage: Storage, per_device: str, per_account: str, audit_every: int) -> SearchLimits:
    return SearchLimits(
        MovingWindowRateLimiter(storage), storage, parse_many(per_device), parse_many(per_account), audit_every
    )


def check_phase(event: Event, searcher: Searcher, now: dt.datetime) -> None:
    """Raise NotOnTheDay unless `searcher` may search `event` at `now`."""
    phase = event_phase(event, now)
    if phase == EventPhase.DAY or (phase in BEFORE_THE_DAY and searcher.is_organiser):
        return
    raise NotOnTheDay(phase)


def _counted(limits: SearchLimits, searcher: Searcher):
    yield from ((item, "desk-search-device", searcher.device_key) for item in limits.per_device)
    if searcher.user is not None:
        yield from ((item, "desk-search-account", str(searcher.user.id)) for item in limits.per_account)


def count_search(limits: SearchLimits, searcher: Searcher, now: dt.datetime) -> None:
    """One more search for the device and the account; TooManySearches (nothing counted) when a limit is full."""
    counted = list(_counted(limits, searcher))
    waits = []
    for item, scope, key in counted:
        if not limits.counter.test(item, scope, key):
            reset = limits.counter.get_window_stats(item, scope, key).reset_time
            waits.append(max(1, math.ceil(reset - now.timestamp())))
    if waits:
        raise TooManySearches(max(waits))
    for item, scope, key in counted:
        limits.counter.hit(item, scope, key)


def batch_closed(limits: SearchLimits, event: Event, searcher: Searcher) -> int | None:
    """Count the search for the desk's bulk audit: the day's count when it closes a batch, else None."""
    today = limits.storage.incr(f"desk-search-audit/{event.id}/{searcher.device_key}", COUNT_SECONDS)
    return None if today % limits.audit_every else today


def audit_batch(db_session: DbSession, limits: SearchLimits, event: Event, searcher: Searcher, today: int):
    """The bulk audit entry "desk X made 20 searches (40 today)" (the caller commits it)."""
    return audit(
        db_session,
        searcher.user,
        "desk.searches",
        event,
        desk=searcher.label,
        device=searcher.device_key,
        searches=limits.audit_every,
        today=today,
    )
