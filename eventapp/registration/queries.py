"""Reading registrations: for the person's own page, and one person of an event for the organisers."""

from dataclasses import dataclass

from flask import abort, g
from sqlalchemy import select

from eventapp.events.models import AgendaItem, Event, Session
from eventapp.events.services import choice_slots
from eventapp.platform.db import DbSession, utcnow, writing
from eventapp.platform.extensions import db
from eventapp.registration.choices import slot_choices
from eventapp.registration.holds import claim
from eventapp.registration.models import Registration, RegistrationStatus
from eventapp.registration.waitlists import place_in_line


@dataclass(frozen=True)
class SlotOverview:
    """A person's standing in one choice slot."""

    slot: AgendaItem
    seat: Session | None
    waiting_for: Session | None
    place_in_line: int | None


def registration_overview(db_session: DbSession, registration: Registration) -> list[SlotOverview]:
    """Per choice slot: the session they have a seat in, and the one they wait for with their place."""
    overview = []
    for slot in choice_slots(registration.event):
        confirmed, waiting = slot_choices(registration, slot.id)
        place = None
        if waiting is not None and registration.status == RegistrationStatus.CONFIRMED:
            place = place_in_line(db_session, waiting)
        overview.append(
            SlotOverview(
                slot=slot,
                seat=confirmed.session if confirmed else None,
                waiting_for=waiting.session if waiting else None,
                place_in_line=place,
            )
        )
    return overview


def find_by_manage_token(db_session: DbSession, token: str) -> Registration | None:
    """The registration whose personal link carries `token`, or None."""
    if not token or len(token) > 64:
        return None
    return db_session.scalar(select(Registration).where(Registration.manage_token == token))


def get_registration_or_404(token: str) -> Registration:
    """The registration behind a personal link, or a 404 page (nothing else is revealed).

    Its pages speak the person's language (unless they switch), so the owner's language is noted.
    """
    registration = find_by_manage_token(db.session, token)
    if registration is None:
        abort(404)
    if registration.claimed_at is None:
        registration = claimed(registration)
    g.owner_language = registration.language
    return registration


def claimed(registration: Registration) -> Registration:
    """The holder opened their link: claim the seat in a short transaction of its own, before the page's work.

    Its own transaction (taking SQLite's write lock at BEGIN, also on a GET), so that the page's reads do
    not have to become a write, and a page that fails later does not take the claim with it.
    """
    registration_id = registration.id
    db.session.commit()
    with writing():
        claim(db.session, db.get_or_404(Registration, registration_id, populate_existing=True), utcnow())
        db.session.commit()
    return db.get_or_404(Registration, registration_id)


def get_person_or_404(event: Event, registration_id: int) -> Registration:
    """A registration of `event` by its id (the organisers' pages of a person), or 404."""
    registration = db.session.get(Registration, registration_id)
    if registration is None or registration.event_id != event.id:
        abort(404)
    return registration
