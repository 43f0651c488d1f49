"""Login limits that count failed attempts only, per account and per address: a shift logging in is never locked out.

A wrong password counts against the address it came from and the account it tried; a successful login counts
nothing. When a limit is full, the login answers how long to wait: until that limit's oldest failure leaves it.
An invitation link that does not work counts the same way, per address, in a counter of its own (guessing links).
With rate limiting switched off (EVENTAPP_RATELIMIT_ENABLED=false) there is no storage and nothing is counted.
"""

import datetime as dt
import math
from collections.abc import Iterator
from dataclasses import dataclass

from limits import RateLimitItem, parse_many
from limits.storage import Storage
from limits.strategies import MovingWindowRateLimiter


@dataclass(frozen=True)
class LoginLimits:
    """The limits (as "5 per minute; 20 per hour") and the counters' storage (the app's rate-limit storage)."""

    counter: MovingWindowRateLimiter | None  # None: limits switched off (the lists are empty then)
    per_address: list[RateLimitItem]
    per_account: list[RateLimitItem]


def login_limits(storage: Storage | None, per_address: str, per_account: str) -> LoginLimits:
    if storage is None:
        return LoginLimits(None, [], [])
    return LoginLimits(MovingWindowRateLimiter(storage), parse_many(per_address), parse_many(per_account))


# What a failure counts in: (limit, scope, key) for each limit it is counted against.
Counted = Iterator[tuple[RateLimitItem, str, str]]


def _counted(limits: LoginLimits, address: str, email: str) -> Counted:
    account = email.strip().lower()[:254]
    yield from ((item, "login-failures-address", address) for item in limits.per_address)
    yield from ((item, "login-failures-account", account) for item in limits.per_account)


def record_failure(limits: LoginLimits, address: str, email: str) -> None:
    """A wrong address or password: one more failure for the address and for the account tried."""
    _hit(limits, _counted(limits, address, email))


def wait_seconds(limits: LoginLimits, address: str, email: str, now: dt.datetime) -> int | None:
    """None when a login may be tried; else the seconds until the fullest limit that was hit lets one through."""
    return _wait(limits, _counted(limits, address, email), now)


def _link_counted(limits: LoginLimits, address: str) -> Counted:
    return ((item, "invitation-failures-address", address) for item in limits.per_address)


def record_link_failure(limits: LoginLimits, address: str) -> None:
    """An invitation link that is unknown, used or expired: one more failure for the address."""
    _hit(limits, _link_counted(limits, address))


def link_wait_seconds(limits: LoginLimits, address: str, now: dt.datetime) -> int | None:
    """None when an invitation link may be tried from this address; else the seconds to wait."""
    return _wait(limits, _link_counted(limits, address), now)


def _hit(limits: LoginLimits, counted: Counted) -> None:
    if limits.counter is None:  # switched off: there are no limits to count in
        return
    for item, scope, key in counted:
        limits.counter.hit(item, scope, key)


def _wait(limits: LoginLimits, counted: Counted, now: dt.datetime) -> int | None:
    if limits.counter is None:
        return None
    waits = []
    for item, scope, key in counted:
        if not limits.counter.test(item, scope, key):
            reset = limits.counter.get_window_stats(item, scope, key).reset_time
            waits.append(max(1, math.ceil(reset - now.timestamp())))
    return max(waits) if waits else None
