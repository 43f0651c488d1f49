"""Who gets a name badge, and what it says: the people of an event as the badge builder takes them."""

import datetime as dt

from flask import Response
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from eventapp.events.models import Event
from eventapp.events.services import choice_slots
from eventapp.platform.db import DbSession
from eventapp.platform.i18n import text_in
from eventapp.platform.tickets.badges import LAYOUTS, Badge, Layout
from eventapp.registration.models import Choice, Registration, RegistrationStatus

EVERYONE = "all"
NOT_PRINTED = "not_printed"
WHO = (EVERYONE, NOT_PRINTED)
DESK_LAYOUT = "2x4"  # a desk that chose no label printer prints on an A4 sheet, as before labels came


def layout_named(name: str | None, default: str = DESK_LAYOUT) -> Layout | None:
    """The layout a request asks for (`?layout=`), the default without one, None for an unknown name."""
    return LAYOUTS.get(name or default)


def people_for_badges(
    db_session: DbSession, event: Event, who: str = EVERYONE, session_id: int | None = None
) -> list[Registration]:
    """Confirmed people by name: everyone, or those whose badge was not printed yet; optionally one session's."""
    statement = (
        select(Registration)
        .where(Registration.event_id == event.id, Registration.status == RegistrationStatus.CONFIRMED)
        .options(selectinload(Registration.choices).selectinload(Choice.session))
        .order_by(Registration.sort_name, Registration.id)  # on the surname, as Dutch lists sort (names.py)
    )
    if who == NOT_PRINTED:
        statement = statement.where(Registration.badge_printed_at.is_(None))
    if session_id is not None:
        seated = select(Choice.registration_id).where(
            Choice.session_id == session_id, Choice.status == RegistrationStatus.CONFIRMED
        )
        statement = statement.where(Registration.id.in_(seated))
    return list(db_session.scalars(statement))


def badge_of(registration: Registration) -> Badge:
    """The person's badge, in their language: name, organisation, each seat with its time and room, the QR code."""
    event, language = registration.event, registration.language
    seats = {c.agenda_item_id: c.session for c in registration.choices if c.status == RegistrationStatus.CONFIRMED}
    lines = []
    for slot in choice_slots(event):
        session = seats.get(slot.id)
        if session is not None:
            room = text_in(session, "room", language)
            title = text_in(session, "title", language)
            lines.append(f"{slot.starts_at:%H:%M} {title}" + (f" · {room}" if room else ""))
    with force_locale(language):  # the QR code's alternative text in the badge's language
        qr_alt_text = _("Ticket QR code of %(name)s", name=registration.name)
    return Badge(
        name=registration.name,
        organisation=registration.organisation,
        code=registration.ticket_code,
        qr_alt_text=qr_alt_text,
        sessions=lines,
        event_title=text_in(event, "title", language),
    )


def mark_printed(registrations: list[Registration], now: dt.datetime) -> None:
    """Their badges went to the printer: the 'not yet printed' filter leaves them out from now on."""
    for registration in registrations:
        registration.badge_printed_at = now


def pdf_response(pdf: bytes, filename: str) -> Response:
    """A badge sheet for the browser's PDF viewer; never cached (it holds names and ticket codes)."""
    response = Response(pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response
