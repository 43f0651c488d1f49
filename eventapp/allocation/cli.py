"""Command line: `flask allocation-mode` (how an event hands out session seats) and `flask allocate`."""

import datetime as dt
import json
import secrets

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from eventapp.allocation import services
from eventapp.events.models import AllocationMode, Event
from eventapp.platform.audit import audit
from eventapp.platform.db import utcnow, writes
from eventapp.platform.extensions import db


def event_or_fail(slug: str) -> Event:
    event = db.session.scalar(select(Event).where(Event.slug == slug))
    if event is None:
        raise click.ClickException(f"no event {slug!r}")
    return event


def aware(moment: dt.datetime | None) -> dt.datetime | None:
    """An ISO-8601 time without a zone is read as UTC."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=dt.UTC)


@click.command("allocation-mode")
@click.argument("slug")
@click.argument("mode", type=click.Choice([mode.value for mode in AllocationMode]))
@click.option("--deadline", type=dt.datetime.fromisoformat, help="Preference mode: rankings close then (ISO-8601).")
@with_appcontext
@writes
def allocation_mode_command(slug: str, mode: str, deadline: dt.datetime | None) -> None:
    """Choose how an event hands out session seats: first-come, or preferences allocated at a deadline.

    A command is its own confirmation: switching a day whose people hold session seats to preferences makes
    their sessions their first choices and gives the seats back for the allocation (each person is mailed).
    """
    event = event_or_fail(slug)
    try:
        converted = services.switch_mode(db.session, event, mode, aware(deadline), utcnow())
    except services.AllocationError as refused:
        raise click.ClickException(str(refused)) from None
    audit(db.session, None, "allocation.mode", event=event, mode=mode, converted=len(converted))
    db.session.commit()
    deadline_set = event.preferences_deadline  # always, in preference mode
    until = f" until {deadline_set.isoformat()}" if mode == AllocationMode.PREFERENCES and deadline_set else ""
    click.echo(f"{slug}: {mode}{until}")
    if converted:
        click.echo(f"{len(converted)} people's session seats became their first choices; each was mailed")


@click.command("allocate")
@click.argument("slug", required=False)
@click.option("--seed", type=int, help="The lottery's seed: the same seed gives the same allocation.")
@click.option("--dry-run", is_flag=True, help="Solve and print the figures; change nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.option("--due", is_flag=True, help="Allocate every event whose deadline passed (the scheduler's job).")
@with_appcontext
@writes
def allocate_command(slug: str | None, seed: int | None, dry_run: bool, as_json: bool, due: bool) -> None:
    """Allocate an event's session seats from the rankings (one mail per person); after it, first come again."""
    if due == (slug is not None):
        raise click.UsageError("give a SLUG, or --due")
    now = utcnow()
    events = services.due_events(db.session, now) if slug is None else [event_or_fail(slug)]
    for event in events:
        chosen_seed = secrets.randbelow(2**31) if seed is None else seed
        try:
            if dry_run:
                result = services.plan(db.session, event, chosen_seed)
            else:
                result = services.run(db.session, event, chosen_seed, now)
        except services.AllocationError as refused:
            raise click.ClickException(f"{event.slug}: {refused}") from None
        if dry_run:
            db.session.rollback()
        else:
            db.session.commit()
        figures = result.figures()
        if as_json:
            click.echo(json.dumps(figures))
            click.echo(f"seed {chosen_seed}", err=True)
        else:
            click.echo(summary(event.slug, chosen_seed, figures, dry_run))


def summary(slug: str, seed: int, figures: dict, dry_run: bool) -> str:
    """The figures in words, for a person at a terminal."""
    ranks = figures["by_rank"]
    lines = [
        f"{slug}: {'dry run, nothing changed' if dry_run else 'allocated'} (seed {seed})",
        f"{figures['people']} people, {figures['assigned']} places given: {ranks['1']} first, {ranks['2']} second,"
        f" {ranks['3']} third choice; {figures['unassigned']} on a waitlist",
    ]
    for title, session in figures["sessions"].items():
        lines.append(
            f"  {title}: {session['assigned']} placed of {session['seats']} seats,"
            f" largest kind {session['max_type_share']:.0%}"
        )
    return "\n".join(lines)
