"""Command line: `flask send-mail` and `flask send-reminders`."""

import datetime as dt
import time
from zoneinfo import ZoneInfo

import click
from flask import current_app
from flask.cli import with_appcontext

from eventapp.db import utcnow, writes
from eventapp.extensions import db
from eventapp.mail.reminders import queue_reminders
from eventapp.mail.sender import deliver_due, sending_context


@click.command("send-mail")
@click.option("--loop", is_flag=True, help="Keep running: a worker that delivers the outbox as mail arrives.")
@click.option("--interval", default=5.0, show_default=True, help="Seconds between rounds with --loop.")
@with_appcontext
def send_mail_command(loop: bool, interval: float) -> None:
    """Deliver the mails that are due from the outbox (once, or as a long-running worker)."""
    app = current_app._get_current_object()
    while True:
        with sending_context(app):
            report = deliver_due()
            db.session.remove()
        if report.sent or report.retrying or report.failed or not loop:
            click.echo(f"sent {len(report.sent)}, retrying {len(report.retrying)}, failed {len(report.failed)}")
        if not loop:
            return
        time.sleep(interval)


@click.command("send-reminders")
@click.option(
    "--date", "event_date", type=click.DateTime(formats=["%Y-%m-%d"]), help="Events on this day (default: tomorrow)."
)
@with_appcontext
@writes
def send_reminders_command(event_date) -> None:
    """Queue the day-before reminder for every confirmed attendee of tomorrow's events (run daily)."""
    if event_date is None:
        today = dt.datetime.now(ZoneInfo(current_app.config["EVENT_TIMEZONE"])).date()
        day = today + dt.timedelta(days=1)
    else:
        day = event_date.date()
    count = queue_reminders(db.session, day, utcnow())
    db.session.commit()
    click.echo(f"{count} reminders queued for {day.isoformat()}; `flask send-mail` delivers them.")
