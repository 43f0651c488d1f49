"""Statement rules: who gets one, issuing and revoking, what it says, and finding one by its code."""

import base64
import datetime as dt
import re
import secrets
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from eventapp.audit import audit
from eventapp.checkin.attended import attended_minutes, attended_sessions, is_checked_in
from eventapp.db import insert_unless_present
from eventapp.events.models import Event, Session
from eventapp.registration.models import Registration
from eventapp.staff.models import User
from eventapp.statements.models import AttendanceStatement

CODE_BYTES = 10  # 80 random bits: 16 letters and digits of base32, unguessable even without the rate limit
_NOT_CODE = re.compile(r"[^A-Z2-7]")


class NoStatement(Exception):
    """The person gets no statement; `reason` says why ("not_checked_in", "revoked", "erased")."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class StatementContent:
    """What a statement says: exactly this, in the PDF and on the verification page."""

    code: str
    name: str
    organisation: str
    event: Event
    sessions: list[Session]
    minutes: int

    @property
    def hours(self) -> float:
        return round(self.minutes / 60, 1)

    @property
    def printed_code(self) -> str:
        return format_code(self.code)


def new_code() -> str:
    return base64.b32encode(secrets.token_bytes(CODE_BYTES)).decode("ascii")


def format_code(code: str) -> str:
    """The code in groups of four, as printed: easier to type from paper."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def normalise_code(text: str) -> str:
    """A code as typed or scanned (any case, with or without dashes) as it is stored."""
    return _NOT_CODE.sub("", text.upper())[:32]


def statement_of(db_session: DbSession, registration: Registration) -> AttendanceStatement | None:
    return db_session.scalar(select(AttendanceStatement).where(AttendanceStatement.registration_id == registration.id))


def statement_for(db_session: DbSession, registration: Registration, now: dt.datetime) -> AttendanceStatement:
    """The person's statement, issued on first asking when they were checked in; raises NoStatement otherwise."""
    if registration.anonymised_at is not None:
        raise NoStatement("erased")
    statement = statement_of(db_session, registration)
    if statement is not None:
        if not statement.is_valid:
            raise NoStatement("revoked")
        return statement
    if not is_checked_in(db_session, registration):
        raise NoStatement("not_checked_in")
    return _insert(db_session, registration, None, now)


def _insert(db_session: DbSession, registration: Registration, user: User | None, now) -> AttendanceStatement:
    """One statement per registration, also when two requests ask at once (the second finds the first's)."""
    values = {
        "registration_id": registration.id,
        "event_id": registration.event_id,
        "code": new_code(),
        "issued_at": now,
        "issued_by_id": user.id if user else None,
    }
    insert_unless_present(db_session, AttendanceStatement, values)
    return db_session.scalar(
        select(AttendanceStatement)
        .where(AttendanceStatement.registration_id == registration.id)
        .execution_options(populate_existing=True)
    )


def issue(db_session: DbSession, registration: Registration, user: User, now: dt.datetime) -> AttendanceStatement:
    """An organiser issues a statement (for someone the desk missed, or again after a revocation: a new code)."""
    if registration.anonymised_at is not None:
        raise NoStatement("erased")
    statement = statement_of(db_session, registration)
    if statement is not None and statement.is_valid:
        return statement  # already issued: nothing changes, nothing to record
    if statement is None:
        statement = _insert(db_session, registration, user, now)
    else:
        statement.code, statement.revoked_at = new_code(), None
        statement.issued_at, statement.issued_by_id = now, user.id
    db_session.flush()
    audit(db_session, user, "statement.issued", registration=registration)
    return statement


def revoke(db_session: DbSession, statement: AttendanceStatement, user: User, now: dt.datetime) -> None:
    """Withdraw a statement: its code no longer verifies, and the person cannot download it again."""
    statement.revoked_at = now
    db_session.flush()
    audit(db_session, user, "statement.revoked", registration=statement.registration)


def find_valid(db_session: DbSession, code: str) -> AttendanceStatement | None:
    """The valid statement with this code, or None (unknown and revoked codes alike)."""
    code = normalise_code(code)
    if len(code) != len(new_code()):
        return None
    statement = db_session.scalar(select(AttendanceStatement).where(AttendanceStatement.code == code))
    if statement is None or not statement.is_valid or statement.registration.anonymised_at is not None:
        return None
    return statement


def content(db_session: DbSession, statement: AttendanceStatement) -> StatementContent:
    registration = statement.registration
    sessions = attended_sessions(db_session, registration)
    return StatementContent(
        code=statement.code,
        name=registration.name,
        organisation=registration.organisation,
        event=registration.event,
        sessions=sessions,
        minutes=attended_minutes(registration.event, sessions),
    )
