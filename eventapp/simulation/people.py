"""The people of the day: who they are, and what they do with the registration form, their mail and personal page."""

import io
import random
import re
import time
from dataclasses import dataclass, field

from eventapp.simulation.stage import SmtpSink
from eventapp.simulation.traffic import Browser, SimulationError

FIRST = (
    "Anouk",
    "Daan",
    "Fleur",
    "Jeroen",
    "Sanne",
    "Bram",
    "Eva",
    "Thijs",
    "Lotte",
    "Ruben",
    "Noor",
    "Sem",
    "Iris",
    "Kees",
    "Yara",
    "Mohamed",
    "Fatima",
    "Joost",
    "Marieke",
    "Teun",
)
LAST = (
    "de Vries",
    "Jansen",
    "van den Berg",
    "Bakker",
    "Visser",
    "Smit",
    "Meijer",
    "de Boer",
    "Mulder",
    "van der Plaat",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "van Dijk",
    "Kaya",
    "El Amrani",
    "Oudendijk-Hoekstra",
)
ORGANISATIONS = (
    "Gemeente Enschede",
    "Gemeente Zwolle",
    "Politie Oost-Nederland",
    "Raad voor de Kinderbescherming",
    "Openbaar Ministerie",
    "HALT Oost-Nederland",
    "Jeugdzorg Twente",
    "Stichting Carinova",
    "Gemeente Ede",
    "Veiligheidshuis IJsselland",
    "Saxion Hogeschool",
)
MANAGE_LINK = re.compile(r"/r/([A-Za-z0-9_\-]{20,})")


@dataclass
class Person:
    number: int
    name: str
    email: str
    organisation: str
    language: str
    token: str = ""
    code: str = ""
    mails_seen: int = 0
    cancelled: bool = False
    erased: bool = False
    notes: dict = field(default_factory=dict)


def crowd(count: int, seed: int) -> list[Person]:
    """`count` people, a third writing in English; some share a name (desks must tell them apart)."""
    chance = random.Random(seed)
    people = []
    for number in range(count):
        first, last = chance.choice(FIRST), chance.choice(LAST)
        slug = re.sub(r"[^a-z]", "", f"{first}{last}".lower())
        people.append(
            Person(
                number,
                f"{first} {last}",
                f"{slug}.{number}@deelnemer.example.nl",
                chance.choice(ORGANISATIONS),
                "en" if chance.random() < 0.33 else "nl",
            )
        )
    return people


def register(browser: Browser, page: str, person: Person, chance: random.Random, ranked: bool) -> int:
    """The registration form (or the desk's walk-in form) as the person fills it: details, questions, sessions."""
    found, target = browser.form(page, page.split("?")[0])
    values = {
        "name": person.name,
        "email": person.email,
        "organisation": person.organisation,
        "language": person.language,
        "consent": "y",
    }
    kinds = [value for value in found.options.get("organisation_type", []) if value]
    values["organisation_type"] = chance.choice(kinds)
    for name, options in found.options.items():
        if name.startswith("choice_"):
            # Most want the first theme: it fills, and later people are placed or wait as the app decides.
            values[name] = options[0] if chance.random() < 0.5 else chance.choice(options)
            # Some name a second choice to sit in while they wait for a full first one (fallbacks.py).
            second = f"second_{name.removeprefix('choice_')}"
            others = [option for option in found.options.get(second, []) if option and option != values[name]]
            if others and chance.random() < 0.3:
                values[second] = chance.choice(others)
        elif name.startswith("question_"):
            values[name] = chance.choice([option for option in options if option] or [""])
    for name in found.fields:
        if name.startswith("question_") and name not in values and not name.endswith("_other"):
            values[name] = "Beleidsadviseur" if person.language == "nl" else "Policy adviser"
    if ranked:
        values.update(ranking(found.options, chance))
    person.notes["choices"] = {
        int(value)
        for name, value in values.items()
        if name.startswith(("choice_", "rank_")) and value and (name.startswith("choice_") or name.endswith("_1"))
    }
    return browser.post(target, data=found.filled(**values)).status_code


def ranking(options: dict[str, list[str]], chance: random.Random) -> dict[str, str]:
    """A full ranking per part: each rank field of a part gets a different session."""
    parts: dict[str, list[str]] = {}
    for name in sorted(options):
        if name.startswith("rank_"):
            parts.setdefault(name.rsplit("_", 1)[0], []).append(name)
    chosen: dict[str, str] = {}
    for fields in parts.values():
        sessions = [value for value in options[fields[0]] if value]
        weights = [4 if index == 0 else 1 for index in range(len(sessions))]
        order = sorted(sessions, key=lambda session: -chance.random() * weights[sessions.index(session)])
        chosen.update(zip(sorted(fields), order, strict=False))
    return chosen


def read_new_mail(sink: SmtpSink, person: Person, timeout: float = 90) -> list:
    """The mails that reached the person since last read (at least one, or the run stops)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        mails = sink.to(person.email)
        if len(mails) > person.mails_seen:
            new, person.mails_seen = mails[person.mails_seen :], len(mails)
            return new
        time.sleep(0.1)
    raise SimulationError(f"no mail reached {person.email} within {timeout:.0f} s")


def learn_from_mail(person: Person, mails: list) -> None:
    """The personal link from the mail's text, and the ticket's code from its QR image (decoded, as a scanner)."""
    for mail in mails:
        text = mail.message.get_body(("plain",)).get_content()
        found = MANAGE_LINK.search(text)
        if found:
            person.token = found.group(1)
        for part in mail.message.walk():
            if part.get_content_type() == "image/png":
                person.code = decode_qr(part.get_content()) or person.code


def decode_qr(png: bytes) -> str:
    import zxingcpp
    from PIL import Image

    found = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    return found[0].text if found else ""


def personal_form(browser: Browser, person: Person, action_part: str, **values) -> int:
    """A form of the personal page (cancel, change a session, details); the status the app answered."""
    found, target = browser.form(f"/r/{person.token}", action_part)
    return browser.post(target, data=found.filled(**values)).status_code


def other_session(browser: Browser, person: Person, slot_id: int, chance: random.Random) -> tuple[str, dict] | None:
    """The form that changes the session of part `slot_id`, with another session chosen; None if there is none."""
    try:
        found, _target = browser.form(f"/r/{person.token}", f"/slot/{slot_id}")
    except LookupError:
        return None
    field = f"slot{slot_id}-session_id"  # the personal page's forms are prefixed per part
    others = [value for value in found.options.get(field, []) if value and value != found.fields.get(field)]
    return (f"/slot/{slot_id}", {field: chance.choice(others)}) if others else None
