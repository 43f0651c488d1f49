"""Staff sessions per browser: start one at login, find it from the cookie, end one or all of an account's."""

import datetime as dt
import secrets

from sqlalchemy import select, update

from eventapp.platform.db import DbSession
from eventapp.platform.staff.models import StaffSession, User
from eventapp.platform.staff.services import end_sessions, hash_token

# Seen once a minute is precise enough for "last seen", and spares a write per request.
SEEN_RESOLUTION = dt.timedelta(minutes=1)
# A session not used for this long is over (a tablet left in a drawer after the day).
IDLE_LIMIT = dt.timedelta(days=14)


def start_session(db_session: DbSession, user: User, now: dt.datetime, device_name: str, address: str) -> str:
    """A new session for this browser; returns the secret its cookie holds (set on `user` for Flask-Login too)."""
    secret = secrets.token_urlsafe(32)
    db_session.add(
        StaffSession(
            user_id=user.id,
            token_hash=hash_token(secret),
            generation=user.session_token,
            device_name=device_name.strip()[:200],
            address=(address or "")[:64],
            created_at=now,
            last_seen_at=now,
        )
    )
    db_session.flush()
    user.login_secret = secret
    return secret


def is_live(staff_session: StaffSession, now: dt.datetime) -> bool:
    """Not ended, not idle too long, and begun after the account's last "log out everywhere"."""
    return (
        staff_session.ended_at is None
        and staff_session.last_seen_at > now - IDLE_LIMIT
        and staff_session.generation == staff_session.user.session_token
        and staff_session.user.active
    )


def session_for_secret(db_session: DbSession, secret: str, now: dt.datetime) -> StaffSession | None:
    """The live session a cookie names, or None (ended, idle, from before "log out everywhere", forged)."""
    if not secret or len(secret) > 64:
        return None
    staff_session = db_session.scalar(select(StaffSession).where(StaffSession.token_hash == hash_token(secret)))
    if staff_session is None or not is_live(staff_session, now):
        return None
    staff_session.user.login_secret = secret
    return staff_session


def seen_due(staff_session: StaffSession, now: dt.datetime) -> bool:
    return staff_session.last_seen_at <= now - SEEN_RESOLUTION


def note_seen(db_session: DbSession, staff_session_id: int, now: dt.datetime) -> None:
    """Remember the session's last request (a guarded UPDATE: of requests arriving together one writes)."""
    db_session.execute(
        update(StaffSession)
        .where(StaffSession.id == staff_session_id, StaffSession.last_seen_at <= now - SEEN_RESOLUTION)
        .values(last_seen_at=now)
    )


def end_session(staff_session: StaffSession, now: dt.datetime) -> bool:
    """End one session (logging out, or revoking it from the account page); False when it had ended already."""
    if staff_session.ended_at is not None:
        return False
    staff_session.ended_at = now
    return True


def end_all_sessions(db_session: DbSession, user: User, now: dt.datetime) -> int:
    """Log out everywhere: every session of the account ends; returns how many were live."""
    live = active_sessions(db_session, user, now)
    for staff_session in live:
        staff_session.ended_at = now
    end_sessions(user)  # and whatever cookie still names the account's old token
    return len(live)


def active_sessions(db_session: DbSession, user: User, now: dt.datetime) -> list[StaffSession]:
    """The account's live sessions, most recently seen first."""
    rows = db_session.scalars(
        select(StaffSession)
        .where(StaffSession.user_id == user.id, StaffSession.ended_at.is_(None))
        .order_by(StaffSession.last_seen_at.desc(), StaffSession.id.desc())
    )
    return [row for row in rows if is_live(row, now)]


def account_session(db_session: DbSession, user: User, session_id: int) -> StaffSession | None:
    """One of this account's sessions (never another account's)."""
    staff_session = db_session.get(StaffSession, session_id)
    return staff_session if staff_session is not None and staff_session.user_id == user.id else None
