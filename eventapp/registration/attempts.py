"""Every registration attempt is answered by mail: a new address gets its ticket, a known one its personal link again.

Nobody learns from the answer on the page whether an address is registered (views: the check-mail page).
"""

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import func, select

from eventapp.events.models import Event
from eventapp.platform.db import DbSession
from eventapp.platform.mail import outbox
from eventapp.platform.mail.models import OutgoingMail
from eventapp.registration.models import Registration, RegistrationMail
from eventapp.registration.services import AlreadyRegistered, PersonDetails, register

MANAGE_LINK_MAILS_PER_HOUR = 3


@dataclass(frozen=True)
class Mailed:
    """What a registration attempt did; the asker is only told that the address got a mail."""

    registration: Registration
    mail: OutgoingMail | None  # None when the address had its link mailed often enough this hour
    is_new: bool


def register_or_remind(
    db_session: DbSession,
    event: Event,
    person: PersonDetails,
    session_ids: Mapping[int, int],
    consent_version: str,
    now: dt.datetime,
    wants_newsletter: bool = False,
    ranking: Mapping[int, Sequence[int | None]] | None = None,
    second_ids: Mapping[int, int | None] | None = None,
) -> Mailed:
    """Register a new address, or mail a registered one its personal link again.

    Either way the answer goes to the address, never to the asker: nobody learns whether an
    address is registered, and only its owner reaches the personal page. The seat is held at once.
    """
    try:
        registration = register(
            db_session,
            event,
            person,
            session_ids,
            consent_version,
            now,
            wants_newsletter=wants_newsletter,
            ranking=ranking,
            second_ids=second_ids,
        )
    except AlreadyRegistered as already:
        return Mailed(already.registration, send_manage_link(db_session, already.registration, now), is_new=False)
    mail = db_session.scalar(
        select(OutgoingMail).where(OutgoingMail.registration_id == registration.id).order_by(OutgoingMail.id.desc())
    )
    return Mailed(registration, mail, is_new=True)


def send_manage_link(db_session: DbSession, registration: Registration, now: dt.datetime) -> OutgoingMail | None:
    """Mail the personal link again (asked by registering twice); a few times an hour at most."""
    recent = db_session.scalars(
        select(func.count())
        .select_from(OutgoingMail)
        .where(
            OutgoingMail.registration_id == registration.id,
            OutgoingMail.kind == RegistrationMail.MANAGE_LINK,
            OutgoingMail.created_at > now - dt.timedelta(hours=1),
        )
    ).one()
    if recent >= MANAGE_LINK_MAILS_PER_HOUR:
        return None
    return outbox.enqueue(db_session, RegistrationMail.MANAGE_LINK, registration, now)
