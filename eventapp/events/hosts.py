"""A session's hosts, pilot contacts and materials as the organiser types them: one a line, parts split by "|".

Parsing is a plain function (text in, rows out, or LineError naming the line), so the editor stays a textarea
that reads like the list it is, and the rules are tested without HTTP.
"""

from dataclasses import dataclass
from urllib.parse import urlsplit

from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l

from eventapp.events.models import PilotContact, Session, SessionHost, SessionMaterial


class LineError(ValueError):
    """A line the editor cannot read; `message` says which and why."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Parsed:
    hosts: list[dict]
    contacts: list[dict]
    materials: list[dict]


def _lines(text: str):
    for line in (text or "").splitlines():
        if line.strip():
            yield line.strip(), [part.strip() for part in line.split("|")]


def parse_hosts(text: str) -> list[dict]:
    """name | organisation | role (organisation and role optional)."""
    hosts = []
    for line, parts in _lines(text):
        if len(parts) > 3 or not parts[0]:
            raise LineError(_l('"%(line)s": write name | organisation | role.', line=line))
        name, organisation, role = [*parts, "", ""][:3]
        hosts.append({"name": name, "organisation": organisation, "role": role})
    return hosts


def parse_contacts(text: str) -> list[dict]:
    """name | organisation | e-mail | language (nl or en, optional: Dutch)."""
    contacts = []
    for line, parts in _lines(text):
        name, organisation, email, language = [*parts, "", "", ""][:4]
        if len(parts) > 4 or not name or language not in ("", "nl", "en"):
            raise LineError(_l('"%(line)s": write name | organisation | e-mail | nl or en.', line=line))
        try:
            email = validate_email(email, check_deliverability=False).normalized if email else ""
        except EmailNotValidError:
            raise LineError(_l('"%(line)s": the e-mail address is not valid.', line=line)) from None
        contacts.append({"name": name, "organisation": organisation, "email": email, "language": language or "nl"})
    return contacts


def parse_materials(text: str) -> list[dict]:
    """title | https://address."""
    materials = []
    for line, parts in _lines(text):
        title, url = [*parts, ""][:2]
        address = urlsplit(url)
        if len(parts) != 2 or not title or address.scheme not in ("https", "http") or not address.netloc:
            raise LineError(_l('"%(line)s": write title | https://address.', line=line))
        materials.append({"title": title, "url": url})
    return materials


def _joined(*parts: str) -> str:
    """Parts joined by " | ", without the empty ones at the end."""
    kept = list(parts)
    while kept and not kept[-1]:
        kept.pop()
    return " | ".join(kept)


def hosts_text(session: Session) -> str:
    return "\n".join(_joined(h.name, h.organisation, h.role) for h in session.hosts)


def contacts_text(session: Session) -> str:
    return "\n".join(f"{c.name} | {c.organisation} | {c.email} | {c.language}" for c in session.contacts)


def materials_text(session: Session) -> str:
    return "\n".join(f"{m.title} | {m.url}" for m in session.materials)


def set_people_and_links(session: Session, parsed: Parsed) -> None:
    """Replace the session's hosts, contacts and materials with the parsed lists, in their order."""
    session.hosts = [SessionHost(position=n, **row) for n, row in enumerate(parsed.hosts)]
    session.contacts = kept_contacts(list(session.contacts), parsed.contacts)
    session.materials = [SessionMaterial(position=n, **row) for n, row in enumerate(parsed.materials)]


def kept_contacts(existing: list[PilotContact], rows: list[dict]) -> list[PilotContact]:
    """The parsed contacts, each the row of a contact already there when it has the same address (else the same
    name), updated: an attendee's consent names the contact's row, so saving the form keeps the people it names,
    and a contact added is a new row that no consent names."""
    matched: dict[int, PilotContact] = {}
    for same in (_same_address, _same_name):
        for n, row in enumerate(rows):
            match = None if n in matched else next((contact for contact in existing if same(contact, row)), None)
            if match is not None:
                existing.remove(match)
                matched[n] = match
    contacts = []
    for n, row in enumerate(rows):
        contact = matched.get(n) or PilotContact()
        for name, value in {**row, "position": n}.items():
            setattr(contact, name, value)
        contacts.append(contact)
    return contacts


def _same_address(contact: PilotContact, row: dict) -> bool:
    return bool(row["email"]) and contact.email.lower() == row["email"].lower()


def _same_name(contact: PilotContact, row: dict) -> bool:
    return contact.name.strip().casefold() == row["name"].casefold()
