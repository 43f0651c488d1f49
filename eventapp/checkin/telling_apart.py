"""Telling people apart at the desk without handing out their addresses.

Two "Anouk de Vries · Gemeente Enschede" look the same on a tablet; a masked address (`a…s@enschede.nl`),
their sessions and a "2 people with this name" hint tell them apart. The full address never goes to a desk:
a desk answer that held it would let anyone at a desk copy the attendee list by searching.
"""

import unicodedata
from collections import Counter

from sqlalchemy import select

from eventapp.events.models import Event
from eventapp.platform.db import DbSession
from eventapp.registration.models import Registration, RegistrationStatus, search_words

ELLIPSIS = "…"


def mask_address(address: str | None) -> str:
    """`anouk.devries@enschede.nl` as `a…s@enschede.nl`: the first and last character of the local part, the domain.

    A local part of one or two characters shows only its first (one character: none), so the masked form is
    never the address itself. Characters are counted after NFC normalisation, so an accented letter written as
    a letter plus a combining accent counts as one character and is never cut in half.
    """
    text = unicodedata.normalize("NFC", (address or "").strip())
    if not text:
        return ""
    local, at, domain = text.rpartition("@")
    if not at:  # not an address: nothing of it is shown but its first character
        local, domain = text, ""
    if len(local) <= 1:
        shown = ELLIPSIS
    elif len(local) == 2:
        shown = local[0] + ELLIPSIS
    else:
        shown = local[0] + ELLIPSIS + local[-1]
    return f"{shown}@{domain}" if at else shown


def name_key(name: str | None) -> str:
    """A name as the desk hears it: any case, accents or not, punctuation aside ("Søderhuizen" = "soderhuizen")."""
    return " ".join(search_words(name or ""))


def same_name_counts(db_session: DbSession, event: Event) -> Counter:
    """How many registrations of the event carry each name (by `name_key`); cancelled ones are left out,
    as nobody checks them in."""
    names = db_session.scalars(
        select(Registration.name).where(
            Registration.event_id == event.id, Registration.status != RegistrationStatus.CANCELLED
        )
    )
    return Counter(name_key(name) for name in names)


def people_with_name(counts: Counter, registration: Registration) -> int:
    """How many people of the event share this person's name (1 when the name is unique)."""
    return max(1, counts.get(name_key(registration.name), 0))
