"""Command line: `flask send-reminders`."""

import datetime as dt

import click
from flask.cli import with_appcontext

from eventapp.db import utcnow, writes
from eventapp.events.services import today_local
from eventapp.extensions import db
from eventapp.registration.mails import queue_reminders


@click.command("send-reminders")
@click.option(
    "--date", "event_date", type=click.DateTime(formats=["%Y-%m-%d"]), help="Events on this day (default: tomorrow)."
)
@with_appcontext
@writes
def send_reminders_command(event_date) -> None:
    """Queue the day-before reminder for every confirmed attendee of tomorrow's events (run daily)."""
    day = today_local() + dt.timedelta(days=1) if event_date is None else event_date.date()
    count = queue_reminders(db.session, day, utcnow())
    db.session.commit()
    click.echo(f"{count} reminders queued for {day.isoformat()}; `flask send-mail` delivers them.")
