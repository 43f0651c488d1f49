"""The day's program as calendar entries, for anyone's calendar."""

from sqlalchemy import select

from eventapp.events.models import AgendaItem, Event
from eventapp.platform.audit import AuditEntry
from eventapp.platform.calendar.ics import Entry, calendar_uid
from eventapp.platform.db import DbSession
from eventapp.platform.i18n import text_in

# The organiser's changes to the day's program, as the audit log names them (its creation is revision 0).
PROGRAM_CHANGES = (
    "event.changed",
    "agenda.created",
    "agenda.changed",
    "agenda.deleted",
    "session.created",
    "session.changed",
    "session.deleted",
    "session.cancelled",
)


def program_entries(event: Event, language: str, url: str = "") -> list[Entry]:
    """Every agenda item of the day, for the public program calendar; a choice slot lists its sessions and rooms."""
    return [
        Entry(
            uid=calendar_uid("event", event.id, "item", item.id),
            starts_at=event.local_datetime(item.starts_at),
            ends_at=event.local_datetime(item.ends_at),
            summary=text_in(item, "title", language),
            location=place(event, language),
            description=_sessions(item, language),
            url=url,
        )
        for item in event.agenda_items
    ]


def _sessions(item: AgendaItem, language: str) -> str:
    return "\n".join(
        text_in(session, "title", language) + (f" ({room})" if (room := text_in(session, "room", language)) else "")
        for session in item.sessions
    )


def program_sequence(db_session: DbSession, event: Event) -> int:
    """The public program calendar's SEQUENCE: how often the organiser changed the program.

    Counted in the audit log, which keeps each change (a change the organiser did not confirm was rolled back
    with its entry), so it only rises, as RFC 5545 asks, without a counter of its own. A save that changed
    nothing does not count.
    """
    details = db_session.scalars(
        select(AuditEntry.details).where(AuditEntry.event_id == event.id, AuditEntry.action.in_(PROGRAM_CHANGES))
    )
    return sum(1 for detail in details if detail.get("changes", True))


def place(event: Event, language: str) -> str:
    """The venue with its street address, as a calendar's LOCATION: a map or route planner finds it."""
    return ", ".join(part for part in (text_in(event, "venue", language), event.venue_address) if part)
