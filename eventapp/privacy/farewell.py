"""Erasure takes the appointment out of the person's calendar: the cancellation (calendar CANCEL with the same UID
and a higher SEQUENCE, as a cancellation sends) is built while the name and address are still known, kept apart
from the registration so anonymising does not remove it, and forgets the address once sent (mail.sender)."""

from flask import current_app
from sqlalchemy import select

from eventapp.platform.db import DbSession
from eventapp.platform.mail.kinds import compose
from eventapp.platform.mail.messages import MimeMessage
from eventapp.platform.mail.models import MailStatus, OutgoingMail
from eventapp.platform.mail.sender import FORGET_AFTER_SENDING, deliver_now, sending_context
from eventapp.registration.models import Registration, RegistrationMail


def keep_the_cancellation(db_session: DbSession, registration: Registration) -> OutgoingMail | None:
    """Build the registration's pending cancellation now and unlink it from the registration (None if none)."""
    mail = db_session.scalar(
        select(OutgoingMail)
        .where(
            OutgoingMail.registration_id == registration.id,
            OutgoingMail.kind == RegistrationMail.CANCELLED,
            OutgoingMail.status == MailStatus.PENDING,
        )
        .order_by(OutgoingMail.id.desc())
        .limit(1)
    )
    if mail is None:
        return None
    db_session.flush()
    with sending_context(current_app):
        mail.mime = MimeMessage(compose(mail)).as_bytes()
    mail.registration_id = None
    mail.payload = {**mail.payload, FORGET_AFTER_SENDING: True}
    db_session.flush()
    return mail


def deliver_farewells(db_session: DbSession) -> None:
    """After the erasure's commit: send the kept cancellations now, so their address is forgotten at once
    (one that SMTP cannot take now is retried by the sender, and forgotten when it is sent)."""
    pending = db_session.scalars(
        select(OutgoingMail.id).where(
            OutgoingMail.kind == RegistrationMail.CANCELLED,
            OutgoingMail.registration_id.is_(None),
            OutgoingMail.status == MailStatus.PENDING,
        )
    ).all()
    for mail_id in pending:
        mail = db_session.get(OutgoingMail, mail_id)
        if mail is not None and mail.payload.get(FORGET_AFTER_SENDING):
            deliver_now(mail_id)
