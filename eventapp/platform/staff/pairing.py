"""Device tokens for an event and pairing a browser by QR: how long a token lasts, one-time pairing secrets.

A pairing secret is the part of the QR's link that makes a browser a desk device. It is valid for 15 minutes and
works once. The database keeps its SHA-256, and the device's token sealed with a key made from the secret: the
token is not stored in the clear (as for every device token), yet the browser that brings the secret gets it.
"""

import base64
import datetime as dt
import hashlib
import hmac
import secrets
from typing import Protocol
from zoneinfo import ZoneInfo

from sqlalchemy import select, update

from eventapp.platform.db import DbSession, rowcount
from eventapp.platform.staff.models import DevicePairing, DeviceToken
from eventapp.platform.staff.services import MAX_DEVICE_DAYS, AccountError, device_status, hash_token

PAIRING_VALID = dt.timedelta(minutes=15)
# How many days after the event's date a token for it still works: the whole next day (offline scans sent late).
DAYS_AFTER_EVENT = 1


class EventDay(Protocol):
    """What the validity rule reads of an event (eventapp.events.models.Event, which staff does not import)."""

    date: dt.date
    timezone: str


class PairingUnknown(LookupError):
    """No pairing has this secret (a mistyped or made-up link)."""


class PairingGone(LookupError):
    """The pairing was used, has expired, or its device token no longer works."""


def device_token_valid_until(event: EventDay | None, now: dt.datetime, default_days: int) -> dt.datetime:
    """When a new device token stops working, in UTC.

    For an event: at the end of the day after the event's date, in the event's own time zone (a token made weeks
    before the day still works on it). Without an event: `default_days` from now.
    """
    if event is None:
        return now + dt.timedelta(days=default_days)
    zone = ZoneInfo(event.timezone)
    end_day = event.date + dt.timedelta(days=DAYS_AFTER_EVENT + 1)
    # The local midnight that ends the day after the event; a DST change that week moves it in UTC, not locally.
    return dt.datetime.combine(end_day, dt.time(0, 0), tzinfo=zone).astimezone(dt.UTC)


def parse_valid_until(text: str, zone_name: str, now: dt.datetime) -> dt.datetime:
    """An ISO 8601 moment or date (a date: the end of that day) in UTC; without a zone, the event's is meant."""
    text = text.strip()
    try:
        if len(text) == 10:
            day = dt.date.fromisoformat(text)
            moment = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0, 0))
        else:
            moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as error:
        raise AccountError(f"{text!r} is not an ISO 8601 date or time, e.g. 2027-01-15 or 2027-01-15T18:00") from error
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(zone_name))
    moment = moment.astimezone(dt.UTC)
    if moment <= now:
        raise AccountError("the token would be expired already: give a moment in the future")
    if moment > now + dt.timedelta(days=MAX_DEVICE_DAYS):
        raise AccountError(f"a token lasts at most {MAX_DEVICE_DAYS} days")
    return moment


def _keystream(secret: str, length: int) -> bytes:
    """Bytes from HMAC-SHA256 keyed with the secret; each secret is random and seals one token only."""
    blocks = b"".join(
        hmac.new(secret.encode(), f"device-pairing:{counter}".encode(), hashlib.sha256).digest()
        for counter in range(length // 32 + 1)
    )
    return blocks[:length]


def seal(token: str, secret: str) -> str:
    data = token.encode()
    mixed = bytes(a ^ b for a, b in zip(data, _keystream(secret, len(data)), strict=True))
    return base64.urlsafe_b64encode(mixed).decode()


def unseal(sealed: str, secret: str) -> str:
    data = base64.urlsafe_b64decode(sealed.encode())
    return bytes(a ^ b for a, b in zip(data, _keystream(secret, len(data)), strict=True)).decode()


def start_pairing(
    db_session: DbSession, device: DeviceToken, token: str, now: dt.datetime
) -> tuple[DevicePairing, str]:
    """A pairing for a device just created (its token in hand); returns the row and the secret for the link."""
    secret = secrets.token_urlsafe(24)
    pairing = DevicePairing(
        device_id=device.id,
        secret_hash=hash_token(secret),
        sealed_token=seal(token, secret),
        created_at=now,
        expires_at=now + PAIRING_VALID,
    )
    db_session.add(pairing)
    db_session.flush()
    return pairing, secret


def pairing_for_secret(db_session: DbSession, secret: str, now: dt.datetime) -> DevicePairing:
    """The pairing a link names, still usable; PairingUnknown or PairingGone otherwise."""
    if not secret or len(secret) > 100:
        raise PairingUnknown(secret)
    pairing = db_session.scalar(select(DevicePairing).where(DevicePairing.secret_hash == hash_token(secret)))
    if pairing is None:
        raise PairingUnknown(secret)
    if pairing.used_at is not None or pairing.expires_at <= now or device_status(pairing.device, now) != "active":
        raise PairingGone(secret)
    return pairing


def use_pairing(db_session: DbSession, secret: str, now: dt.datetime) -> tuple[DeviceToken, str]:
    """Consume the pairing once: returns the device and its token for this browser.

    A guarded UPDATE: of two browsers confirming the same link at once, only one gets the token.
    """
    pairing = pairing_for_secret(db_session, secret, now)
    taken = db_session.execute(
        update(DevicePairing)
        .where(DevicePairing.id == pairing.id, DevicePairing.used_at.is_(None))
        .values(used_at=now, sealed_token="")
        .execution_options(synchronize_session=False)
    )
    if rowcount(taken) != 1:
        raise PairingGone(secret)
    token = unseal(pairing.sealed_token, secret)
    db_session.expire(pairing)
    return pairing.device, token
