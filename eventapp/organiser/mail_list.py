"""The outbox list's filter: by event, kind of mail, status and a part of the address; newest first."""

from dataclasses import dataclass

from sqlalchemy import func, select

from eventapp.events.models import Event
from eventapp.platform.mail.kinds import known
from eventapp.platform.mail.models import MailStatus, OutgoingMail
from eventapp.registration.models import Registration

QUERY_LENGTH = 254  # an address is never longer


@dataclass(frozen=True)
class MailFilter:
    event: Event | None = None
    kind: str = ""
    status: str = ""
    query: str = ""


def mail_filter(event: Event | None, kind: str, status: str, query: str) -> MailFilter:
    """The filter from what was asked; a kind or status no mail can have filters nothing out (the whole list)."""
    return MailFilter(
        event=event,
        kind=kind if known(kind) else "",
        status=status if status in MailStatus._value2member_map_ else "",
        query=query.strip()[:QUERY_LENGTH],
    )


def mail_query(wanted: MailFilter):
    """The outbox's mails matching the filter, newest first (a select, for paging)."""
    statement = select(OutgoingMail).order_by(OutgoingMail.id.desc())
    if wanted.event is not None:  # the mails about the event's registrations (a newsletter is about no event)
        of_event = select(Registration.id).where(Registration.event_id == wanted.event.id)
        statement = statement.where(OutgoingMail.registration_id.in_(of_event))
    if wanted.kind:
        statement = statement.where(OutgoingMail.kind == wanted.kind)
    if wanted.status:
        statement = statement.where(OutgoingMail.status == wanted.status)
    if wanted.query:
        statement = statement.where(
            func.lower(OutgoingMail.recipient).contains(wanted.query.casefold(), autoescape=True)
        )
    return statement
