"""The invitation mail to a personal staff account: who invites, for which role, the link and until when.

`register_kinds()` makes it known to the outbox (the app factory calls it). The payload carries the link's secret:
the invitation row keeps only its hash, and the mail is the one place the person gets it from.
"""

import datetime as dt

from flask import render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from eventapp.platform.db import DbSession, utcnow
from eventapp.platform.extensions import db
from eventapp.platform.i18n import Labelled, set_labels
from eventapp.platform.mail import kinds, outbox
from eventapp.platform.mail.messages import MailParts
from eventapp.platform.mail.models import OutgoingMail
from eventapp.platform.settings import settings
from eventapp.platform.staff.models import StaffInvitation
from eventapp.platform.urls import public_url


class StaffMail(Labelled):
    """The staff area's mail."""

    INVITATION = "staff_invitation"


set_labels(StaffMail, {StaffMail.INVITATION: _l("invitation to a staff account")})


def invitation_link(token: str) -> str:
    """The absolute link at the public address (never the Host header of the organiser's request)."""
    return public_url("staff.invitation", token=token)


def queue_invitation(
    db_session: DbSession, invitation: StaffInvitation, token: str, language: str, now: dt.datetime
) -> OutgoingMail:
    return outbox.enqueue_to(
        db_session, StaffMail.INVITATION, invitation.email, language, now, invitation_id=invitation.id, token=token
    )


def invitation_of(mail: OutgoingMail) -> StaffInvitation | None:
    return db.session.get(StaffInvitation, mail.payload.get("invitation_id", 0))


def invitation_parts(mail: OutgoingMail) -> MailParts:
    invitation = invitation_of(mail)
    if invitation is None:
        raise kinds.NothingToCompose(f"mail {mail.id}: its invitation is gone")
    inviter = invitation.invited_by
    context = {
        "invitation": invitation,
        "inviter": (inviter.name or inviter.email) if inviter else settings().organizer_name,
        "link": invitation_link(mail.payload["token"]),
    }
    config = settings()
    return MailParts(
        subject=_("Your staff account for %(organiser)s", organiser=config.organizer_name),
        sender=(config.organizer_name, config.organizer_email),
        recipient=(invitation.name, invitation.email),
        text=render_template("mail/staff_invitation.txt", **context),
        html=render_template("mail/staff_invitation.html", **context),
    )


def still_wanted(mail: OutgoingMail) -> bool:
    """A replaced, withdrawn or expired invitation's mail is not sent: its link would not work."""
    invitation = invitation_of(mail)
    return invitation is not None and invitation.ended_at is None and invitation.expires_at > utcnow()


def register_kinds() -> None:
    kinds.register(StaffMail.INVITATION, invitation_parts, still_wanted)
