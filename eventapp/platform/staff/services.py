"""Staff accounts and device tokens: creating them, checking credentials, ending them."""

import datetime as dt
import hashlib
import secrets

from sqlalchemy import or_, select, update
from werkzeug.security import check_password_hash, generate_password_hash

from eventapp.platform.db import DbSession, rowcount
from eventapp.platform.staff.models import DeviceToken, Role, User, new_session_token

MIN_PASSWORD_LENGTH = 10
# zxcvbn's scale is 0-4; 3 is "safely unguessable" by an online attacker, which a login page is.
MIN_PASSWORD_SCORE = 3
DEFAULT_DEVICE_DAYS = 30
MAX_DEVICE_DAYS = 366
# A scanner posts several scans a second at the door: remembering each one would be a write per scan.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)
# Checked against when the address is unknown, so a wrong address takes as long as a wrong password.
_UNKNOWN_USER_HASH = generate_password_hash(secrets.token_urlsafe(16))

ACTIVE, EXPIRED, REVOKED = "active", "expired", "revoked"


class AccountError(ValueError):
    """A request about accounts that cannot be carried out (the message says why)."""


class WeakPassword(AccountError):
    """A password the strength rules refuse; `too_short` tells the pages which sentence to show."""

    def __init__(self, message: str, too_short: bool = False):
        super().__init__(message)
        self.too_short = too_short


class DuplicateDeviceName(AccountError):
    """Names tell devices apart in lists and on check-ins, so each is used once."""


def check_password_strength(password: str, email: str = "") -> None:
    """Refuse short passwords and guessable ones (common, keyboard walks, names plus years)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise WeakPassword(f"the password needs at least {MIN_PASSWORD_LENGTH} characters", too_short=True)
    # Imported here: its word lists take about 12 MB that no web worker needs (passwords are set by commands).
    from zxcvbn import zxcvbn

    # zxcvbn is slow on very long input and gains nothing there.
    result = zxcvbn(password[:100], user_inputs=[part for part in email.replace("@", " ").split() if part])
    if result["score"] < MIN_PASSWORD_SCORE:
        warning = result["feedback"]["warning"] or "it is too easy to guess"
        raise WeakPassword(f"the password is too weak: {warning.rstrip('.').lower()}; try a few unusual words")


def create_user(db_session: DbSession, email: str, role: str, password: str, name: str = "") -> User:
    """A new staff account with a hashed password."""
    email = email.strip().lower()
    if role not in list(Role):
        raise AccountError(f"role must be one of {', '.join(Role)}")
    if "@" not in email:
        raise AccountError("an e-mail address is needed")
    check_password_strength(password, email)
    if db_session.scalar(select(User.id).where(User.email == email)) is not None:
        raise AccountError(f"{email} already has an account")
    user = User(
        email=email, role=role, name=name or email.split("@")[0], password_hash=generate_password_hash(password)
    )
    db_session.add(user)
    db_session.flush()
    return user


def user_by_email(db_session: DbSession, email: str) -> User:
    user = db_session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None:
        raise AccountError(f"no account for {email.strip()}")
    return user


def end_sessions(user: User) -> None:
    """Every session cookie of this account stops working (they name the old token)."""
    user.session_token = new_session_token()


def set_password(user: User, password: str) -> None:
    """A new password; whoever was logged in with the old one is logged out."""
    check_password_strength(password, user.email)
    user.password_hash = generate_password_hash(password)
    end_sessions(user)


def set_role(user: User, role: str) -> None:
    """A new role; open sessions end, so nobody keeps organiser pages open after losing the role."""
    if role not in list(Role):
        raise AccountError(f"role must be one of {', '.join(Role)}")
    if role != user.role:
        user.role = Role(role)
        end_sessions(user)


def user_for_session(db_session: DbSession, session_token: str) -> User | None:
    """The active account a session cookie names, or None for an old or forged one."""
    if not session_token or len(session_token) > 64:
        return None
    user = db_session.scalar(select(User).where(User.session_token == session_token))
    return user if user is not None and user.active else None


def authenticate(db_session: DbSession, email: str, password: str, now: dt.datetime) -> User | None:
    """The active account with this address and password, or None (in about the same time either way)."""
    user = db_session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None:
        check_password_hash(_UNKNOWN_USER_HASH, password)
        return None
    if not check_password_hash(user.password_hash, password) or not user.active:
        return None
    user.last_login_at = now
    return user


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_device_token(
    db_session: DbSession,
    name: str,
    created_by: User | None,
    now: dt.datetime,
    days: int = DEFAULT_DEVICE_DAYS,
    event_id: int | None = None,
    expires_at: dt.datetime | None = None,
) -> tuple[DeviceToken, str]:
    """A named token for a scanner device; returns the row and the token (shown this once only).

    It lasts `days` unless `expires_at` is given (for an event: staff.pairing.device_token_valid_until).
    """
    name = name.strip()
    if not name:
        raise AccountError("a device needs a name")
    if expires_at is None:
        if not 1 <= days <= MAX_DEVICE_DAYS:
            raise AccountError(f"a token lasts 1 to {MAX_DEVICE_DAYS} days")
        expires_at = now + dt.timedelta(days=days)
    if not now < expires_at <= now + dt.timedelta(days=MAX_DEVICE_DAYS + 2):
        raise AccountError(f"a token ends in the future, within {MAX_DEVICE_DAYS} days (this event is over?)")
    if db_session.scalar(select(DeviceToken.id).where(DeviceToken.name == name)) is not None:
        raise DuplicateDeviceName(f"a device named {name!r} exists")
    token = secrets.token_urlsafe(32)
    device = DeviceToken(
        name=name,
        token_hash=hash_token(token),
        created_by_id=created_by.id if created_by else None,
        created_at=now,
        expires_at=expires_at,
        event_id=event_id,
    )
    db_session.add(device)
    db_session.flush()
    return device, token


def device_status(device: DeviceToken, now: dt.datetime) -> str:
    if device.revoked_at is not None:
        return REVOKED
    return EXPIRED if device.expires_at <= now else ACTIVE


def device_for_token(db_session: DbSession, token: str, now: dt.datetime) -> DeviceToken | None:
    """The device whose token this is, unless revoked or expired (looked up by hash: no timing on the token)."""
    if not token or len(token) > 200:
        return None
    device = db_session.scalar(select(DeviceToken).where(DeviceToken.token_hash == hash_token(token)))
    return device if device is not None and device_status(device, now) == ACTIVE else None


def device_use_due(device: DeviceToken, now: dt.datetime) -> bool:
    """Whether the device's last use is older than the resolution (most calls need not write)."""
    return device.last_used_at is None or device.last_used_at <= now - LAST_USED_RESOLUTION


def note_device_use(db_session: DbSession, device: DeviceToken, now: dt.datetime) -> bool:
    """Remember when the device was last used, at most once a minute; True when it wrote.

    A guarded UPDATE, so of many scans arriving together only the first one writes.
    """
    result = db_session.execute(
        update(DeviceToken)
        .where(DeviceToken.id == device.id)
        .where(or_(DeviceToken.last_used_at.is_(None), DeviceToken.last_used_at <= now - LAST_USED_RESOLUTION))
        .values(last_used_at=now)
        .execution_options(synchronize_session=False)
    )
    return rowcount(result) == 1


def list_device_tokens(db_session: DbSession) -> list[DeviceToken]:
    return list(db_session.scalars(select(DeviceToken).order_by(DeviceToken.created_at.desc(), DeviceToken.id.desc())))


def device_by_name(db_session: DbSession, name: str) -> DeviceToken:
    device = db_session.scalar(select(DeviceToken).where(DeviceToken.name == name.strip()))
    if device is None:
        raise AccountError(f"no device named {name.strip()!r}")
    return device


def revoke_device_token(device: DeviceToken, now: dt.datetime) -> bool:
    """Stop the device's token now; False when it was revoked already (the first moment stays)."""
    if device.revoked_at is not None:
        return False
    device.revoked_at = now
    return True
