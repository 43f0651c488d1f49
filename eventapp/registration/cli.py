"""Command line: `flask send-reminders`, `flask release-unclaimed`, `flask freeze-day-seats`."""

import datetime as dt

import click
from flask.cli import with_appcontext

from eventapp.events.services import today_local
from eventapp.platform.db import utcnow, writes
from eventapp.platform.extensions import db
from eventapp.platform.settings import settings
from eventapp.registration import day_seats
from eventapp.registration.holds import release_due
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


@click.command("release-unclaimed")
@with_appcontext
@writes
def release_unclaimed_command() -> None:
    """Release the seats held longer than UNCONFIRMED_HOLD_HOURS by people who never opened their link.

    Each event before its day, under its seat lock; run every 15 minutes by the scheduler. Running it
    twice releases nothing more: a released registration is on the waitlist.
    """
    hold = dt.timedelta(hours=int(settings().unconfirmed_hold_hours))
    released = release_due(db.session, utcnow(), hold)
    for slug, count in released.items():
        click.echo(f"{slug}: {count} unclaimed seats released to the waitlist")
    click.echo(f"{sum(released.values())} unclaimed seats released.")


@click.command("freeze-day-seats")
@with_appcontext
@writes
def freeze_day_seats_command() -> None:
    """Write down the session seats held at the start of the day, for every event whose day it is (once each).

    Run every 15 minutes by the scheduler; the first seat change of the day does it too, should this not have run.
    Where a session's doors are not scanned, these seats say who attended it.
    """
    frozen = day_seats.freeze_due(db.session, utcnow())
    db.session.commit()
    for slug, count in frozen.items():
        click.echo(f"{slug}: {count} seats held at the start of the day written down")
    click.echo(f"{len(frozen)} events' seats written down.")
