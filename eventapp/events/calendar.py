"""The day's program as calendar entries, for anyone's calendar."""

from eventapp.calendar.ics import Entry, calendar_uid
from eventapp.events.models import AgendaItem, Event
from eventapp.i18n import text_in


def program_entries(event: Event, language: str, url: str = "") -> list[Entry]:
    """Every agenda item of the day, for the public program calendar; a choice slot lists its sessions and rooms."""
    return [
        Entry(
            uid=calendar_uid("event", event.id, "item", item.id),
            starts_at=event.local_datetime(item.starts_at),
            ends_at=event.local_datetime(item.ends_at),
            summary=text_in(item, "title", language),
            location=text_in(event, "venue", language),
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
