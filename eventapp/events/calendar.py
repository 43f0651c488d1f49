"""The day's program as calendar entries, for anyone's calendar."""

from eventapp.calendar.ics import Entry, calendar_uid
from eventapp.events.models import Event
from eventapp.i18n import text_in


def program_entries(event: Event, language: str, url: str = "") -> list[Entry]:
    """Every agenda item of the day, for the public program calendar."""
    return [
        Entry(
            uid=calendar_uid("event", event.id, "item", item.id),
            starts_at=event.local_datetime(item.starts_at),
            ends_at=event.local_datetime(item.ends_at),
            summary=text_in(item, "title", language),
            location=event.venue,
            url=url,
        )
        for item in event.agenda_items
    ]
