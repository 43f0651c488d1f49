"""Calendar files (.ics) of the program day: pure builders, event data in, bytes out."""

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from flask import Response
from icalendar import Calendar, Timezone, vCalAddress, vDuration, vText
from icalendar import Event as CalendarEvent

from eventapp.platform.settings import settings

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


def calendar_uid(*parts) -> str:
    """A globally unique, stable UID: the parts joined, at the app's calendar domain."""
    return "-".join(str(part) for part in parts) + "@" + settings().calendar_uid_domain


def build_calendar(
    entries: list[Entry],
    now: dt.datetime,
    method: str = "PUBLISH",
    name: str = "",
    organizer: Person | None = None,
    attendee: Person | None = None,
    sequence: int = 0,
    refresh: dt.timedelta | None = None,
) -> bytes:
    """A VCALENDAR with one VEVENT per entry and the VTIMEZONEs they need.

    `refresh` tells a subscribed calendar app how often to fetch it again (RFC 7986, and Outlook's own name).
    """
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    if name:
        calendar.add("x-wr-calname", name)
    if refresh is not None:
        calendar.add("refresh-interval", refresh, parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", vDuration(refresh))
    for timezone in _timezones(entries):
        calendar.add_component(timezone)
    for entry in entries:
        calendar.add_component(_vevent(entry, now, method, organizer, attendee, sequence))
    return calendar.to_ical()


def _timezones(entries: list[Entry]) -> list[Timezone]:
    """A VTIMEZONE per zone used, spanning only the years around the entries.

    The default span (1970-2038) makes a list of hundreds of transition dates that some
    readers get wrong (vobject reads summer times an hour off); a short span reads right
    everywhere and keeps mails small.
    """
    zones: dict[str, tuple[dt.date, dt.date]] = {}
    for entry in entries:
        for moment in (entry.starts_at, entry.ends_at):
            key = _zone_name(moment)
            first, last = zones.get(key, (moment.date(), moment.date()))
            zones[key] = (min(first, moment.date()), max(last, moment.date()))
    return [
        Timezone.from_tzid(key, first_date=dt.date(first.year - 1, 1, 1), last_date=dt.date(last.year + 2, 1, 1))
        for key, (first, last) in sorted(zones.items())
    ]


def _zone_name(moment: dt.datetime) -> str:
    """The IANA name of a moment's zone: an entry's times are wall-clock times in the event's ZoneInfo."""
    if not isinstance(moment.tzinfo, ZoneInfo):
        raise ValueError(f"a calendar entry's time needs a ZoneInfo zone, not {moment.tzinfo!r}")
    return moment.tzinfo.key


def _vevent(
    entry: Entry, now: dt.datetime, method: str, organizer: Person | None, attendee: Person | None, sequence: int
) -> CalendarEvent:
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


def _address(person: Person, params: dict[str, str]) -> vCalAddress:
    address = vCalAddress(f"mailto:{person.email}")
    for key, value in params.items():
        address.params[key] = vText(value)
    return address


def google_calendar_url(entry: Entry) -> str:
    """Google Calendar's "add event" page filled with the entry (times in UTC, shown in the entry's zone)."""
    utc = "%Y%m%dT%H%M%SZ"
    dates = f"{entry.starts_at.astimezone(dt.UTC):{utc}}/{entry.ends_at.astimezone(dt.UTC):{utc}}"
    query = {"action": "TEMPLATE", "text": entry.summary, "dates": dates, "ctz": _zone_name(entry.starts_at)}
    query |= {"details": entry.description, "location": entry.location}
    return "https://calendar.google.com/calendar/render?" + urlencode(query)


def outlook_calendar_url(entry: Entry) -> str:
    """Outlook.com's "new event" page filled with the entry (times with their UTC offset)."""
    query = {"path": "/calendar/action/compose", "rru": "addevent", "subject": entry.summary}
    query |= {"startdt": entry.starts_at.isoformat(), "enddt": entry.ends_at.isoformat()}
    query |= {"body": entry.description, "location": entry.location}
    return "https://outlook.live.com/calendar/0/deeplink/compose?" + urlencode(query)


def ics_response(body: bytes, filename: str) -> Response:
    """A calendar file download (never kept by a cache: it may be someone's own day)."""
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response
