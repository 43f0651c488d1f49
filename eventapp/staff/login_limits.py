"""Login limits that count failed attempts only, per account and per address: a shift logging in is never locked out.

A wrong password counts against the address it came from and the account it tried; a successful login counts
nothing. When a limit is full, the login answers how long to wait: until that limit's oldest failure leaves it.
"""

import datetime as dt
import math
from dataclasses import dataclass

from limits import RateLimitItem, parse_many
from limits.storage import Storage
from limits.strategies import MovingWindowRateLimiter


@dataclass(frozen=True)
class LoginLimits:
    """The limits (as "5 per minute; 20 per hour") and the counters' storage (the app's rate-limit storage)."""

    counter: MovingWindowRateLimiter
    per_address: list[RateLimitItem]
    per_account: list[RateLimitItem]


def login_limits(storage: Storage, per_address: str, per_account: str) -> LoginLimits:
    return LoginLimits(MovingWindowRateLimiter(storage), parse_many(per_address), parse_many(per_account))


def _counted(limits: LoginLimits, address: str, email: str):
    account = email.strip().lower()[:254]
    yield from ((item, "login-failures-address", address) for item in limits.per_address)
    yield from ((item, "login-failures-account", account) for item in limits.per_account)


def record_failure(limits: LoginLimits, address: str, email: str) -> None:
    """A wrong address or password: one more failure for the address and for the account tried."""
    for item, scope, key in _counted(limits, address, email):
        limits.counter.hit(item, scope, key)


def wait_seconds(limits: LoginLimits, address: str, email: str, now: dt.datetime) -> int | None:
    """None when a login may be tried; else the seconds until the fullest limit that was hit lets one through."""
    waits = []
    for item, scope, key in _counted(limits, address, email):
        if not limits.counter.test(item, scope, key):
            reset = limits.counter.get_window_stats(item, scope, key).reset_time
            waits.append(max(1, math.ceil(reset - now.timestamp())))
    return max(waits) if waits else None
