"""The demo program day (demo_day.yaml), loaded by `flask seed-demo`."""

import datetime as dt
from importlib.resources import files
from zoneinfo import ZoneInfo

import yaml
from sqlalchemy import select

from eventapp.events.models import AgendaItem, Event, PilotContact, Session
from eventapp.platform.db import DbSession
from eventapp.questions.models import Question

THURSDAY = 3


def read_demo_day() -> dict:
    """The demo day's description, as shipped with the package."""
    return yaml.safe_load(files("eventapp.demo").joinpath("demo_day.yaml").read_text("utf-8"))


def demo_date(today: dt.date, weeks_ahead: int) -> dt.date:
    """The first Thursday at least `weeks_ahead` weeks after `today`, outside the Christmas holidays."""
    day = today + dt.timedelta(weeks=weeks_ahead)
    day += dt.timedelta(days=(THURSDAY - day.weekday()) % 7)
    while _in_christmas_holidays(day):
        day += dt.timedelta(weeks=1)
    return day


def _in_christmas_holidays(day: dt.date) -> bool:
    return (day.month == 12 and day.day >= 20) or (day.month == 1 and day.day <= 6)


def _time(text: str) -> dt.time:
    return dt.time.fromisoformat(text)


def build_demo_event(data: dict, now: dt.datetime, timezone: str) -> Event:
    """A new Event with its agenda and sessions; registration opens now and closes the evening before."""
    spec = data["event"]
    date = demo_date(now.astimezone(ZoneInfo(timezone)).date(), spec["weeks_ahead"])
    closes = dt.datetime.combine(date - dt.timedelta(days=1), dt.time(23, 59), ZoneInfo(timezone))
    event = Event(
        slug=spec["slug"],
        edition=spec["edition"],
        title_nl=spec["title_nl"],
        title_en=spec["title_en"],
        intro_nl=spec["intro_nl"].strip(),
        intro_en=spec["intro_en"].strip(),
        date=date,
        timezone=timezone,
        venue=spec["venue"],
        venue_en=spec["venue_en"],
        venue_address=spec.get("venue_address", ""),
        contact_email=spec.get("contact_email", ""),
        capacity=spec["capacity"],
        registration_opens_at=now,
        registration_closes_at=closes,
    )
    for item in data["agenda"]:
        agenda_item = AgendaItem(
            starts_at=_time(item["start"]),
            ends_at=_time(item["end"]),
            kind=item["kind"],
            title_nl=item["title_nl"],
            title_en=item["title_en"],
        )
        for position, spec in enumerate(data["sessions"].get(item.get("sessions"), [])):
            session = Session(position=position, **{k: v for k, v in spec.items() if k != "contacts"})
            session.contacts = [
                PilotContact(position=n, **contact) for n, contact in enumerate(spec.get("contacts", []))
            ]
            agenda_item.sessions.append(session)
        event.agenda_items.append(agenda_item)
    return event


def load_demo_day(db_session: DbSession, now: dt.datetime, timezone: str) -> Event | None:
    """Add the demo day unless an event with its slug exists; returns the new event or None."""
    data = read_demo_day()
    exists = db_session.scalar(select(Event.id).where(Event.slug == data["event"]["slug"]))
    if exists is not None:
        return None
    event = build_demo_event(data, now, timezone)
    db_session.add(event)
    db_session.flush()
    for position, spec in enumerate(data.get("questions", []), start=1):
        db_session.add(Question(event_id=event.id, position=position, created_at=now, **spec))
    db_session.flush()
    return event


FIRST_NAMES = [
    "Anouk",
    "Bram",
    "Daan",
    "Eva",
    "Fleur",
    "Joris",
    "Lotte",
    "Mehmet",
    "Noor",
    "Pieter",
    "Sanne",
    "Yusuf",
    "Ingrid",
    "Kees",
    "Fatima",
    "Ruud",
]
LAST_NAMES = [
    "de Vries",
    "Jansen",
    "van den Berg",
    "Bakker",
    "Huis in 't Veld",
    "Visser",
    "Smit",
    "Meijer",
    "de Boer",
    "Mulder",
    "Yılmaz",
    "van der Plaat",
]
ORGANISATIONS = [  # name, kind of organisation
    ("Gemeente Enschede", "municipality"),
    ("Gemeente Almelo", "municipality"),
    ("Gemeente Zwolle", "municipality"),
    ("Gemeente Ede", "municipality"),
    ("Politie Oost-Nederland", "police"),
    ("HALT Oost-Nederland", "halt"),
    ("Raad voor de Kinderbescherming", "child_protection"),
    ("Openbaar Ministerie Oost-Nederland", "public_prosecution"),
    ("Jeugdbescherming Gelderland", "youth_protection"),
    ("Thorbecke VMBO PRO", "education"),
    ("Reclassering Nederland", "probation"),
    ("Tactus Verslavingszorg", "youth_care"),
]
ROLES = ["Beleidsadviseur", "Wijkagent", "Jeugdconsulent", "Officier van justitie", "Teamleider", "Zorgcoördinator", ""]


def demo_people(count: int) -> list[dict]:
    """Fictional attendees (the same every time), spread over organisations and sessions."""
    people = []
    for number in range(count):
        first, last = FIRST_NAMES[number % len(FIRST_NAMES)], LAST_NAMES[(number * 5) % len(LAST_NAMES)]
        people.append(
            {
                "name": f"{first} {last}",
                "email": f"demo{number + 1}@example.org",
                "organisation": ORGANISATIONS[number % len(ORGANISATIONS)][0],
                "organisation_type": ORGANISATIONS[number % len(ORGANISATIONS)][1],
                "role": ROLES[number % len(ROLES)],
                "theme": (number * 3) % 4,
                "pilot": (number * 7) % 4,
            }
        )
    return people


# Demo answers to the two demo questions, so the summary shows figures: (every n-th person, from person k) -> options.
DIETS = [
    (4, 0, ["vegetarian"]),
    (7, 3, ["vegan"]),
    (8, 1, ["halal"]),
    (12, 5, ["gluten-free"]),
    (16, 2, ["lactose-free", "vegetarian"]),
    (24, 9, ["nut-allergy"]),
    (48, 13, ["kosher"]),
]
OTHER_DIETS = {10: "Geen varkensvlees", 22: "No raw onion, please"}
ACCESS_NEEDS = {
    6: "Ik kom met een rolstoel; graag een plek aan het gangpad.",
    17: "A hearing loop in the rooms, if there is one.",
    30: "Een rustige plek om even te zitten in de pauze.",
}


def demo_answers(number: int) -> dict[str, dict]:
    """The demo person's answers by question label (English): text and chosen option keys."""
    choices = [key for every, start, keys in DIETS if number % every == start for key in keys]
    answers = {}
    if number in OTHER_DIETS:
        choices.append("other")
    if choices:
        answers["Dietary requirements"] = {"choices": list(dict.fromkeys(choices)), "text": OTHER_DIETS.get(number, "")}
    if number in ACCESS_NEEDS:
        answers["Accessibility needs"] = {"choices": [], "text": ACCESS_NEEDS[number]}
    return answers
