"""The organiser's part of the day, through the organiser's pages: set-up, a room change, the release, messages."""

import datetime as dt
import re
from dataclasses import dataclass, field

from eventapp.simulation.forms import form_to
from eventapp.simulation.traffic import Browser, SimulationError

THEMES = ("Preventie", "Repressie", "Jeugd in detentie en zorg", "Nazorg")
THEMES_EN = ("Prevention", "Repression", "Youth in Detention and Care", "Aftercare")
PILOTS = (
    "Early Warning Twente",
    "Dashboard Twente",
    "Veilig in en om de school Zwolle (VIOS)",
    "Omgevingsadvies 2.0 Ede",
)
PILOTS_EN = (
    "Early Warning Twente",
    "Dashboard Twente",
    "Safe in and around School Zwolle (VIOS)",
    "Environmental Advice 2.0 Ede",
)
AGENDA = (
    ("13:30", "14:00", "plenary", "Inloop", "Walk-in"),
    ("14:00", "14:20", "plenary", "Welkom", "Welcome"),
    ("14:20", "15:15", "choice", "Themasessies", "Theme sessions"),
    ("15:15", "15:30", "plenary", "Pauze", "Break"),
    ("15:30", "16:20", "choice", "Pilotsessies", "Pilot sessions"),
    ("16:20", "16:30", "plenary", "Afsluiting", "Closure"),
    ("16:30", "17:30", "plenary", "Netwerkborrel", "Networking drinks"),
)
# Demand is skewed: the first theme is what most people want, in the smallest room.
SHARE_OF_SEATS = (0.15, 0.3, 0.3, 0.35)
SLOT_LINK = re.compile(r"/organiser/e/[^/]+/slot/(\d+)/sessions/new")
SESSION_LINK = re.compile(r"/organiser/e/[^/]+/sessions/(\d+)\"")
TOKEN = re.compile(r"Authorization: Bearer ([A-Za-z0-9_\-]+)")


@dataclass
class Day:
    slug: str
    date: dt.date
    capacity: int
    slots: list[int] = field(default_factory=list)  # the two choice parts' agenda item ids
    sessions: dict[int, list[int]] = field(default_factory=dict)  # slot id -> its session ids


def local(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M")


def set_up_day(
    organiser: Browser, slug: str, date: dt.date, people: int, opens: dt.datetime, closes: dt.datetime
) -> Day:
    """A new day with its agenda, two choice parts of four sessions each, and three questions."""
    day = Day(slug, date, capacity=int(people * 0.9))
    organiser.submit(
        "/organiser/events/new",
        slug=slug,
        edition="7",
        title_nl="Programmadag Jeugd en Veiligheid",
        title_en="Youth and Safety programme day",
        date=date.isoformat(),
        venue="Stadhuis Zwolle",
        venue_address="Grote Kerkplein 15, 8011 PK Zwolle",
        contact_email="programma@jeugdenveiligheid.example.nl",
        capacity=str(day.capacity),
        registration_opens_at=local(opens),
        registration_closes_at=local(closes),
    )
    for starts, ends, kind, title_nl, title_en in AGENDA:
        organiser.submit(
            f"/organiser/e/{slug}/agenda/new",
            starts_at=starts,
            ends_at=ends,
            kind=kind,
            title_nl=title_nl,
            title_en=title_en,
        )
    day.slots = [int(item) for item in SLOT_LINK.findall(organiser.get(f"/organiser/e/{slug}/setup").text)]
    if len(day.slots) != 2:
        raise SimulationError(f"the set-up page shows {len(day.slots)} choice parts, not 2")
    for slot, (titles, titles_en) in zip(day.slots, ((THEMES, THEMES_EN), (PILOTS, PILOTS_EN)), strict=True):
        for number, (title, title_en) in enumerate(zip(titles, titles_en, strict=True)):
            contact = (
                f"Contact {number} | Gemeente Zwolle | pilot{number}@zwolle.example.nl | nl"
                if slot == day.slots[1]
                else ""
            )
            organiser.submit(
                f"/organiser/e/{slug}/slot/{slot}/sessions/new",
                title_nl=title,
                title_en=title_en,
                room=f"Zaal {number + 1}",
                room_en=f"Room {number + 1}",
                position=str(number),
                capacity=str(max(2, int(day.capacity * SHARE_OF_SEATS[number]))),
                contacts_text=contact,
            )
    sessions = [int(found) for found in SESSION_LINK.findall(organiser.get(f"/organiser/e/{slug}/setup").text)]
    day.sessions = {day.slots[0]: sessions[:4], day.slots[1]: sessions[4:8]}
    add_questions(organiser, slug)
    return day


def add_questions(organiser: Browser, slug: str) -> None:
    page = f"/organiser/e/{slug}/questions"
    organiser.submit(page, label_nl="Wat is uw functie?", label_en="What is your role?", kind="short_text")
    organiser.submit(
        page,
        label_nl="Dieetwensen",
        label_en="Dietary needs",
        kind="one_choice",
        options_text="Geen | None\nVegetarisch | Vegetarian\nHalal | Halal",
        required="y",
        sensitive="y",
    )
    organiser.submit(
        page, label_nl="Wilt u de presentaties ontvangen?", label_en="Would you like the slides?", kind="yes_no"
    )


def preference_mode(organiser: Browser, slug: str, deadline: dt.datetime) -> None:
    organiser.submit(
        f"/organiser/e/{slug}/allocation", "/allocation/mode", mode="preferences", deadline=local(deadline)
    )


def device_token(organiser: Browser, name: str, days: int) -> str:
    response = organiser.submit(
        "/organiser/devices/", "/organiser/devices/", expect=(200, 201, 302), name=name, days=str(days)
    )
    if response.status_code == 302:
        response = organiser.get(response.headers["Location"])
    found = TOKEN.search(response.text)
    if not found:
        raise SimulationError("the devices page did not show the new token")
    return found.group(1)


def change_room(organiser: Browser, slug: str, session_id: int, room: str) -> None:
    """A room change, confirmed with 'send the calendar update' when the page asks for it."""
    page = f"/organiser/e/{slug}/sessions/{session_id}"
    answer = organiser.submit(page, expect=(200, 302), room=room, room_en=room)
    if answer.status_code == 200:
        organiser.submit(page, room=room, room_en=room, send_calendar_update="yes")


def message_everyone(organiser: Browser, slug: str, subject: str, body: str) -> None:
    """A follow-up message: previewed first, then sent with the preview's count, as the page requires."""
    page = f"/organiser/e/{slug}/message"
    found, target = organiser.form(page)
    audience = found.options.get("audience", [found.fields.get("audience", "")])[0]
    preview = organiser.post(target, data=found.filled(audience=audience, subject=subject, body=body, action="preview"))
    if preview.status_code != 200:
        raise SimulationError(f"the message preview answered {preview.status_code}")
    confirm = form_to(preview.text, "/message", target)
    sent = organiser.post(target, data=confirm.filled(action="send"))
    if sent.status_code not in (302, 303):
        raise SimulationError(f"sending the message answered {sent.status_code}")
