"""What goes into one attendee's calendar.

An invitation (iTIP REQUEST or CANCEL, RFC 5546) carries one event: the person's afternoon, at the
venue, with their sessions, times and rooms in its description. Every later change updates that
same UID with a higher SEQUENCE. For people who want each session as an entry of its own there is
a separate PUBLISH file, with other UIDs, so it never fights with the invitation.
"""

import datetime as dt

from flask_babel import force_locale, format_datetime
from flask_babel import gettext as _

from eventapp.events.calendar import place
from eventapp.platform.calendar.ics import Entry, Person, build_calendar, calendar_uid
from eventapp.platform.i18n import LONG_DATE, text_in
from eventapp.platform.settings import settings
from eventapp.registration.models import Registration, RegistrationStatus


def invitation_entry(registration: Registration, language: str, url: str = "") -> Entry:
    """The person's afternoon as one event: the day's times, the venue, their sessions in the description."""
    event = registration.event
    with force_locale(language):
        lines = [_("Your sessions:")] if _seats(registration) else []
        if event.collects_preferences:
            lines.append(
                _(
                    "Your sessions are allocated on %(date)s; then you get an e-mail with them.",
                    date=format_datetime(event.preferences_deadline, LONG_DATE + ", HH:mm"),
                )
            )
        for slot, session in _seats(registration):
            room = text_in(session, "room", language)
            room = f" ({room})" if room else ""
            lines.append(f"{slot.starts_at:%H:%M}-{slot.ends_at:%H:%M} {text_in(session, 'title', language)}{room}")
        if url:
            lines += ["", _("Your personal page (to change or cancel): %(url)s", url=url)]
    return Entry(
        uid=calendar_uid("registration", registration.id, "day"),
        # Before the program has times, the whole date (as Event.ends_at reads it too).
        starts_at=event.local_datetime(event.day_starts_at or dt.time(0, 0)),
        ends_at=event.ends_at,
        summary=text_in(event, "title", language),
        location=place(event, language),
        description="\n".join(lines).strip(),
        url=url,
    )


def session_entries(registration: Registration, language: str, url: str = "") -> list[Entry]:
    """Each session the person has a seat in as an entry of its own, with its room."""
    event = registration.event
    title, venue = text_in(event, "title", language), place(event, language)
    return [
        Entry(
            uid=calendar_uid("registration", registration.id, "slot", slot.id),
            starts_at=event.local_datetime(slot.starts_at),
            ends_at=event.local_datetime(slot.ends_at),
            summary=f"{text_in(session, 'title', language)} ({title})",
            location=", ".join(part for part in (text_in(session, "room", language), venue) if part),
            description=text_in(session, "description", language),
            url=url,
        )
        for slot, session in _seats(registration)
    ]


def invitation_calendar(
    registration: Registration, language: str, now: dt.datetime, url: str = "", download: bool = False
) -> tuple[str, bytes]:
    """(method, calendar) of the person's latest invitation: REQUEST while confirmed, CANCEL once cancelled.

    The mail and the download both come from here, so both carry the same UID and SEQUENCE. A download
    is published (RFC 5546 PUBLISH names no attendee): a calendar files it as the same event.
    """
    method = "CANCEL" if registration.status == RegistrationStatus.CANCELLED else "REQUEST"
    if download:
        method = "PUBLISH"
    entry = invitation_entry(registration, language, "" if method == "CANCEL" else url)
    config = settings()
    return method, build_calendar(
        [entry],
        now,
        method=method,
        name=entry.summary,
        organizer=Person(config.organizer_name, config.organizer_email),
        attendee=None if download else Person(registration.name, registration.email),
        sequence=registration.calendar_sequence,
    )


def _seats(registration: Registration) -> list:
    """(slot, session) of each seat the person holds, in the order of the day."""
    seats = [
        (choice.agenda_item, choice.session)
        for choice in registration.choices
        if choice.status == RegistrationStatus.CONFIRMED
    ]
    return sorted(seats, key=lambda seat: seat[0].starts_at)
