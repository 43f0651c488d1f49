"""The mails of a transfer to a colleague: the colleague's confirmation link, and the old holder's farewell.

The colleague, once the place is theirs, gets the normal confirmation (registration.mails) with their ticket and
the calendar REQUEST. The old holder's mail carries the calendar CANCEL of their appointment: the same UID, the
SEQUENCE the transfer raised, addressed to them (the registration itself has the colleague's address by then).
`register_kinds()` makes both known to the outbox (the app factory calls it).
"""

from flask import render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from eventapp.platform.calendar.ics import Person, build_calendar
from eventapp.platform.db import utcnow
from eventapp.platform.extensions import db
from eventapp.platform.i18n import Labelled, set_labels, text_in
from eventapp.platform.mail import kinds
from eventapp.platform.mail.messages import CalendarPart, MailParts
from eventapp.platform.mail.models import OutgoingMail
from eventapp.platform.settings import settings
from eventapp.platform.urls import public_url
from eventapp.registration.calendar import invitation_entry
from eventapp.registration.models import Registration, RegistrationStatus, TransferRequest


class TransferMail(Labelled):
    """The transfer's two mails of its own."""

    CONFIRM = "transfer_confirm"  # to the colleague: the link to accept the place
    GONE = "transfer_gone"  # to the old holder: the place went to the colleague


set_labels(
    TransferMail,
    {TransferMail.CONFIRM: _l("transfer: confirm the place"), TransferMail.GONE: _l("transfer: place handed over")},
)


def confirm_link(token: str) -> str:
    return public_url("registration.confirm_transfer", token=token)


def _registration(mail: OutgoingMail) -> Registration:
    registration = db.session.get(Registration, mail.registration_id) if mail.registration_id else None
    if registration is None:
        raise kinds.NothingToCompose(f"mail {mail.id}: its registration was erased")
    return registration


def _parts(subject: str, recipient: tuple[str, str], template: str, context: dict, calendar=None) -> MailParts:
    config = settings()
    return MailParts(
        subject=subject,
        sender=(config.organizer_name, config.organizer_email),
        recipient=recipient,
        text=render_template(f"mail/{template}.txt", **context),
        html=render_template(f"mail/{template}.html", **context),
        calendar=calendar,
    )


def confirm_parts(mail: OutgoingMail) -> MailParts:
    """To the colleague: who gives them their place, at which event, and the link (valid 48 hours)."""
    registration = _registration(mail)
    request = db.session.get(TransferRequest, mail.payload.get("request_id", 0))
    if request is None:
        raise kinds.NothingToCompose(f"mail {mail.id}: its transfer request is gone")
    title = text_in(registration.event, "title", mail.language)
    context = {
        "request": request,
        "holder": registration.name,
        "event": registration.event,
        "title": title,
        "link": confirm_link(mail.payload["token"]),
    }
    subject = _("%(name)s gives you their place at %(title)s", name=registration.name, title=title)
    return _parts(subject, (request.name, request.email), "transfer_confirm", context)


def gone_parts(mail: OutgoingMail) -> MailParts:
    """To the old holder: the place went to the colleague; their calendar appointment is cancelled."""
    registration = _registration(mail)
    title = text_in(registration.event, "title", mail.language)
    old_name, new_name = mail.payload.get("old_name", ""), mail.payload.get("new_name", "")
    context = {"old_name": old_name, "new_name": new_name, "title": title, "event": registration.event}
    subject = _("Your place at %(title)s went to %(name)s", title=title, name=new_name)
    return _parts(
        subject, (old_name, mail.recipient), "transfer_gone", context, cancel_for(mail, registration, old_name)
    )


def cancel_for(mail: OutgoingMail, registration: Registration, old_name: str) -> CalendarPart | None:
    """The calendar CANCEL of the old holder's appointment (none if they never had one: not confirmed)."""
    if registration.status != RegistrationStatus.CONFIRMED:
        return None
    entry = invitation_entry(registration, mail.language)
    config = settings()
    ics = build_calendar(
        [entry],
        utcnow(),
        method="CANCEL",
        name=entry.summary,
        organizer=Person(config.organizer_name, config.organizer_email),
        attendee=Person(old_name, mail.recipient),
        sequence=mail.payload.get("sequence", registration.calendar_sequence),
    )
    return CalendarPart(ics=ics, method="CANCEL")


def confirm_still_wanted(mail: OutgoingMail) -> bool:
    """A replaced, used or expired request's link would not work: its mail is not sent."""
    request = db.session.get(TransferRequest, mail.payload.get("request_id", 0))
    return request is not None and request.ended_at is None and request.expires_at > utcnow()


def register_kinds() -> None:
    kinds.register(TransferMail.CONFIRM, confirm_parts, confirm_still_wanted)
    kinds.register(TransferMail.GONE, gone_parts)
