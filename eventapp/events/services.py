"""Reading events for the public pages."""

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession
from sqlalchemy.orm import selectinload

from eventapp.events.models import AgendaItem, Event


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
