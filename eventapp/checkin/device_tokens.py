"""Device tokens for an event's desk: made on the devices page or by `flask create-device-token`.

The validity rule is eventapp.platform.staff.pairing.device_token_valid_until; this joins it to the events (which the
staff area, below them, cannot read).
"""

import datetime as dt

from sqlalchemy import select

from eventapp.events.models import Event
from eventapp.platform.db import DbSession
from eventapp.platform.staff import pairing, services
from eventapp.platform.staff.models import DeviceToken, User


def event_by_slug(db_session: DbSession, slug: str) -> Event:
    event = db_session.scalar(select(Event).where(Event.slug == slug.strip()))
    if event is None:
        raise services.AccountError(f"no event {slug.strip()!r}")
    return event


def create_desk_token(
    db_session: DbSession,
    name: str,
    created_by: User | None,
    now: dt.datetime,
    event: Event | None,
    default_days: int,
    days: int | None = None,
    valid_until: dt.datetime | None = None,
) -> tuple[DeviceToken, str]:
    """A device token for `event` (or none); it lasts until `valid_until`, `days`, or by the rule, in that order."""
    if valid_until is None and days is None:
        valid_until = pairing.device_token_valid_until(event, now, default_days)
    return services.create_device_token(
        db_session,
        name,
        created_by,
        now,
        days=days or default_days,
        event_id=event.id if event is not None else None,
        expires_at=valid_until,
    )
