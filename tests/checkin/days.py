"""Putting a test's event on its day: desk search works on the event's day only (eventapp.checkin.desk_search)."""

import datetime as dt
from zoneinfo import ZoneInfo

from sqlalchemy import select

from eventapp.events.models import Event
from eventapp.platform.db import utcnow
from eventapp.platform.extensions import db


def on_the_day(event: Event) -> Event:
    """Make today (in the event's zone) the event's day, its last agenda item running until 23:59, so that
    `event_phase` says `day` at any hour of the test run but the last minute. People sign up before (registration
    is closed on the day); the caller commits."""
    event.date = utcnow().astimezone(ZoneInfo(event.timezone)).date()
    last = max(event.agenda_items, key=lambda item: item.ends_at)
    last.ends_at = dt.time(23, 59)
    return event


def earlier_on_the_day(event: Event, by: dt.timedelta) -> dt.datetime:
    """A moment `by` ago, but not before today's local midnight: an offline scan made on the day also when the
    test runs just after midnight in the event's zone."""
    now = utcnow()
    midnight = dt.datetime.combine(event.date, dt.time(0, 0), ZoneInfo(event.timezone)).astimezone(dt.UTC)
    return max(now - by, midnight)


def slug_on_the_day(app, slug: str) -> None:
    """`on_the_day` for the event with this slug, committed (for tests against a served app or the test client)."""
    with app.app_context():
        on_the_day(db.session.scalar(select(Event).where(Event.slug == slug)))
        db.session.commit()
