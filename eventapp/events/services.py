"""Events: the lookups every page of an event shares, and the rules for setting up a day."""

import datetime as dt
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from flask import abort
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from eventapp.events.models import AgendaItem, Event, PilotContact, Session, SessionHost
from eventapp.events.seats import CapacityBelowSeatsTaken, change_capacity
from eventapp.platform.audit import audit
from eventapp.platform.db import DbSession, utcnow
from eventapp.platform.extensions import db
from eventapp.platform.mail import texts as mail_texts
from eventapp.platform.settings import settings
from eventapp.platform.staff.models import User


def upcoming_events(db_session: DbSession, today: dt.date) -> list[Event]:
    """Events on or after `today`, soonest first."""
    return list(db_session.scalars(select(Event).where(Event.date >= today).order_by(Event.date)))


def event_with_program(db_session: DbSession, slug: str) -> Event | None:
    """The event with its agenda and sessions loaded in a fixed number of queries."""
    return db_session.scalar(
        select(Event)
        .where(Event.slug == slug)
        .options(
            selectinload(Event.agenda_items)
            .selectinload(AgendaItem.sessions)
            .options(selectinload(Session.hosts), selectinload(Session.contacts))
        )
    )


def choice_slots(event: Event) -> list[AgendaItem]:
    """The agenda items in which an attendee picks one session, in order."""
    return [item for item in event.agenda_items if item.is_choice]


def get_event_or_404(slug: str) -> Event:
    """The event with its program, or a 404 page: the lookup every page of an event starts with."""
    event = event_with_program(db.session, slug)
    if event is None:
        abort(404)
    return event


def get_item_or_404(event: Event, item_id: int) -> AgendaItem:
    """An agenda item of this event, or a 404 page."""
    item = db.session.get(AgendaItem, item_id)
    if item is None or item.event_id != event.id:
        abort(404)
    return item


def get_session_or_404(event: Event, session_id: int) -> Session:
    """A session of this event, or a 404 page."""
    session = db.session.get(Session, session_id)
    if session is None or session.agenda_item.event_id != event.id:
        abort(404)
    return session


def today_local() -> dt.date:
    """Today in the organisers' time zone."""
    return utcnow().astimezone(ZoneInfo(settings().event_timezone)).date()


# --- setting up a day ----------------------------------------------------------------------------


class SetupError(Exception):
    """A change to the day's set-up that would lose or break something (the message says what)."""


EVENT_FIELDS = (
    *("slug", "edition", "title_nl", "title_en", "intro_nl", "intro_en", "date"),
    *("venue", "venue_en", "venue_address", "contact_email", "timezone"),
)
COPIED_EVENT_FIELDS = (
    *("title_nl", "title_en", "intro_nl", "intro_en", "venue", "venue_en", "venue_address", "contact_email"),
)
SESSION_FIELDS = (
    *("title_nl", "title_en", "description_nl", "description_en", "room", "room_en", "host_organisation", "position"),
    "standing_allowed",
)
AGENDA_FIELDS = ("starts_at", "ends_at", "kind", "title_nl", "title_en")
HOST_FIELDS = ("position", "name", "organisation", "role")
CONTACT_FIELDS = ("position", "name", "organisation", "email", "language")


def save_event(db_session: DbSession, event: Event | None, data: dict, user: User, now: dt.datetime) -> Event:
    """Create or change an event; a new capacity goes through the seat rules (refused below the people confirmed)."""
    if db_session.scalar(select(Event.id).where(Event.slug == data["slug"], Event.id != (event.id if event else -1))):
        raise SetupError(_("The address /e/%(slug)s/ is taken by another event.", slug=data["slug"]))
    if data["registration_closes_at"] <= data["registration_opens_at"]:
        raise SetupError(_("Registration must close after it opens."))
    creating = event is None
    if event is None:
        event = Event(capacity=data["capacity"], seats_taken=0)
        db_session.add(event)
    changes = _assign(event, data, (*EVENT_FIELDS, "registration_opens_at", "registration_closes_at"))
    db_session.flush()
    if not creating and data["capacity"] != event.capacity:
        changes["capacity"] = [event.capacity, data["capacity"]]
        try:
            change_capacity(db_session, event, data["capacity"], now)
        except CapacityBelowSeatsTaken as error:
            raise SetupError(
                _("%(num)d people are confirmed: the day cannot hold fewer.", num=error.seats_taken)
            ) from error
    audit(db_session, user, "event.created" if creating else "event.changed", event, changes=_plain(changes))
    return event


def save_session(
    db_session: DbSession, session: Session | None, slot: AgendaItem, data: dict, user: User, now: dt.datetime
) -> Session:
    """Create or change a session; lowering seats below those taken is refused, raising them serves the waitlist."""
    if not slot.is_choice:
        raise SetupError(_("Sessions belong to a part of the day with a choice."))
    creating = session is None
    if session is None:
        session = Session(agenda_item=slot, capacity=data["capacity"], seats_taken=0)
        db_session.add(session)
    changes = _assign(session, data, SESSION_FIELDS)
    db_session.flush()
    if not creating and data["capacity"] != session.capacity:
        changes["capacity"] = [session.capacity, data["capacity"]]
        try:
            change_capacity(db_session, session, data["capacity"], now)
        except CapacityBelowSeatsTaken as error:
            raise SetupError(
                _("%(num)d seats are taken: the session cannot have fewer.", num=error.seats_taken)
            ) from error
    audit(
        db_session,
        user,
        "session.created" if creating else "session.changed",
        slot.event,
        session_id=session.id,
        changes=_plain(changes),
    )
    return session


def delete_session(db_session: DbSession, session: Session, user: User) -> None:
    """Remove a session nobody chose; one with registrations cannot silently vanish (the database refuses)."""
    audit(db_session, user, "session.deleted", session.agenda_item.event, title=session.title_en)
    try:
        with db_session.begin_nested():
            db_session.delete(session)
            db_session.flush()
    except IntegrityError as error:  # a choice holds it (foreign key, ON DELETE RESTRICT)
        raise SetupError(_("People chose this session: cancel it instead, and they are told.")) from error


def save_agenda_item(
    db_session: DbSession, event: Event, item: AgendaItem | None, data: dict, user: User
) -> AgendaItem:
    """Create or change an agenda item; a slot with sessions keeps being a choice slot."""
    if data["ends_at"] <= data["starts_at"]:
        raise SetupError(_("An agenda item ends after it starts."))
    if item is not None and item.sessions and data["kind"] != item.kind:
        raise SetupError(_("This part of the day has sessions: it stays a choice."))
    creating = item is None
    if item is None:
        item = AgendaItem(event=event)
        db_session.add(item)
    changes = _assign(item, data, AGENDA_FIELDS)
    db_session.flush()
    audit(
        db_session,
        user,
        "agenda.created" if creating else "agenda.changed",
        event,
        item_id=item.id,
        changes=_plain(changes),
    )
    return item


def delete_agenda_item(db_session: DbSession, item: AgendaItem, user: User) -> None:
    """Remove an agenda item without sessions."""
    if item.sessions:
        raise SetupError(_("This part of the day has sessions: delete or cancel them first."))
    audit(db_session, user, "agenda.deleted", item.event, title=item.title_en)
    db_session.delete(item)
    db_session.flush()


def copy_event(db_session: DbSession, event: Event, slug: str, date: dt.date, user: User, now: dt.datetime) -> Event:
    """The next edition: the same program, texts and seats, a new date, no registrations."""
    if db_session.scalar(select(Event.id).where(Event.slug == slug)):
        raise SetupError(_("The address /e/%(slug)s/ is taken by another event.", slug=slug))
    shift = date - event.date
    copy = Event(
        slug=slug,
        edition=(event.edition or 0) + 1 if event.edition else None,
        capacity=event.capacity,
        seats_taken=0,
        registration_opens_at=now,
        registration_closes_at=max(event.registration_closes_at + shift, now + dt.timedelta(days=1)),
        **{name: getattr(event, name) for name in (*COPIED_EVENT_FIELDS, "timezone")},
        date=date,
        copied_from_id=event.id,
    )
    for item in event.agenda_items:
        new_item = AgendaItem(**{name: getattr(item, name) for name in AGENDA_FIELDS})
        new_item.sessions.extend(_copy_session(session) for session in item.sessions)
        copy.agenda_items.append(new_item)
    db_session.add(copy)
    db_session.flush()
    mail_texts.copy_words(db_session, event.id, copy.id, now)
    audit(db_session, user, "event.copied", copy, source=event.slug)
    return copy


def _copy_session(session: Session) -> Session:
    """A session for the next edition: texts and seats, its hosts and a pilot's contacts (the materials were of
    that day)."""
    texts = {name: getattr(session, name) for name in SESSION_FIELDS}
    copy = Session(capacity=session.capacity, seats_taken=0, **texts)
    copy.hosts = [SessionHost(**{name: getattr(host, name) for name in HOST_FIELDS}) for host in session.hosts]
    copy.contacts = [PilotContact(**{name: getattr(c, name) for name in CONTACT_FIELDS}) for c in session.contacts]
    return copy


def _assign(obj: object, data: dict, names: Iterable[str]) -> dict:
    """Set the named attributes; return {name: [old, new]} for those that changed."""
    changes = {}
    for name in names:
        if name in data and getattr(obj, name, None) != data[name]:
            changes[name] = [getattr(obj, name, None), data[name]]
            setattr(obj, name, data[name])
    return changes


def _plain(changes: dict) -> dict:
    """Changes as JSON can hold them (dates and times as text)."""
    return {
        k: [v if isinstance(v, (str, int, float, bool, type(None))) else str(v) for v in pair]
        for k, pair in changes.items()
    }
