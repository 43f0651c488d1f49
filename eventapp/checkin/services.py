"""Check-in rules: what a scanned code means, recording arrivals once, door checks, undo, walk-ins.

A scan is idempotent: scanning a code again answers "already checked in" with when and where,
and a scan the page sends twice (same client scan id) is recorded and answered once. Two desks
scanning the same code at the same moment get one "ok" and one "already checked in": the
CheckIn row is unique per registration and the database decides which insert wins.
"""

import datetime as dt
from collections.abc import Mapping

from sqlalchemy import delete, select, update

from eventapp.checkin import admission, release, test_scans
from eventapp.checkin.models import CheckIn, Scan, ScanMode, ScanStatus, SessionAttendance
from eventapp.checkin.scan_log import CheckInError, ScanOutcome, check_in_of, record_scan, replay, scanner_of
from eventapp.events.models import Event, Session
from eventapp.events.seats import share_event_lock
from eventapp.platform import signals
from eventapp.platform.db import DbSession, insert_unless_present
from eventapp.platform.staff.access import Actor
from eventapp.registration import services as registration_services
from eventapp.registration.models import Registration, RegistrationStatus

# How far an offline scan's own time may lie from the server's: a device's queue is sent within
# days, and a device clock may run somewhat fast (such a time is taken as now).
OFFLINE_SCANS_KEPT = dt.timedelta(days=7)
CLOCK_SKEW = dt.timedelta(hours=12)


class UndoNotAllowed(CheckInError):
    """Only organisers, or the same desk within a few minutes, may undo a check-in."""


class NotCheckedIn(CheckInError):
    """There is no check-in to undo."""


class DayFull(CheckInError):
    """No place left for a walk-in."""


class NotToday(CheckInError):
    """A walk-in is registered and let in on the event's day only."""


def _admissible(registration: Registration, event: Event) -> tuple[str, str] | None:
    """Why a registration may not come in at this event (status, reason), or None when it may."""
    if registration.event_id != event.id:
        return ScanStatus.INVALID, "other_event"
    if registration.status == RegistrationStatus.CANCELLED:
        return ScanStatus.CANCELLED, ""
    if registration.status == RegistrationStatus.WAITLISTED:
        return ScanStatus.INVALID, "waitlisted"
    return None


def check_in(
    db_session: DbSession,
    event: Event,
    registration: Registration | None,
    actor: Actor,
    now: dt.datetime,
    scanned_at: dt.datetime | None = None,
    client_scan_id: str | None = None,
    test: bool = False,
) -> ScanOutcome:
    """Let a person in at the day's desk; every call is recorded as a Scan (but one on another day that is not
    a confirmed test: "not_today", recorded nowhere, so that the desk may send it again as a test)."""
    answered = replay(db_session, scanner_of(actor), client_scan_id)
    if answered is not None:
        return answered
    is_test, phase = test_scans.scan_kind(event, scanned_at or now, test)
    if is_test is None:
        return ScanOutcome(status=test_scans.NOT_TODAY, phase=phase)
    if registration is None:
        outcome = ScanOutcome(status=ScanStatus.INVALID, reason="unknown_code")
    elif (refusal := _admissible(registration, event)) is not None:
        outcome = ScanOutcome(status=refusal[0], reason=refusal[1], registration=registration)
    elif is_test:
        outcome = _test_entry(db_session, registration, actor, scanned_at or now)
    else:
        outcome = _record_arrival(db_session, event, registration, actor, scanned_at or now)
        _tell_about_seats(db_session, outcome, registration)
    outcome.test = is_test
    return record_scan(db_session, event, outcome, actor, ScanMode.ENTRY, now, scanned_at, client_scan_id)


def _test_entry(db_session: DbSession, registration: Registration, actor: Actor, moment: dt.datetime) -> ScanOutcome:
    """The answer a real scan would give at the entrance, from the test scans only: no CheckIn is written."""
    status, earlier = test_scans.entry_verdict(db_session, registration)
    if earlier is not None:
        return ScanOutcome(status, registration=registration, checked_in_at=earlier.scanned_at, desk=earlier.desk)
    outcome = ScanOutcome(status, registration=registration, checked_in_at=moment, desk=actor.label)
    _tell_about_seats(db_session, outcome, registration)
    return outcome


def _tell_about_seats(db_session: DbSession, outcome: ScanOutcome, registration: Registration) -> None:
    """What the desk tells someone who just came in: their number at the door, or that their seat was released."""
    if outcome.status != ScanStatus.OK:
        return
    outcome.door_places = release.door_places(db_session, registration)
    outcome.released = [choice.session for choice in release.released_seats(registration)]
    outcome.rooms = release.sessions_with_room(registration)


def _record_arrival(
    db_session: DbSession, event: Event, registration: Registration, actor: Actor, moment: dt.datetime
) -> ScanOutcome:
    """Insert the CheckIn, or report the one that is there (also when another desk was just first).

    After a release that is under way has committed (share_event_lock waits for it), and with the
    person read again: a seat the release freed a moment ago is then seen, and taken back.
    """
    share_event_lock(db_session, event.id)
    db_session.expire_all()  # the person and their choices as they are now, not as read before the lock
    inserted = insert_unless_present(
        db_session,
        CheckIn,
        {
            "registration_id": registration.id,
            "event_id": event.id,
            "checked_in_at": moment,
            "desk": actor.label,
            "user_id": actor.user.id if actor.user else None,
            "device_id": actor.device.id if actor.device else None,
        },
    )
    if inserted is not None:
        release.reclaim_day_seat(db_session, registration)
        release.reclaim_released_seats(db_session, registration, moment)
        return ScanOutcome(status=ScanStatus.OK, registration=registration, checked_in_at=moment, desk=actor.label)
    existing = check_in_of(db_session, registration)
    if existing is None:
        raise CheckInError("the check-in this scan collided with was undone meanwhile")
    return ScanOutcome(
        status=ScanStatus.ALREADY_CHECKED_IN,
        registration=registration,
        checked_in_at=existing.checked_in_at,
        desk=existing.desk,
    )


def admit_to_session(
    db_session: DbSession,
    event: Event,
    session: Session,
    registration: Registration | None,
    actor: Actor,
    now: dt.datetime,
    admit_anyway: bool = False,
    scanned_at: dt.datetime | None = None,
    client_scan_id: str | None = None,
    over_capacity: bool = False,
    test: bool = False,
) -> ScanOutcome:
    """At a session's door: in with a seat there; without one, a verdict, or in by the door staff's "admit anyway".
    On another day than the event's: "not_today", or a test (see check_in)."""
    answered = replay(db_session, scanner_of(actor), client_scan_id)
    if answered is not None:
        return answered
    moment = scanned_at or now
    is_test, phase = test_scans.scan_kind(event, moment, test)
    if is_test is None:
        return ScanOutcome(status=test_scans.NOT_TODAY, session=session, phase=phase)
    if registration is None:
        outcome = ScanOutcome(status=ScanStatus.INVALID, reason="unknown_code", session=session)
    elif (refusal := _admissible(registration, event)) is not None:
        outcome = ScanOutcome(status=refusal[0], reason=refusal[1], registration=registration, session=session)
    elif is_test:
        outcome = _test_door(db_session, session, registration, actor, moment, admit_anyway)
    else:
        outcome = _through_the_door(
            db_session, event, session, registration, actor, moment, admit_anyway, over_capacity
        )
    outcome.test = is_test
    return record_scan(db_session, event, outcome, actor, ScanMode.DOOR, now, scanned_at, client_scan_id)


def _through_the_door(
    db_session: DbSession,
    event: Event,
    session: Session,
    registration: Registration,
    actor: Actor,
    moment: dt.datetime,
    admit_anyway: bool,
    over_capacity: bool,
) -> ScanOutcome:
    """In when the seat is here (or "admit anyway" took one), else the verdict and what the door staff may do."""
    status, seated_in = admission.verdict(registration, session)
    taken = None
    if status != ScanStatus.OK and _attended(db_session, registration, session) is None:
        if admit_anyway:
            taken = admission.take_door_seat(db_session, registration, session, moment, over_capacity)
        if taken is None:
            offer = admission.admit_offer(session)
            reason = "full" if admit_anyway else ""
            return ScanOutcome(status, reason, registration, session=session, expected_session=seated_in, admit=offer)
    over = taken == admission.ADMIT_OVER_CAPACITY
    outcome = _record_attendance(db_session, registration, session, actor, moment, status == ScanStatus.OK, over)
    _record_arrival(db_session, event, registration, actor, moment)  # through the door means arrived
    return outcome


def _test_door(
    db_session: DbSession,
    session: Session,
    registration: Registration,
    actor: Actor,
    moment: dt.datetime,
    admit_anyway: bool,
) -> ScanOutcome:
    """The door's answer as a test: the verdict, or in; no seat is taken and no attendance written."""
    status, seated_in, earlier = test_scans.door_verdict(db_session, registration, session, admit_anyway)
    if earlier is not None:
        return ScanOutcome(status, "", registration, earlier.scanned_at, earlier.desk, session=session)
    if status != ScanStatus.OK:
        offer = admission.admit_offer(session)
        return ScanOutcome(status, "", registration, session=session, expected_session=seated_in, admit=offer)
    return ScanOutcome(status, "", registration, moment, actor.label, session=session)


def _attended(db_session: DbSession, registration: Registration, session: Session) -> SessionAttendance | None:
    return db_session.scalar(
        select(SessionAttendance).where(
            SessionAttendance.registration_id == registration.id, SessionAttendance.session_id == session.id
        )
    )


def _record_attendance(
    db_session: DbSession,
    registration: Registration,
    session: Session,
    actor: Actor,
    moment: dt.datetime,
    chosen: bool,
    over_capacity: bool,
) -> ScanOutcome:
    """Record attendance at a session door once (one statement: INSERT unless the person is already in)."""
    inserted = insert_unless_present(
        db_session,
        SessionAttendance,
        {
            "registration_id": registration.id,
            "session_id": session.id,
            "admitted_at": moment,
            "chosen": chosen,
            "over_capacity": over_capacity,
            "desk": actor.label,
            "user_id": actor.user.id if actor.user else None,
            "device_id": actor.device.id if actor.device else None,
        },
    )
    if inserted is not None:
        return ScanOutcome(
            status=ScanStatus.OK, registration=registration, session=session, checked_in_at=moment, desk=actor.label
        )
    existing = _attended(db_session, registration, session)
    if existing is None:
        raise CheckInError("the attendance this scan collided with was undone meanwhile")
    return ScanOutcome(
        status=ScanStatus.ALREADY_CHECKED_IN,
        registration=registration,
        session=session,
        checked_in_at=existing.admitted_at,
        desk=existing.desk,
    )


def undo_check_in(
    db_session: DbSession, registration: Registration, actor: Actor, now: dt.datetime, window: dt.timedelta
) -> None:
    """Remove an arrival: organisers always, the desk that made it within `window`."""
    arrival = check_in_of(db_session, registration)
    if arrival is None:
        raise NotCheckedIn()
    same_desk = (actor.device is not None and arrival.device_id == actor.device.id) or (
        actor.user is not None and arrival.user_id == actor.user.id
    )
    if not actor.is_organiser and not (same_desk and now - arrival.checked_in_at <= window):
        raise UndoNotAllowed()
    last_scan = db_session.scalar(
        select(Scan)
        .where(
            Scan.registration_id == registration.id,
            Scan.outcome == ScanStatus.OK,
            Scan.mode == ScanMode.ENTRY,
            Scan.undone_at.is_(None),
            Scan.test.is_(False),
        )
        .order_by(Scan.id.desc())
        .limit(1)
    )
    if last_scan is not None:
        last_scan.undone_at = now
    db_session.delete(arrival)
    _forget_doors_of(db_session, registration, now)
    db_session.flush()
    signals.check_in_undone.send(registration, db_session=db_session, registration=registration, now=now)


def _forget_doors_of(db_session: DbSession, registration: Registration, now: dt.datetime) -> None:
    """The door scans of an undone arrival go with it: they rested on an arrival that did not happen. The
    attendance rows go (a statement reads them); the scans stay in the log, marked undone."""
    db_session.execute(delete(SessionAttendance).where(SessionAttendance.registration_id == registration.id))
    door_scans = (Scan.registration_id == registration.id, Scan.mode == ScanMode.DOOR, Scan.undone_at.is_(None))
    db_session.execute(update(Scan).where(*door_scans, Scan.outcome == ScanStatus.OK).values(undone_at=now))


def walk_in(
    db_session: DbSession,
    event: Event,
    person: registration_services.PersonDetails,
    session_ids: Mapping[int, int],
    actor: Actor,
    now: dt.datetime,
) -> Registration:
    """Register someone at the desk (seats permitting) and let them in at once; on the event's day only (a test
    walk-in would leave a real registration behind)."""
    if test_scans.scan_kind(event, now, False)[0] is not False:
        raise NotToday()
    registration = registration_services.register(
        db_session, event, person, session_ids, consent_version=release.WALK_IN_CONSENT, now=now, open_anyway=True
    )
    if registration.status != RegistrationStatus.CONFIRMED:
        raise DayFull()
    check_in(db_session, event, registration, actor, now)
    return registration
