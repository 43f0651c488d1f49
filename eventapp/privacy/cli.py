"""Command line: `flask purge-personal-data` and `flask backup`."""

import sqlite3
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy.engine import make_url

from eventapp.events.services import today_local
from eventapp.platform.db import checkpoint_erased, utcnow, writes
from eventapp.platform.extensions import db
from eventapp.platform.settings import settings
from eventapp.privacy.services import purge_personal_data


@click.command("purge-personal-data")
@click.option("--dry-run", is_flag=True, help="Say what would be anonymised; change nothing.")
@with_appcontext
@writes
def purge_personal_data_command(dry_run: bool) -> None:
    """Anonymise registrations of events that ended more than RETENTION_DAYS ago (safe to run daily)."""
    days = settings().retention_days
    counts = purge_personal_data(db.session, today_local(), days, utcnow(), dry_run)
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
        if counts and not checkpoint_erased(db.engine):
            click.echo("The SQLite WAL is busy; the anonymised values leave it at the next checkpoint.")
    verb = "would be anonymised" if dry_run else "anonymised"
    if not counts:
        click.echo(f"Nothing to do: no event ended more than {days} days ago with personal data left.")
    for slug, count in sorted(counts.items()):
        click.echo(f"{slug}: {count} registrations {verb}.")


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, writable=True))
@with_appcontext
def backup_command(path: str) -> None:
    """Write a consistent copy of the live SQLite database to PATH (SQLite's online backup API)."""
    url = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() != "sqlite" or not url.database:
        raise click.ClickException("backup copies a SQLite database; for PostgreSQL use pg_dump (see the README)")
    target = Path(path)
    if target.exists():
        raise click.ClickException(f"{target} exists; choose a new file")
    with sqlite3.connect(url.database) as source, sqlite3.connect(target) as copy:
        source.backup(copy)
    source.close()
    copy.close()
    click.echo(f"Backed up {url.database} to {target}.")
