"""Staff accounts and device tokens: creating them and checking credentials."""

import datetime as dt
import hashlib
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession
from werkzeug.security import check_password_hash, generate_password_hash

from eventapp.staff.models import ROLES, DeviceToken, User

MIN_PASSWORD_LENGTH = 10
# Checked against when the address is unknown, so a wrong address takes as long as a wrong password.
_UNKNOWN_USER_HASH = generate_password_hash(secrets.token_urlsafe(16))


class AccountError(ValueError):
    """A request about accounts that cannot be carried out (the message says why)."""


def create_user(db_session: DbSession, email: str, role: str, password: str, name: str = "") -> User:
    """A new staff account with a hashed password."""
    email = email.strip().lower()
    if role not in ROLES:
        raise AccountError(f"role must be one of {', '.join(ROLES)}")
    if "@" not in email:
        raise AccountError("an e-mail address is needed")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"the password needs at least {MIN_PASSWORD_LENGTH} characters")
    if db_session.scalar(select(User.id).where(User.email == email)) is not None:
        raise AccountError(f"{email} already has an account")
    user = User(
        email=email, role=role, name=name or email.split("@")[0], password_hash=generate_password_hash(password)
    )
    db_session.add(user)
    db_session.flush()
    return user


def set_password(user: User, password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"the password needs at least {MIN_PASSWORD_LENGTH} characters")
    user.password_hash = generate_password_hash(password)


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


def create_device_token(db_session: DbSession, name: str, created_by: User | None) -> tuple[DeviceToken, str]:
    """A named token for a scanner device; returns the row and the token (shown this once only)."""
    name = name.strip()
    if not name:
        raise AccountError("a device needs a name")
    if db_session.scalar(select(DeviceToken.id).where(DeviceToken.name == name)) is not None:
        raise AccountError(f"a device named {name!r} exists")
    token = secrets.token_urlsafe(32)
    device = DeviceToken(name=name, token_hash=hash_token(token), created_by_id=created_by.id if created_by else None)
    db_session.add(device)
    db_session.flush()
    return device, token


def device_for_token(db_session: DbSession, token: str) -> DeviceToken | None:
    """The device whose token this is, unless revoked (looked up by hash: no timing on the token)."""
    if not token or len(token) > 200:
        return None
    device = db_session.scalar(select(DeviceToken).where(DeviceToken.token_hash == hash_token(token)))
    return device if device is not None and device.revoked_at is None else None
