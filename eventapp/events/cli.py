"""Command line: `flask --app wsgi seed-demo`."""

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from eventapp.db import utcnow
from eventapp.events.demo import load_demo_day
from eventapp.events.models import Event
from eventapp.extensions import db


@click.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Only when the database holds no event at all.")
@with_appcontext
def seed_demo_command(if_empty: bool) -> None:
    """Load the demo program day (slug jeugd-en-veiligheid-6); running it again changes nothing."""
    if if_empty and db.session.scalar(select(Event.id).limit(1)) is not None:
        click.echo("The database already holds events; demo day not loaded.")
        return
    event = load_demo_day(db.session, utcnow(), current_app.config["EVENT_TIMEZONE"])
    db.session.commit()
    if event is None:
        click.echo("The demo day is already there; nothing changed.")
    else:
        click.echo(f"Loaded the demo day '{event.slug}' on {event.date:%A %d %B %Y}.")
