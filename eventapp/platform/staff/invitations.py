"""Personal staff accounts by invitation: an organiser invites an address with a role, the person sets a password.

The link's secret is stored only as its SHA-256. An invitation is open for 7 days and used once; inviting the same
address again replaces the open one. Accepting makes the account (or sets up again the one that address has, with
the invited role). An organiser disables and enables accounts; a disabled one cannot log in and its sessions end.
"""

import datetime as dt
import secrets

from sqlalchemy import select, update

from eventapp.platform.db import DbSession, rowcount
from eventapp.platform.staff import mails, services, sessions
from eventapp.platform.staff.models import InvitationStatus, Role, StaffInvitation, User

VALIDITY = dt.timedelta(days=7)


class InvitationError(services.AccountError):
    """An invitation that cannot be made (the message says why)."""


class OwnAddress(InvitationError):
    """An organiser inviting their own address would reset their own account (and maybe their role)."""


class InvitationClosed(LookupError):
    """The link cannot be used (any more): `status` says why (accepted, withdrawn, replaced, expired)."""

    def __init__(self, status: InvitationStatus):
        super().__init__(str(status))
        self.status = status


def status(invitation: StaffInvitation, now: dt.datetime) -> InvitationStatus:
    """How it ended, else expired from exactly 7 days after it was made, else open."""
    if invitation.ended_as is not None:  # set with ended_at
        return invitation.ended_as
    return InvitationStatus.EXPIRED if invitation.expires_at <= now else InvitationStatus.OPEN


def invite(
    db_session: DbSession, email: str, name: str, role: str, invited_by: User | None, now: dt.datetime, language: str
) -> tuple[StaffInvitation, str]:
    """A new invitation (the open one of the address is replaced) and its mail in the outbox.

    Returns the row and the link's secret (known only now: the row keeps its hash).
    """
    email = email.strip().lower()
    if role not in list(Role):
        raise InvitationError(f"role must be one of {', '.join(Role)}")
    if "@" not in email or len(email) > 254:
        raise InvitationError("an e-mail address is needed")
    if invited_by is not None and invited_by.email == email:
        raise OwnAddress("this is your own account")
    replace_open(db_session, email, now)
    token = secrets.token_urlsafe(32)
    invitation = StaffInvitation(
        email=email,
        name=name.strip()[:200],
        role=Role(role),
        token_hash=services.hash_token(token),
        invited_by_id=invited_by.id if invited_by else None,
        created_at=now,
        expires_at=now + VALIDITY,
    )
    db_session.add(invitation)
    db_session.flush()
    mails.queue_invitation(db_session, invitation, token, language, now)
    return invitation, token


def replace_open(db_session: DbSession, email: str, now: dt.datetime) -> int:
    """End the address's open invitations as replaced (their links stop working); returns how many."""
    rows = db_session.scalars(
        select(StaffInvitation).where(
            StaffInvitation.email == email, StaffInvitation.ended_at.is_(None), StaffInvitation.expires_at > now
        )
    ).all()
    for row in rows:
        row.ended_at, row.ended_as = now, InvitationStatus.REPLACED
    return len(rows)


def invitation_for_token(db_session: DbSession, token: str) -> StaffInvitation | None:
    """The invitation of a link's secret, whatever its state; None for an unknown one (looked up by hash)."""
    if not token or len(token) > 100:
        return None
    return db_session.scalar(select(StaffInvitation).where(StaffInvitation.token_hash == services.hash_token(token)))


def check_open(invitation: StaffInvitation, now: dt.datetime) -> None:
    """Raise InvitationClosed unless the invitation can be accepted now."""
    current = status(invitation, now)
    if current != InvitationStatus.OPEN:
        raise InvitationClosed(current)


def accept(db_session: DbSession, invitation: StaffInvitation, password: str, now: dt.datetime) -> User:
    """Use the invitation: the account gets this password and the invited role, and is active.

    The password is checked first (a weak one leaves the invitation open). The invitation is claimed with a
    guarded UPDATE, so of two sends of the form one sets up the account and the other is refused.
    """
    check_open(invitation, now)
    services.check_password_strength(password, invitation.email)
    claimed = db_session.execute(
        update(StaffInvitation)
        .where(
            StaffInvitation.id == invitation.id,
            StaffInvitation.ended_at.is_(None),
            StaffInvitation.expires_at > now,
        )
        .values(ended_at=now, ended_as=InvitationStatus.ACCEPTED)
        .execution_options(synchronize_session=False)
    )
    if rowcount(claimed) != 1:
        db_session.refresh(invitation)
        raise InvitationClosed(status(invitation, now))
    db_session.refresh(invitation)
    user = db_session.scalar(select(User).where(User.email == invitation.email))
    if user is None:
        user = services.create_user(db_session, invitation.email, invitation.role, password, name=invitation.name)
    else:
        services.set_password(user, password)  # ends the sessions of whoever had the old one
        services.set_role(user, invitation.role)
        user.name = invitation.name or user.name
        user.active = True
    invitation.user_id = user.id
    db_session.flush()
    return user


def withdraw(invitation: StaffInvitation, now: dt.datetime) -> bool:
    """Stop an open invitation's link; False when it was not open (accepted, replaced, expired, withdrawn)."""
    if status(invitation, now) != InvitationStatus.OPEN:
        return False
    invitation.ended_at, invitation.ended_as = now, InvitationStatus.WITHDRAWN
    return True


def open_invitations(db_session: DbSession, now: dt.datetime) -> list[StaffInvitation]:
    """The invitations that can still be accepted, soonest to expire first."""
    return list(
        db_session.scalars(
            select(StaffInvitation)
            .where(StaffInvitation.ended_at.is_(None), StaffInvitation.expires_at > now)
            .order_by(StaffInvitation.expires_at, StaffInvitation.id)
        )
    )


def disable_account(db_session: DbSession, user: User, by: User | None, now: dt.datetime) -> int:
    """The account can no longer log in and every session of it ends; returns how many were live.

    An organiser cannot disable themself (nobody might be left to enable them again).
    """
    if by is not None and by.id == user.id:
        raise OwnAddress("you cannot disable your own account")
    ended = sessions.end_all_sessions(db_session, user, now)
    user.active = False
    return ended


def enable_account(user: User) -> bool:
    """The account can log in again (with its password as it was); False when it was enabled already."""
    if user.active:
        return False
    user.active = True
    return True
