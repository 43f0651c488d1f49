"""Delivering the outbox: claim a due mail, send it through Flask-Mail, record the outcome.

A mail is claimed by moving its next attempt a little into the future, so two senders never send
the same mail at once. On PostgreSQL a sender claims a batch in one statement whose rows are
locked with FOR UPDATE SKIP LOCKED: several senders (one per machine, say) take disjoint batches
without waiting on each other's locks or racing for the same rows. On SQLite, which has one writer
anyway, each mail is claimed with a guarded UPDATE. A sender that dies mid-send leaves the claim
to expire and the mail is tried again (at-least-once delivery); a sender whose batch grows old
(a slow SMTP server) hands the rest back rather than send after its claim ran out. A failed attempt is retried with a
doubling delay; after MAIL_MAX_ATTEMPTS the mail is marked failed for organisers to see.
"""

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from flask import Flask, current_app, has_app_context
from flask.ctx import RequestContext
from flask_mail import Connection
from sqlalchemy import event, select, update
from sqlalchemy.exc import OperationalError

from eventapp.platform.db import rowcount, utcnow, writing
from eventapp.platform.extensions import db, mail
from eventapp.platform.mail import smtp_status
from eventapp.platform.mail.kinds import compose, is_superseded, message_of
from eventapp.platform.mail.messages import MimeMessage
from eventapp.platform.mail.models import MailStatus, OutgoingMail
from eventapp.platform.settings import Settings, settings

log = logging.getLogger(__name__)
MAX_DELAY = dt.timedelta(hours=2)


@dataclass
class DeliveryReport:
    """What one round of delivery did (ids of the mails)."""

    sent: list[int] = field(default_factory=list)
    retrying: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    superseded: list[int] = field(default_factory=list)
    # Set when the SMTP server could not be reached or dropped the connection: the worker waits longer.
    smtp_error: str = ""

    @property
    def handled(self) -> int:
        """How many mails this round took; a full round means more may be waiting."""
        return len(self.sent) + len(self.retrying) + len(self.failed) + len(self.superseded)


# In a mail's payload: once sent, forget its address and message (the person asked to be erased).
FORGET_AFTER_SENDING = "forget_after_sending"


# How a round sends its claimed mails over the connection: (connection, mail ids, now, report).
Send = Callable[[Connection, list[int], dt.datetime, DeliveryReport], None]


def retry_delay(attempts: int, first: dt.timedelta) -> dt.timedelta:
    """first, 2*first, 4*first, ... capped at two hours."""
    return min(first * 2 ** (attempts - 1), MAX_DELAY)


def due_mail_ids(now: dt.datetime, limit: int) -> list[int]:
    """Pending mails whose next attempt has come, oldest first."""
    return list(
        db.session.scalars(
            select(OutgoingMail.id)
            .where(OutgoingMail.status == MailStatus.PENDING, OutgoingMail.next_attempt_at <= now)
            .order_by(OutgoingMail.next_attempt_at, OutgoingMail.id)
            .limit(limit)
        )
    )


def claim(mail_id: int, now: dt.datetime) -> bool:
    """Take a due mail for this sender, or False when another sender was first."""
    hold = dt.timedelta(seconds=settings().mail_claim_seconds)
    claimed = db.session.execute(
        update(OutgoingMail)
        .where(
            OutgoingMail.id == mail_id, OutgoingMail.status == MailStatus.PENDING, OutgoingMail.next_attempt_at <= now
        )
        .values(next_attempt_at=now + hold)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return rowcount(claimed) == 1


def claim_batch(now: dt.datetime, limit: int) -> list[int]:
    """PostgreSQL: claim up to `limit` due mails in one statement, skipping rows another sender holds."""
    hold = dt.timedelta(seconds=settings().mail_claim_seconds)
    due = (
        select(OutgoingMail.id)
        .where(OutgoingMail.status == MailStatus.PENDING, OutgoingMail.next_attempt_at <= now)
        .order_by(OutgoingMail.next_attempt_at, OutgoingMail.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    claimed = db.session.scalars(
        update(OutgoingMail)
        .where(OutgoingMail.id.in_(due.scalar_subquery()))
        .values(next_attempt_at=now + hold)
        .returning(OutgoingMail.id)
        .execution_options(synchronize_session=False)
    )
    mail_ids = sorted(claimed)
    db.session.commit()
    return mail_ids


def release(mail_ids: list[int], now: dt.datetime) -> None:
    """Hand claimed mails back: due again at once, for this or another sender."""
    with writing():
        db.session.execute(
            update(OutgoingMail)
            .where(OutgoingMail.id.in_(mail_ids), OutgoingMail.status == MailStatus.PENDING)
            .values(next_attempt_at=now)
            .execution_options(synchronize_session=False)
        )
        db.session.commit()


def _claimed_ids(now: dt.datetime, limit: int) -> Iterator[int]:
    """The mails this sender may send now, one at a time (claimed in a batch, or each as it comes)."""
    if db.engine.dialect.name == "postgresql":
        yield from claim_batch(now, limit)
        return
    mail_ids = due_mail_ids(now, limit)
    db.session.commit()  # end the read: claims and outcomes are transactions of their own
    for mail_id in mail_ids:
        if claim(mail_id, now):
            yield mail_id


def deliver_due(now: dt.datetime | None = None, limit: int = 20) -> DeliveryReport:
    """Send the mails that are due, over one SMTP connection; each outcome is committed at once."""
    now = now or utcnow()
    report = DeliveryReport()
    mail_ids = list(_claimed_ids(now, limit))
    if mail_ids:
        _over_one_connection(mail_ids, now, report, _send_claimed)
    return report


def _over_one_connection(mail_ids: list[int], now: dt.datetime, report: DeliveryReport, send: Send) -> None:
    """Open one SMTP connection and `send(connection, mail_ids, now, report)` over it; when SMTP is unreachable,
    every claimed mail waits for the next round."""
    try:
        connection = mail.connect().__enter__()
    except OSError as error:
        note_smtp_failure(error, report)
        for mail_id in mail_ids:
            record_failure(mail_id, now, error, report)
        return
    try:
        send(connection, mail_ids, now, report)
    finally:
        try:
            connection.__exit__(None, None, None)  # type: ignore[arg-type]  # flask_mail types them as never None
        except OSError:
            log.warning("SMTP connection did not close cleanly")
    if report.sent and not report.smtp_error:
        with writing():
            if smtp_status.note_sent(db.session, utcnow()):
                db.session.commit()
            db.session.rollback()


def note_smtp_failure(error: Exception, report: DeliveryReport) -> None:
    """The server could not be reached or dropped us: written for /healthz, and the round says so to its worker."""
    report.smtp_error = f"{type(error).__name__}: {error}"
    with writing():
        smtp_status.note_failure(db.session, utcnow(), error)
        db.session.commit()


def deliver_now(mail_id: int) -> DeliveryReport:
    """Send one mail at once, after the commit that queued it (privacy.farewell: the last word to someone erased);
    when SMTP cannot take it now, it waits for the sender's next round like any other."""
    now, report = utcnow(), DeliveryReport()
    if claim(mail_id, now):
        _over_one_connection(
            [mail_id], now, report, lambda connection, ids, when, into: send_one(connection, ids[0], when, into)
        )
    return report


def _send_claimed(connection: Connection, mail_ids: list[int], now: dt.datetime, report: DeliveryReport) -> None:
    """Send each claimed mail; past half the claim's hold, hand the rest back before it runs out."""
    started, hold = time.monotonic(), settings().mail_claim_seconds
    for position, mail_id in enumerate(mail_ids):
        if time.monotonic() - started > hold / 2:
            release(mail_ids[position:], utcnow())
            return
        send_one(connection, mail_id, now, report)


def send_one(connection: Connection, mail_id: int, now: dt.datetime, report: DeliveryReport) -> None:
    """Compose and send one claimed mail; record sent, superseded, or the failure.

    No transaction is open while the SMTP server is talked to: the message is composed in a read,
    the read ends, the mail goes out, and the outcome is written in a short transaction of its own.
    """
    outgoing = db.session.get(OutgoingMail, mail_id)
    if outgoing is None:  # erased since it was claimed (privacy.erase, a newsletter sign-off): nothing to send
        db.session.rollback()
        return
    try:
        message = None if is_superseded(outgoing) else built_message(outgoing)
    except OperationalError as error:  # the database went away mid-read: that passes, try again later
        db.session.rollback()
        record_failure(mail_id, now, error, report)
        return
    except Exception as error:  # noqa: BLE001 - a mail that cannot be composed is a bug: retrying will not help
        db.session.rollback()
        record_build_error(mail_id, error, report)
        return
    newly_built = outgoing.mime is None
    db.session.rollback()  # end the read before the slow part
    if message is None:
        record_outcome(mail_id, MailStatus.SUPERSEDED)
        report.superseded.append(mail_id)
        return
    if newly_built:
        keep_as_built(mail_id, message.as_bytes())
    try:
        connection.send(message)
    except Exception as error:  # noqa: BLE001 - any failure is recorded and retried
        if smtp_status.is_server_failure(error):
            note_smtp_failure(error, report)
        record_failure(mail_id, now, error, report)
        return
    record_outcome(mail_id, MailStatus.SENT)
    report.sent.append(mail_id)


def built_message(outgoing: OutgoingMail) -> MimeMessage:
    """The message to hand to SMTP: the one built before (retries send the same bytes), else composed now."""
    if outgoing.mime is not None:
        return MimeMessage(message_of(outgoing), raw=outgoing.mime)
    return MimeMessage(compose(outgoing))


def keep_as_built(mail_id: int, mime: bytes) -> None:
    """Store the message as it is handed to SMTP: the outbox pages show exactly this from now on."""
    with writing():
        outgoing = db.session.get(OutgoingMail, mail_id)
        if outgoing is not None:  # else erased meanwhile, as below: nothing to keep
            outgoing.mime = mime
        db.session.commit()


def record_outcome(mail_id: int, status: MailStatus) -> None:
    with writing():
        outgoing = db.session.get(OutgoingMail, mail_id)
        if outgoing is not None:  # else erased while it was being sent: nothing to record
            _set_outcome(outgoing, status)
        db.session.commit()


def _set_outcome(outgoing: OutgoingMail, status: MailStatus) -> None:
    outgoing.status = status
    if status == MailStatus.SENT:
        outgoing.sent_at, outgoing.attempts, outgoing.last_error = utcnow(), outgoing.attempts + 1, ""
        if outgoing.payload.get(FORGET_AFTER_SENDING):  # the last word to someone erased (privacy.farewell)
            outgoing.recipient, outgoing.mime, outgoing.payload = "erased@invalid", None, {}


def record_build_error(mail_id: int, error: Exception, report: DeliveryReport) -> None:
    """A mail whose building raised: logged with its traceback, and failed at once with the reason (the organiser
    can send it again from the outbox once the bug is fixed)."""
    log.error("mail %s could not be built", mail_id, exc_info=error)
    with writing():
        outgoing = db.session.get(OutgoingMail, mail_id)
        if outgoing is not None:  # else erased meanwhile: nothing to record
            outgoing.attempts += 1
            outgoing.status = MailStatus.FAILED
            outgoing.last_error = f"could not be built: {type(error).__name__}: {error}"[:1000]
        db.session.commit()
    report.failed.append(mail_id)


def record_failure(mail_id: int, now: dt.datetime, error: Exception, report: DeliveryReport) -> None:
    """Count the attempt; schedule the next one, or give up after the last."""
    with writing():
        _record_failure(mail_id, now, error, report)


def _record_failure(mail_id: int, now: dt.datetime, error: Exception, report: DeliveryReport) -> None:
    outgoing = db.session.get(OutgoingMail, mail_id)
    if outgoing is None:  # erased meanwhile: nothing to try again
        db.session.commit()
        return
    outgoing.attempts += 1
    outgoing.last_error = f"{type(error).__name__}: {error}"[:1000]
    config = settings()
    if outgoing.attempts >= config.mail_max_attempts:
        outgoing.status = MailStatus.FAILED
        report.failed.append(mail_id)
    else:
        outgoing.next_attempt_at = now + retry_delay(outgoing.attempts, dt.timedelta(seconds=config.mail_retry_seconds))
        report.retrying.append(mail_id)
    db.session.commit()
    log.warning("mail %s not sent (attempt %s): %s", mail_id, outgoing.attempts, type(error).__name__)


def resend(outgoing: OutgoingMail, now: dt.datetime) -> None:
    """Put a failed (or sent) mail back in line for one more round of attempts."""
    outgoing.status, outgoing.attempts, outgoing.next_attempt_at, outgoing.last_error = MailStatus.PENDING, 0, now, ""


class BackgroundSender:
    """Delivers the outbox from a thread of the web process; woken right after a commit adds mail."""

    def __init__(self, app: Flask):
        self.app = app
        self.wake = threading.Event()
        self.stopping = False
        self.thread: threading.Thread | None = None
        self.lock = threading.Lock()

    def start(self) -> None:
        """Start the thread once."""
        with self.lock:
            if self.thread is None:
                self.thread = threading.Thread(target=self.run, name="outbox-sender", daemon=True)
                self.thread.start()

    def stop(self) -> None:
        """Finish the current round and end the thread."""
        self.stopping = True
        self.wake.set()
        if self.thread is not None:
            self.thread.join(timeout=30)

    def run(self) -> None:
        poll = Settings.from_config(self.app.config).mail_sender_poll_seconds
        while not self.stopping:
            self.wake.wait(timeout=poll)
            self.wake.clear()
            if self.stopping:
                return
            with sending_context(self.app):
                try:
                    while deliver_due().handled:  # until a round finds nothing more to send
                        pass
                except Exception:  # keep the thread alive; the next round tries again
                    log.exception("outbox round failed")
                    db.session.rollback()
                finally:
                    db.session.remove()


def sending_context(app: Flask) -> RequestContext:
    """A request context at the public address, so that links in mails point there."""
    return app.test_request_context("/", base_url=Settings.from_config(app.config).public_url)


@event.listens_for(db.session, "after_flush")
def _note_new_mail(session, _context):
    if any(isinstance(obj, OutgoingMail) for obj in session.new):
        session.info["new_mail"] = True


@event.listens_for(db.session, "after_commit")
def _wake_sender(session):
    """Mail was committed: the app's in-process sender (if it has one) sends it now."""
    if session.info.pop("new_mail", False) and has_app_context():
        sender = current_app.extensions.get("outbox_sender")
        if sender is not None:
            sender.wake.set()


def init_app(app: Flask) -> None:
    """In development, run the sender in the web process, started by the first request."""
    if Settings.from_config(app.config).mail_sender_in_process:
        sender = BackgroundSender(app)
        app.extensions["outbox_sender"] = sender
        app.before_request(sender.start)
