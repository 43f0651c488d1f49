"""The demo's previous edition: the same programme half a year earlier, with people who came, went through the
session doors and gave feedback, so the event report has figures to show and to compare with."""

import datetime as dt
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select

from eventapp.checkin import services as checkin
from eventapp.checkin.attended import attended_sessions
from eventapp.demo.day import build_demo_event, demo_people, read_demo_day
from eventapp.events.models import Event
from eventapp.events.services import choice_slots
from eventapp.feedback import services as feedback
from eventapp.platform.db import DbSession
from eventapp.platform.mail.models import OutgoingMail
from eventapp.platform.staff.access import Actor
from eventapp.registration.models import Registration
from eventapp.registration.services import PersonDetails, register

WEEKS_EARLIER = 26
DESK = Actor(user=None, device=None, desk="Balie")
# In Dutch, as the attendees of a Dutch program day write them: the feedback pages show them as written.
COMMENTS = [
    "Bruikbare casussen uit de praktijk",
    "Te weinig tijd voor vragen",
    "",
    "Goede mix van partners uit de keten",
    "Ik had graag meer gehoord over de rol van de school",
    "",
    "Duidelijke spreker, praktische voorbeelden",
]
WISHES = [
    "Meer tijd om de andere partners te spreken",
    "De dia's vooraf sturen",
    "",
    "Een rustigere ruimte voor de pauze",
    "",
]


def load_previous_edition(db_session: DbSession, event: Event, count: int, now: dt.datetime) -> Event | None:
    """Add edition N-1 of the demo day (unless its slug exists), and record `event` as copied from it."""
    if event.edition is None:
        raise ValueError(f"{event.slug} has no edition number: no edition before it to add")
    data = read_demo_day()
    slug = f"{data['event']['slug'].rpartition('-')[0]}-{event.edition - 1}"
    if db_session.scalar(select(Event.id).where(Event.slug == slug)) is not None:
        return None
    previous = build_demo_event(data, now, event.timezone)
    previous.slug, previous.edition = slug, event.edition - 1
    previous.date = event.date - dt.timedelta(weeks=WEEKS_EARLIER)
    zone = ZoneInfo(event.timezone)
    previous.registration_opens_at = dt.datetime.combine(previous.date - dt.timedelta(days=42), dt.time(9), zone)
    previous.registration_closes_at = dt.datetime.combine(previous.date - dt.timedelta(days=1), dt.time(23, 59), zone)
    db_session.add(previous)
    db_session.flush()
    event.copied_from_id = previous.id
    people = _register(db_session, previous, count)
    _the_day(db_session, previous, people)
    db_session.execute(delete(OutgoingMail).where(OutgoingMail.registration_id.in_([p.id for p in people])))
    _feedback(db_session, previous, people, now)
    return previous


def _register(db_session: DbSession, event: Event, count: int) -> list[Registration]:
    """The demo people, registering over the six weeks before the day (most of them in the first and last week)."""
    slots = choice_slots(event)
    people = []
    for number, person in enumerate(demo_people(count)):
        days_before = (1, 2, 3, 5, 8, 13, 21, 34, 40, 41)[number % 10]
        moment = event.registration_closes_at - dt.timedelta(days=days_before, hours=number % 7)
        details = PersonDetails(
            person["name"], person["email"], person["organisation"], person["role"], "nl", person["organisation_type"]
        )
        choices = {
            slots[0].id: slots[0].sessions[(person["theme"] + 1) % 4].id,
            slots[1].id: slots[1].sessions[person["pilot"]].id,
        }
        people.append(register(db_session, event, details, choices, "demo", moment, claimed=True))
    return people


def _the_day(db_session: DbSession, event: Event, people: list[Registration]) -> None:
    """Most came during the walk-in (every eighth did not); the desk scanned at the theme sessions' doors only,
    and a few went into another theme session than the one they chose."""
    zone = ZoneInfo(event.timezone)
    theme = choice_slots(event)[0]
    if event.day_starts_at is None:
        raise ValueError(f"{event.slug} has no program: no walk-in to arrive at")
    walk_in = dt.datetime.combine(event.date, event.day_starts_at, zone)
    door = dt.datetime.combine(event.date, theme.starts_at, zone) - dt.timedelta(minutes=5)
    for number, person in enumerate(people):
        if number % 8 == 7:
            continue
        arrival = walk_in + dt.timedelta(minutes=(number * 7) % 33 - 3, seconds=number * 13 % 60)
        checkin.check_in(db_session, event, person, DESK, arrival, scanned_at=arrival)
        chosen = next(c.session for c in person.choices if c.agenda_item_id == theme.id)
        session = theme.sessions[(theme.sessions.index(chosen) + 1) % 4] if number % 11 == 5 else chosen
        checkin.admit_to_session(db_session, event, session, person, DESK, door, admit_anyway=True, scanned_at=door)


def _feedback(db_session: DbSession, event: Event, people: list[Registration], now: dt.datetime) -> None:
    """Feedback from about two in three of those who came."""
    for number, person in enumerate(people):
        if number % 8 == 7 or number % 3 == 2:
            continue
        sessions = attended_sessions(db_session, person)
        answers = feedback.Answers(
            day_score=(4, 5, 3, 4, 2)[number % 5],
            different=WISHES[number % len(WISHES)],
            sessions={
                s.id: ((3, 4, 5, 4, 2, 5, 4)[(number + s.id) % 7], COMMENTS[(number * 3 + s.id) % len(COMMENTS)])
                for s in sessions
            },
        )
        feedback.save(db_session, person, answers, now)
