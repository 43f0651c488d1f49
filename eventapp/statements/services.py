"""Statement rules: who gets one, issuing and revoking, what it says, and finding one by its code."""

import base64
import datetime as dt
import re
import secrets
from dataclasses import dataclass

from sqlalchemy import select, update

from eventapp.checkin.attended import attended_minutes, attended_sessions, is_checked_in
from eventapp.events.models import Event, Session
from eventapp.platform import signals
from eventapp.platform.audit import audit
from eventapp.platform.db import DbSession, insert_unless_present, rowcount
from eventapp.platform.staff.models import User
from eventapp.registration.models import Registration
from eventapp.statements.models import AttendanceStatement, ReplacedStatementCode, RevokedBecause

CODE_BYTES = 10  # 80 random bits: 16 letters and digits of base32, unguessable even without the rate limit
_NOT_CODE = re.compile(r"[^A-Z2-7]")


class NoStatement(Exception):
    """The person gets no statement; `reason` says why ("not_checked_in", "revoked", "check_in_undone",
    "erased")."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class StatementContent:
    """What a statement says, read from its snapshot: exactly this, in the PDF and on the verification page.

    Titles are kept in both languages as issued (`title["nl"]`, `title["en"]`); `language` is the person's.
    """

    code: str
    name: str
    organisation: str
    language: str
    title: dict[str, str]
    venue: dict[str, str]
    date: dt.date
    sessions: list[dict[str, str]]
    minutes: int
    issued_at: dt.datetime

    @property
    def hours(self) -> float:
        return round(self.minutes / 60, 1)

    @property
    def printed_code(self) -> str:
        return format_code(self.code)

    def title_in(self, language: str) -> str:
        return _in(self.title, language)

    def venue_in(self, language: str) -> str:
        return _in(self.venue, language)

    def sessions_in(self, language: str) -> list[str]:
        return [_in(session, language) for session in self.sessions]


def _in(texts: dict[str, str], language: str) -> str:
    """The text in `language`, else in the other one (as text_in does for live objects)."""
    return texts.get(language) or next((text for text in texts.values() if text), "")


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
    """The person's statement, issued on first asking when they were checked in; raises NoStatement otherwise.

    A statement revoked because its check-in was undone gives way to a new one (new code) once the person is
    checked in again; one an organiser revoked stays revoked.
    """
    if registration.anonymised_at is not None:
        raise NoStatement("erased")
    statement = statement_of(db_session, registration)
    if statement is not None and statement.is_valid:
        return statement
    if statement is not None and statement.revoked_because != RevokedBecause.CHECK_IN_UNDONE:
        raise NoStatement("revoked")
    if not is_checked_in(db_session, registration):
        raise NoStatement("check_in_undone" if statement is not None else "not_checked_in")
    if statement is None:
        return _insert(db_session, registration, None, now)
    return _reissue(db_session, statement, None, now)


def _insert(
    db_session: DbSession, registration: Registration, user: User | None, now: dt.datetime
) -> AttendanceStatement:
    """One statement per registration, also when two requests ask at once (the second finds the first's)."""
    values = {
        "registration_id": registration.id,
        "event_id": registration.event_id,
        "code": new_code(),
        "issued_at": now,
        "issued_by_id": user.id if user else None,
        "snapshot": take_snapshot(db_session, registration),
    }
    insert_unless_present(db_session, AttendanceStatement, values)
    return db_session.scalars(
        select(AttendanceStatement)
        .where(AttendanceStatement.registration_id == registration.id)
        .execution_options(populate_existing=True)
    ).one()


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
        statement = _reissue(db_session, statement, user, now)
    audit(db_session, user, "statement.issued", registration=registration)
    return statement


def _reissue(
    db_session: DbSession, statement: AttendanceStatement, user: User | None, now: dt.datetime
) -> AttendanceStatement:
    """A revoked statement issued again under a new code; the old code stays known as revoked.

    One guarded UPDATE (still revoked, still the old code): of two requests at once, one reissues, the other
    finds its statement.
    """
    old_code, registration = statement.code, statement.registration
    values: dict[str, object] = {"code": new_code(), "revoked_at": None, "revoked_because": None, "issued_at": now}
    values |= {"issued_by_id": user.id if user else None, "snapshot": take_snapshot(db_session, registration)}
    changed = rowcount(
        db_session.execute(
            update(AttendanceStatement)
            .where(
                AttendanceStatement.id == statement.id,
                AttendanceStatement.code == old_code,
                AttendanceStatement.revoked_at.is_not(None),
            )
            .values(**values)
            .execution_options(synchronize_session=False)
        )
    )
    if changed:
        row = {"registration_id": registration.id, "code": old_code, "replaced_at": now, "revoked": True}
        insert_unless_present(db_session, ReplacedStatementCode, row)
    db_session.refresh(statement)
    return statement


def revoke(db_session: DbSession, statement: AttendanceStatement, user: User, now: dt.datetime) -> None:
    """Withdraw a statement: its code no longer verifies, and the person cannot download it again."""
    statement.revoked_at, statement.revoked_because = now, RevokedBecause.ORGANISER
    db_session.flush()
    audit(db_session, user, "statement.revoked", registration=statement.registration)


def replace_after_correction(
    db_session: DbSession, registration: Registration, user: User, now: dt.datetime
) -> AttendanceStatement | None:
    """An organiser corrected the registration: a valid statement gets a new code and a new snapshot; the old code
    then verifies as "replaced by a newer statement". Both audited. None when there was no valid statement."""
    statement = statement_of(db_session, registration)
    if statement is None or not statement.is_valid:
        return None
    db_session.add(ReplacedStatementCode(registration_id=registration.id, code=statement.code, replaced_at=now))
    audit(db_session, user, "statement.revoked", registration=registration, replaced=True)
    statement.code, statement.issued_at, statement.issued_by_id = new_code(), now, user.id
    statement.snapshot = take_snapshot(db_session, registration)
    db_session.flush()
    audit(db_session, user, "statement.issued", registration=registration, replaces=True)
    return statement


def revoke_after_undo(db_session: DbSession, registration: Registration, now: dt.datetime) -> None:
    """A check-in was undone: the statement it issued no longer stands (signals.check_in_undone); a new check-in
    earns a new one (statement_for)."""
    statement = statement_of(db_session, registration)
    if statement is not None and statement.is_valid:
        statement.revoked_at, statement.revoked_because = now, RevokedBecause.CHECK_IN_UNDONE
        db_session.flush()


def connect_signals() -> None:
    """Listen for undone check-ins (the app factory calls this)."""
    signals.check_in_undone.connect(_on_check_in_undone)


def _on_check_in_undone(
    _sender: Registration, db_session: DbSession, registration: Registration, now: dt.datetime, **_: object
) -> None:
    revoke_after_undo(db_session, registration, now)


@dataclass(frozen=True)
class Verification:
    """What a code verifies as: a valid statement (`statement`), a replaced one (`replaced`), a revoked one
    (`revoked`: by an organiser, or because its check-in was undone), or neither (erased)."""

    statement: AttendanceStatement | None = None
    replaced: bool = False
    revoked: bool = False


def verify_code(db_session: DbSession, code: str) -> Verification | None:
    """What `code` is: valid, replaced, or known but no longer valid (revoked, erased); None for an unknown code."""
    code = normalise_code(code)
    if len(code) != len(new_code()):
        return None
    statement = db_session.scalar(select(AttendanceStatement).where(AttendanceStatement.code == code))
    if statement is not None:
        valid = statement.is_valid and statement.registration.anonymised_at is None
        return Verification(statement=statement if valid else None, revoked=not statement.is_valid)
    revoked = db_session.scalar(select(ReplacedStatementCode.revoked).where(ReplacedStatementCode.code == code))
    if revoked is not None:
        return Verification(replaced=not revoked, revoked=revoked)
    return None


def find_valid(db_session: DbSession, code: str) -> AttendanceStatement | None:
    """The valid statement with this code, or None (unknown, replaced and revoked codes alike)."""
    verification = verify_code(db_session, code)
    return verification.statement if verification else None


def take_snapshot(db_session: DbSession, registration: Registration) -> dict:
    """What a statement says at the moment it is issued: the person, the sessions attended (door scans, else the
    seat held when the day began) with the hours, the person's language, and the event's title, venue and date."""
    event = registration.event
    sessions = attended_sessions(db_session, registration)
    return {
        "name": registration.name,
        "organisation": registration.organisation,
        "language": registration.language,
        "title": _both(event, "title"),
        "venue": _both(event, "venue"),
        "date": event.date.isoformat(),
        "sessions": [_both(session, "title") for session in sessions],
        "minutes": attended_minutes(event, sessions),
    }


def _both(obj: Event | Session, field: str) -> dict[str, str]:
    return {language: getattr(obj, f"{field}_{language}", "") or "" for language in ("nl", "en")}


def content(db_session: DbSession, statement: AttendanceStatement) -> StatementContent:
    """What the statement says: its snapshot. A statement issued before snapshots were kept is frozen now."""
    if statement.snapshot is None:
        statement.snapshot = take_snapshot(db_session, statement.registration)
        db_session.flush()
    snap = statement.snapshot
    return StatementContent(
        code=statement.code,
        name=snap["name"],
        organisation=snap["organisation"],
        language=snap["language"],
        title=snap["title"],
        venue=snap["venue"],
        date=dt.date.fromisoformat(snap["date"]),
        sessions=snap["sessions"],
        minutes=snap["minutes"],
        issued_at=statement.issued_at,
    )
