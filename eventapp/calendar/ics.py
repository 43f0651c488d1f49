"""Calendar files (.ics) of the program day: pure builders, event data in, bytes out."""

import datetime as dt
from dataclasses import dataclass

from icalendar import Calendar, vCalAddress, vText
from icalendar import Event as CalendarEvent

PRODID = "-//Jeugd en Veiligheid Oost-Nederland//eventapp//NL"


@dataclass(frozen=True)
class Entry:
    """One item in a calendar: a stable uid, wall-clock times in the event's zone, texts."""

    uid: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    summary: str
    location: str = ""
    description: str = ""
    url: str = ""


@dataclass(frozen=True)
class Person:
    """An organiser or attendee as a calendar names them."""

    name: str
    email: str


def build_calendar(
    entries: list[Entry],
    now: dt.datetime,
    method: str = "PUBLISH",
    name: str = "",
    organizer: Person | None = None,
    attendee: Person | None = None,
    sequence: int = 0,
) -> bytes:
    """A VCALENDAR with one VEVENT per entry and the VTIMEZONEs they need."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    if name:
        calendar.add("x-wr-calname", name)
    for entry in entries:
        calendar.add_component(_vevent(entry, now, method, organizer, attendee, sequence))
    calendar.add_missing_timezones()
    return calendar.to_ical()


def _vevent(entry: Entry, now, method, organizer, attendee, sequence) -> CalendarEvent:
    vevent = CalendarEvent()
    vevent.add("uid", entry.uid)
    vevent.add("dtstamp", now.astimezone(dt.UTC))
    vevent.add("dtstart", entry.starts_at)
    vevent.add("dtend", entry.ends_at)
    vevent.add("summary", entry.summary)
    vevent.add("sequence", sequence)
    vevent.add("status", "CANCELLED" if method == "CANCEL" else "CONFIRMED")
    vevent.add("transp", "OPAQUE")
    if entry.location:
        vevent.add("location", entry.location)
    if entry.description:
        vevent.add("description", entry.description)
    if entry.url:
        vevent.add("url", entry.url)
    if organizer is not None:
        vevent.add("organizer", _address(organizer, {"CN": organizer.name}))
    if attendee is not None:
        vevent.add(
            "attendee",
            _address(
                attendee, {"CN": attendee.name, "ROLE": "REQ-PARTICIPANT", "PARTSTAT": "ACCEPTED", "RSVP": "FALSE"}
            ),
        )
    return vevent


def _address(person: Person, params: dict) -> vCalAddress:
    address = vCalAddress(f"mailto:{person.email}")
    for key, value in params.items():
        address.params[key] = vText(value)
    return address
