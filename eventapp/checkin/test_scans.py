"""Scans on a day that is not the event's day: refused ("not_today"), or, once the desk confirmed it, a test.

A scan counts only in the phase `day` (events.phases, Action.CHECK_IN), judged at the moment it was made (an
offline scan of the day that arrives later still counts). Before the day the desk may record a TEST scan
(Action.TEST_SCAN): it is answered like a real scan, but writes only a Scan row marked `test`, never a CheckIn
or a SessionAttendance. So every figure, chart, export, list, statement, feedback invitation and release, which
all count those two tables, leaves test scans out by construction, and a real scan on the day is a first
check-in. The organiser sees them as "test scans: N" and may clear them before the day.
"""

import datetime as dt

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select

from eventapp.checkin import admission
from eventapp.checkin.models import Scan, ScanMode, ScanStatus
from eventapp.events.models import Event, Session
from eventapp.events.phases import Action, EventPhase, allows, event_phase
from eventapp.platform.db import DbSession, rowcount
from eventapp.registration.models import Registration

NOT_TODAY = "not_today"  # the API's status for a scan that neither counts nor is a test; never stored


class TestScansNotAllowed(Exception):
    """Test scans can be cleared before the day only (on the day and after, there is nothing left to test)."""


def scan_kind(event: Event, moment: dt.datetime, test_asked: bool) -> tuple[bool | None, EventPhase]:
    """Whether a scan made at `moment` is real (False), a test (True) or neither (None: answer not_today).

    On the day a scan is real even when the desk asks for a test: a desk left in test mode must not keep people
    out of the day's figures. Before the day it is a test only when asked; after the day it is neither.
    """
    phase = event_phase(event, moment)
    if allows(phase, Action.CHECK_IN):
        return False, phase
    if test_asked and allows(phase, Action.TEST_SCAN):
        return True, phase
    return None, phase


def test_allowed(phase: EventPhase) -> bool:
    return allows(phase, Action.TEST_SCAN)


NOT_TODAY_MESSAGES = {
    True: _l("This is not the day of the event: this scan does not count. It can be recorded as a test scan."),
    False: _l("The day of the event is over: scans no longer count."),
}


def not_today_message(phase: EventPhase) -> str:
    return str(NOT_TODAY_MESSAGES[test_allowed(phase)])


def earlier_test(db_session: DbSession, registration: Registration, mode: str, session: Session | None):
    """The first test scan that let this person in here (the entrance, or this session's door), if any."""
    statement = select(Scan).where(
        Scan.test.is_(True),
        Scan.registration_id == registration.id,
        Scan.mode == mode,
        Scan.outcome == ScanStatus.OK,
        Scan.undone_at.is_(None),
    )
    if session is not None:
        statement = statement.where(Scan.session_id == session.id)
    return db_session.scalar(statement.order_by(Scan.id).limit(1))


def entry_verdict(db_session: DbSession, registration: Registration) -> tuple[str, Scan | None]:
    """At the entrance, as a test: welcome, or "already" when an earlier test scan let them in."""
    earlier = earlier_test(db_session, registration, ScanMode.ENTRY, None)
    return (ScanStatus.ALREADY_CHECKED_IN, earlier) if earlier else (ScanStatus.OK, None)


def door_verdict(
    db_session: DbSession, registration: Registration, session: Session, admit_anyway: bool
) -> tuple[str, Session | None, Scan | None]:
    """At a session's door, as a test: the verdict the door would give, taking no seat (an "admit anyway" is
    answered as admitted, nothing moves); "already" when an earlier test scan let them in here."""
    status, seated_in = admission.verdict(registration, session)
    if status != ScanStatus.OK and not admit_anyway:
        return status, seated_in, None
    earlier = earlier_test(db_session, registration, ScanMode.DOOR, session)
    return (ScanStatus.ALREADY_CHECKED_IN, None, earlier) if earlier else (ScanStatus.OK, None, None)


def count(db_session: DbSession, event: Event) -> int:
    """The event's test scans: what the organiser's figures show under "test scans", apart from the arrivals."""
    return db_session.scalars(select(func.count()).select_from(Scan).where(Scan.event_id == event.id, Scan.test)).one()


def may_clear(event: Event, now: dt.datetime) -> bool:
    return allows(event_phase(event, now), Action.CLEAR_TEST_SCANS)


def clear(db_session: DbSession, event: Event, now: dt.datetime) -> int:
    """Delete the event's test scans (before the day only); returns how many went."""
    if not may_clear(event, now):
        raise TestScansNotAllowed()
    result = db_session.execute(delete(Scan).where(Scan.event_id == event.id, Scan.test.is_(True)))
    return rowcount(result)
