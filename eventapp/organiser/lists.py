"""The lists organisers hand out: rows for the exports, streamed from the database in batches.

Each function reads what it needs from the ORM objects at once and returns a generator that
only runs queries: a CSV download is streamed after the view has returned, when the objects
the view loaded are no longer attached to a database session.
"""

import datetime as dt
from collections.abc import Iterator, Sequence
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from eventapp.checkin.models import CheckIn, SessionAttendance
from eventapp.events.models import Event, Session
from eventapp.events.services import choice_slots
from eventapp.platform.db import DbSession
from eventapp.platform.exports import Column
from eventapp.platform.i18n import text_in
from eventapp.registration.models import Choice, OrganisationType, Registration, RegistrationStatus
from eventapp.registration.waitlists import day_line, not_yet_in_line, session_line

BATCH = 1000


def _local(moment: dt.datetime | None, zone: ZoneInfo) -> dt.datetime | None:
    """Wall-clock time at the event, without a zone (spreadsheets store no zones)."""
    return moment.astimezone(zone).replace(tzinfo=None) if moment else None


def attendance_columns(event: Event, language: str, answers: Sequence[Column] = ()) -> list[Column]:
    """The attendance list's columns; `answers` are those of the organiser's questions, at the end."""
    slots = [Column(text_in(slot, "title", language), 30) for slot in choice_slots(event)]
    return [
        Column(_("Name"), 28),
        Column(_("E-mail"), 30),
        Column(_("Organisation"), 30),
        Column(_("Kind of organisation"), 22),
        Column(_("Role"), 22),
        Column(_("Status"), 12),
        *slots,
        Column(_("Registered at"), 17),
        Column(_("Checked in at"), 17),
        Column(_("Desk"), 14),
        *answers,
    ]


def attendance_rows(
    db_session: DbSession, event: Event, language: str, answers: dict[int, list] | None = None, answer_count: int = 0
) -> Iterator[list]:
    """Everyone registered for the day: details, chosen sessions, status and check-in time.

    `answers` holds, per registration id, the cells of the organiser's questions (`answer_count` of them).
    """
    zone = ZoneInfo(event.timezone)
    slot_ids = [slot.id for slot in choice_slots(event)]
    sessions = [session for slot in choice_slots(event) for session in slot.sessions]
    # Translated here, in the request: the rows may be read after it (a streamed CSV).
    titles = {session.id: text_in(session, "title", language) for session in sessions}
    choice_labels = {
        RegistrationStatus.CONFIRMED: titles,
        RegistrationStatus.WAITLISTED: {sid: _("%(title)s (waiting)", title=title) for sid, title in titles.items()},
    }
    labels = {status: str(status.label) for status in [*RegistrationStatus, *OrganisationType]}
    no_answers = [""] * answer_count
    cells = (lambda rid: (answers or {}).get(rid, no_answers)) if answer_count else (lambda rid: [])
    return _attendance_rows(db_session, event.id, zone, slot_ids, choice_labels, labels, cells)


def _attendance_rows(
    db_session, event_id: int, zone: ZoneInfo, slot_ids: list[int], choice_labels: dict, labels: dict, cells
) -> Iterator[list]:
    """`labels`: the words for each status and kind of organisation (their values never coincide)."""
    chosen: dict[int, dict[int, str]] = {}
    for registration_id, slot_id, session_id, status in db_session.execute(
        select(Choice.registration_id, Choice.agenda_item_id, Choice.session_id, Choice.status)
        .join(Registration)
        .where(Registration.event_id == event_id)
        .order_by(Choice.status)  # a confirmed seat first, then a place in a line
    ):
        label = choice_labels[status][session_id]
        slot_labels = chosen.setdefault(registration_id, {})
        slot_labels[slot_id] = f"{slot_labels[slot_id]}; {label}" if slot_id in slot_labels else label
    rows = db_session.execute(
        select(
            Registration.id,
            Registration.name,
            Registration.email,
            Registration.organisation,
            Registration.organisation_type,
            Registration.role,
            Registration.status,
            Registration.created_at,
            CheckIn.checked_in_at,
            CheckIn.desk,
        )
        .outerjoin(CheckIn, CheckIn.registration_id == Registration.id)
        .where(Registration.event_id == event_id)
        .order_by(Registration.sort_name, Registration.id)  # as Dutch lists sort, and as the people list
        .execution_options(yield_per=BATCH)
    )
    for rid, name, email, organisation, kind, role, status, created, checked_in_at, desk in rows:
        sessions = chosen.get(rid, {})
        yield [
            name,
            email,
            organisation,
            labels[kind],
            role,
            labels[status],
            *[sessions.get(slot_id, "") for slot_id in slot_ids],
            _local(created, zone),
            _local(checked_in_at, zone),
            desk or "",
            *cells(rid),
        ]


SESSION_COLUMNS = [
    Column(_l("Name"), 28),
    Column(_l("Organisation"), 30),
    Column(_l("Role"), 22),
    Column(_l("E-mail"), 30),
    Column(_l("Checked in at"), 17),
    Column(_l("Came to the session"), 12),
]


def session_rows(db_session: DbSession, session: Session) -> Iterator[list]:
    """The people with a seat in a session (and who came through its door), for the session's host."""
    return _session_rows(db_session, session.id, ZoneInfo(session.agenda_item.event.timezone))


def _session_rows(db_session: DbSession, session_id: int, zone: ZoneInfo) -> Iterator[list]:
    came = (
        select(SessionAttendance.id)
        .where(SessionAttendance.session_id == session_id, SessionAttendance.registration_id == Registration.id)
        .exists()
    )
    rows = db_session.execute(
        select(
            Registration.name,
            Registration.organisation,
            Registration.role,
            Registration.email,
            CheckIn.checked_in_at,
            came,
        )
        .join(Choice, Choice.registration_id == Registration.id)
        .outerjoin(CheckIn, CheckIn.registration_id == Registration.id)
        .where(
            Choice.session_id == session_id,
            Choice.status == RegistrationStatus.CONFIRMED,
            Registration.status == RegistrationStatus.CONFIRMED,
        )
        .order_by(Registration.sort_name, Registration.id)
        .execution_options(yield_per=BATCH)
    )
    for name, organisation, role, email, checked_in_at, attended in rows:
        yield [name, organisation, role, email, _local(checked_in_at, zone), bool(attended)]


def walk_ins_at_door(db_session: DbSession, session: Session) -> list[str]:
    """Names of people admitted at the door who had chosen another session."""
    return list(
        db_session.scalars(
            select(Registration.name)
            .join(SessionAttendance, SessionAttendance.registration_id == Registration.id)
            .where(SessionAttendance.session_id == session.id, SessionAttendance.chosen.is_(False))
            .order_by(Registration.sort_name, Registration.id)
        )
    )


WAITLIST_COLUMNS = [
    Column(_l("Waiting for"), 32),
    Column(_l("Place"), 8),
    Column(_l("Name"), 28),
    Column(_l("Organisation"), 30),
    Column(_l("E-mail"), 30),
    Column(_l("Waiting since"), 17),
]


def waitlist_rows(db_session: DbSession, event: Event, language: str) -> Iterator[list]:
    """The day's waitlist, then each session's line, in order of place."""
    lines = [
        (session.id, text_in(session, "title", language)) for slot in choice_slots(event) for session in slot.sessions
    ]
    return _waitlist_rows(db_session, event.id, ZoneInfo(event.timezone), _("The day"), lines)


def _waitlist_rows(
    db_session: DbSession, event_id: int, zone: ZoneInfo, the_day: str, lines: list[tuple[int, str]]
) -> Iterator[list]:
    """The lines as the waitlists' rules keep them (registration.waitlists), so a place here is the person's place."""
    for place, waiter in enumerate(db_session.scalars(day_line(event_id)), start=1):
        yield [the_day, place, waiter.name, waiter.organisation, waiter.email, _local(waiter.waitlisted_at, zone)]
    for waiter in db_session.scalars(not_yet_in_line(event_id)):  # no place until they open their link
        yield [the_day, "", waiter.name, waiter.organisation, waiter.email, _local(waiter.waitlisted_at, zone)]
    for session_id, title in lines:
        line = session_line(session_id).options(contains_eager(Choice.registration))
        for place, choice in enumerate(db_session.scalars(line), start=1):
            person = choice.registration
            yield [title, place, person.name, person.organisation, person.email, _local(choice.waitlisted_at, zone)]
