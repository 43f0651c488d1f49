"""Reading events: the lookups every page of an event shares, and the event's set-up rules."""

import datetime as dt
from zoneinfo import ZoneInfo

from flask import abort, current_app
from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession
from sqlalchemy.orm import selectinload

from eventapp.events.models import AgendaItem, Event
from eventapp.extensions import db


def upcoming_events(db_session: DbSession, today: dt.date) -> list[Event]:
    """Events on or after `today`, soonest first."""
    return list(db_session.scalars(select(Event).where(Event.date >= today).order_by(Event.date)))


def event_with_program(db_session: DbSession, slug: str) -> Event | None:
    """The event with its agenda and sessions loaded in a fixed number of queries."""
    return db_session.scalar(
        select(Event)
        .where(Event.slug == slug)
        .options(selectinload(Event.agenda_items).selectinload(AgendaItem.sessions))
    )


def choice_slots(event: Event) -> list[AgendaItem]:
    """The agenda items in which an attendee picks one session, in order."""
    return [item for item in event.agenda_items if item.is_choice]


def get_event_or_404(slug: str) -> Event:
    """The event with its program, or a 404 page: the lookup every page of an event starts with."""
    event = event_with_program(db.session, slug)
    if event is None:
        abort(404)
    return event


def today_local() -> dt.date:
    """Today in the organisers' time zone."""
    return dt.datetime.now(ZoneInfo(current_app.config["EVENT_TIMEZONE"])).date()
