"""What goes into one attendee's calendar: their day and their sessions, or the cancellation of them."""

from eventapp.calendar.ics import Entry, calendar_uid
from eventapp.i18n import text_in
from eventapp.registration.models import Registration, RegistrationStatus


def attendee_entries(registration: Registration, language: str, url: str = "") -> list[Entry]:
    """The day as a whole, and each session the person has a seat in, with its room."""
    event = registration.event
    title = text_in(event, "title", language)
    entries = [
        Entry(
            uid=calendar_uid("registration", registration.id, "day"),
            starts_at=event.local_datetime(event.day_starts_at),
            ends_at=event.local_datetime(event.day_ends_at),
            summary=title,
            location=event.venue,
            description=text_in(event, "intro", language),
            url=url,
        )
    ]
    for choice in registration.choices:
        if choice.status != RegistrationStatus.CONFIRMED:
            continue
        session, slot = choice.session, choice.agenda_item
        entries.append(
            Entry(
                uid=calendar_uid("registration", registration.id, "slot", slot.id),
                starts_at=event.local_datetime(slot.starts_at),
                ends_at=event.local_datetime(slot.ends_at),
                summary=f"{text_in(session, 'title', language)} ({title})",
                location=", ".join(part for part in (session.room, event.venue) if part),
                description=text_in(session, "description", language),
                url=url,
            )
        )
    return entries


def cancelled_entries(registration: Registration, language: str) -> list[Entry]:
    """Every uid the person's invitations may have used: the day and each choice slot."""
    event = registration.event
    entries = [
        Entry(
            uid=calendar_uid("registration", registration.id, "day"),
            starts_at=event.local_datetime(event.day_starts_at),
            ends_at=event.local_datetime(event.day_ends_at),
            summary=text_in(event, "title", language),
            location=event.venue,
        )
    ]
    for slot in event.agenda_items:
        if slot.is_choice:
            entries.append(
                Entry(
                    uid=calendar_uid("registration", registration.id, "slot", slot.id),
                    starts_at=event.local_datetime(slot.starts_at),
                    ends_at=event.local_datetime(slot.ends_at),
                    summary=text_in(slot, "title", language),
                    location=event.venue,
                )
            )
    return entries
