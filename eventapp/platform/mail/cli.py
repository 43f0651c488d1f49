"""Command line: `flask send-mail`."""

import logging
import time

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from eventapp.platform.db import DATABASE_UNAVAILABLE
from eventapp.platform.extensions import db
from eventapp.platform.mail.sender import DeliveryReport, deliver_due, sending_context

log = logging.getLogger(__name__)
# While the database or SMTP is down the worker waits ever longer between rounds, up to this.
MAX_PAUSE_SECONDS = 60.0


@click.command("send-mail")
@click.option("--loop", is_flag=True, help="Keep running: a worker that delivers the outbox as mail arrives.")
@click.option("--interval", default=5.0, show_default=True, help="Seconds between rounds with --loop.")
@with_appcontext
def send_mail_command(loop: bool, interval: float) -> None:
    """Deliver the mails that are due from the outbox (once, or as a long-running worker).

    The worker outlives outages: when the database or the SMTP server is out of reach it says so, waits (twice as
    long each time, up to a minute) and tries again.
    """
    app = current_app
    outages = 0
    while True:
        report, trouble = one_round(app, raise_outage=not loop)
        if report is not None and (report.handled or not loop):
            click.echo(f"sent {len(report.sent)}, retrying {len(report.retrying)}, failed {len(report.failed)}")
        if not loop:
            return
        if trouble or report is None:  # no report only when the database was out of reach, which trouble says
            outages += 1
            pause = backoff(interval, outages)
            click.echo(f"{trouble}; trying again in {pause:.1f} s", err=True)
            time.sleep(pause)
            continue
        outages = 0
        if not report.handled:  # after a busy round, look again at once
            time.sleep(interval)


def one_round(app: Flask, raise_outage: bool) -> tuple[DeliveryReport | None, str]:
    """Deliver what is due; with the reason to wait longer, if the database or SMTP was out of reach."""
    with sending_context(app):
        try:
            report = deliver_due()
        except DATABASE_UNAVAILABLE as error:
            reason = f"database out of reach ({type(getattr(error, 'orig', None) or error).__name__})"
            if raise_outage:
                raise click.ClickException(reason) from error
            log.warning("outbox round: %s", reason)
            return None, reason
        finally:
            db.session.remove()
    return report, (f"SMTP server out of reach ({report.smtp_error})" if report.smtp_error else "")


def backoff(interval: float, outages: int) -> float:
    """interval * 2, * 4, ... after each failed round in a row, capped at MAX_PAUSE_SECONDS."""
    return min(max(interval, 0.1) * 2**outages, MAX_PAUSE_SECONDS)
