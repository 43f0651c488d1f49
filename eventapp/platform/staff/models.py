"""Staff accounts (desk and organiser) and named tokens for dedicated scanner devices."""

import datetime as dt
import secrets

from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eventapp.platform.db import StatusText, UTCDateTime, sql_values, utcnow
from eventapp.platform.extensions import Model
from eventapp.platform.i18n import Labelled, set_labels


class Role(Labelled):
    """What a member of staff may do: desk staff scan; organisers also run the back office."""

    DESK = "desk"
    ORGANISER = "organiser"


set_labels(Role, {Role.DESK: _l("desk staff"), Role.ORGANISER: _l("organiser")})


def new_session_token() -> str:
    return secrets.token_urlsafe(32)


class User(UserMixin, Model):
    """A member of staff who logs in: desk staff scan, organisers also run the back-office."""

    __tablename__ = "staff_user"
    __table_args__ = (CheckConstraint(f"role IN ({sql_values(Role)})", name="role_known"),)
    __allow_unmapped__ = True  # login_secret below: an annotated plain attribute, which the ORM is to leave alone

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(StatusText(Role))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # What the session cookie names instead of the id (Flask-Login's "alternative tokens"): a new
    # one at logout, password or role change makes every cookie issued before it worthless.
    session_token: Mapped[str] = mapped_column(String(64), unique=True, default=new_session_token)

    # The secret of this browser's staff_session, set at login (staff.sessions) for Flask-Login to store.
    login_secret: str | None = None  # a plain attribute, not a column

    def get_id(self) -> str:
        return self.login_secret or self.session_token

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_organiser(self) -> bool:
        return self.role == Role.ORGANISER

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"


class DeviceToken(Model):
    """A scanner device's credential; only its SHA-256 is stored, the token is shown once."""

    __tablename__ = "device_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # Every token ends: a lost scanner stops working by itself even when nobody revokes it.
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    # The event it scans for (its validity follows that day); None: a token made without an event.
    event_id: Mapped[int | None] = mapped_column(ForeignKey("event.id", ondelete="SET NULL"), index=True)

    def __repr__(self) -> str:
        return f"<DeviceToken {self.name}>"


class DevicePairing(Model):
    """A one-time link that makes a browser a desk device: the QR on the devices page holds its secret.

    Only the secret's SHA-256 is stored. The device's token waits here sealed with a key made from the
    secret (eventapp.platform.staff.pairing), so the stored row alone cannot give the token away; it is wiped at use.
    """

    __tablename__ = "device_pairing"

    id: Mapped[int] = mapped_column(primary_key=True)
    device_id: Mapped[int] = mapped_column(ForeignKey("device_token.id", ondelete="CASCADE"), index=True)
    secret_hash: Mapped[str] = mapped_column(String(64), unique=True)
    sealed_token: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    device: Mapped[DeviceToken] = relationship()

    def __repr__(self) -> str:
        return f"<DevicePairing {self.id} of {self.device_id}>"


class StaffSession(Model):
    """One browser's login: logging out ends this row only; "log out everywhere" ends them all.

    The cookie holds a secret whose SHA-256 is `token_hash`. `generation` is the account's session_token
    when the login began: a new one (password or role change, log out everywhere) ends every older session.
    """

    __tablename__ = "staff_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    generation: Mapped[str] = mapped_column(String(64))
    device_name: Mapped[str] = mapped_column(String(200), default="")
    address: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<StaffSession {self.id} of {self.user_id}>"


class InvitationStatus(Labelled):
    """Where an invitation stands: open until accepted, withdrawn, replaced by a newer one, or 7 days old."""

    OPEN = "open"
    ACCEPTED = "accepted"
    WITHDRAWN = "withdrawn"
    REPLACED = "replaced"
    EXPIRED = "expired"


set_labels(
    InvitationStatus,
    {
        InvitationStatus.OPEN: _l("open"),
        InvitationStatus.ACCEPTED: _l("accepted"),
        InvitationStatus.WITHDRAWN: _l("withdrawn"),
        InvitationStatus.REPLACED: _l("replaced by a newer invitation"),
        InvitationStatus.EXPIRED: _l("expired"),
    },
)
# What an ended invitation was ended by (expiry is a matter of time, not of a row).
ENDINGS = (InvitationStatus.ACCEPTED, InvitationStatus.WITHDRAWN, InvitationStatus.REPLACED)


class StaffInvitation(Model):
    """An organiser's invitation to a personal staff account: its link lets the person set a password.

    Only the SHA-256 of the link's secret is stored. Used once; `ended_as` says how it ended.
    """

    __tablename__ = "staff_invitation"
    __table_args__ = (
        CheckConstraint(f"role IN ({sql_values(Role)})", name="role_known"),
        CheckConstraint(f"ended_as IS NULL OR ended_as IN ({sql_values(ENDINGS)})", name="ended_as_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[Role] = mapped_column(StatusText(Role))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    ended_as: Mapped[InvitationStatus | None] = mapped_column(StatusText(InvitationStatus))
    # The account it made or set up, once accepted.
    user_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id", ondelete="SET NULL"))

    invited_by: Mapped[User | None] = relationship(foreign_keys=[invited_by_id])

    def __repr__(self) -> str:
        return f"<StaffInvitation {self.id} {self.role}>"
