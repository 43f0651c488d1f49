"""The desks' scan log: what the desk is told about a scan, whose scan ids are whose, and every scan recorded once
(a retried upload of an offline scan is answered as the first time)."""

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select

from eventapp.checkin.models import CheckIn, Scan, ScanMode
from eventapp.events.models import Event, Session
from eventapp.events.phases import EventPhase
from eventapp.platform.db import DbSession, insert_unless_present
from eventapp.platform.staff.access import Actor
from eventapp.registration.models import Registration


class CheckInError(Exception):
    """A request the check-in rules refuse."""


@dataclass
class ScanOutcome:
    """What the desk is told about a scan."""

    status: str
    reason: str = ""
    registration: Registration | None = None
    checked_in_at: dt.datetime | None = None
    desk: str = ""
    session: Session | None = None  # door mode: the session at whose door the scan was
    expected_session: Session | None = None  # door mode: the session they chose instead
    replayed: bool = False
    door_places: list[tuple[Session, int]] = field(default_factory=list)  # waiting here: (session, number at door)
    released: list[Session] = field(default_factory=list)  # their seats went to others before they came
    rooms: list[Session] = field(default_factory=list)  # where a latecomer can sit instead
    admit: str | None = None  # door verdicts: what "admit anyway" can do now (admission.ADMIT_*), if anything
    test: bool = False  # a test scan before the day (checkin/test_scans.py): recorded apart, never an arrival
    phase: EventPhase | None = None  # not_today: the event's phase at the scan's moment


def check_in_of(db_session: DbSession, registration: Registration) -> CheckIn | None:
    return db_session.scalar(
        select(CheckIn).where(CheckIn.registration_id == registration.id).execution_options(populate_existing=True)
    )


def scanner_of(actor: Actor) -> str:
    """Whose scan ids a scan's are: the device token, else the logged-in staff user.

    Not the desk name: for a login it is free text (X-Desk) that may change between a scan and its
    retry, which would then count twice. Scan ids come from one device's page, so another login or
    device reusing one is an independent scan, and can never be answered with someone else's person.
    """
    if actor.device is not None:
        return f"device:{actor.device.id}"
    return f"user:{actor.user.id}" if actor.user is not None else ""


def replay(db_session: DbSession, scanner: str, client_scan_id: str | None) -> ScanOutcome | None:
    """The answer already given to this scanner's scan id (a retried upload), or None for a new scan."""
    if not client_scan_id:
        return None
    scan = db_session.scalar(select(Scan).where(Scan.scanner == scanner, Scan.client_scan_id == client_scan_id))
    if scan is None:
        return None
    registration = db_session.get(Registration, scan.registration_id) if scan.registration_id else None
    arrival = check_in_of(db_session, registration) if registration is not None else None
    return ScanOutcome(
        status=scan.outcome,
        reason=scan.reason,
        registration=registration,
        checked_in_at=arrival.checked_in_at if arrival else None,
        desk=arrival.desk if arrival else scan.desk,
        session=db_session.get(Session, scan.session_id) if scan.session_id else None,
        replayed=True,
        test=scan.test,
    )


def record_scan(
    db_session: DbSession,
    event: Event,
    outcome: ScanOutcome,
    actor: Actor,
    mode: ScanMode,
    now: dt.datetime,
    scanned_at: dt.datetime | None,
    client_scan_id: str | None,
) -> ScanOutcome:
    inserted = insert_unless_present(
        db_session,
        Scan,
        {
            "scanner": scanner_of(actor),
            "client_scan_id": client_scan_id or None,
            "event_id": event.id,
            "registration_id": outcome.registration.id if outcome.registration else None,
            "session_id": outcome.session.id if outcome.session else None,
            "mode": mode,
            "outcome": outcome.status,
            "reason": outcome.reason,
            "desk": actor.label,
            "user_id": actor.user.id if actor.user else None,
            "device_id": actor.device.id if actor.device else None,
            "scanned_at": scanned_at or now,
            "received_at": now,
            "test": outcome.test,
        },
    )
    if inserted is None:  # the same scan id arrived twice at the same moment: answer as the first
        first = replay(db_session, scanner_of(actor), client_scan_id)
        if first is None:
            raise CheckInError("the scan this one collided with is gone")
        return first
    return outcome
