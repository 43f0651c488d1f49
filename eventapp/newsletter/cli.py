"""Command line: `flask purge-unconfirmed`."""

import click
from flask.cli import with_appcontext

from eventapp.newsletter.services import UNCONFIRMED_KEPT_DAYS, purge_unconfirmed
from eventapp.platform.db import utcnow, writes
from eventapp.platform.extensions import db


@click.command("purge-unconfirmed")
@click.option("--dry-run", is_flag=True, help="Say how many would be deleted; delete nothing.")
@with_appcontext
@writes
def purge_unconfirmed_command(dry_run: bool) -> None:
    """Delete newsletter sign-ups never confirmed within 30 days (safe to run daily)."""
    count = purge_unconfirmed(db.session, utcnow(), dry_run=dry_run)
    if dry_run:
        db.session.rollback()
        click.echo(f"{count} unconfirmed sign-ups older than {UNCONFIRMED_KEPT_DAYS} days would be deleted.")
    else:
        db.session.commit()
        click.echo(f"Deleted {count} unconfirmed sign-ups older than {UNCONFIRMED_KEPT_DAYS} days.")
