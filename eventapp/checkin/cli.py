"""Command line: `flask release-no-shows`, run by hand or every minute by the scheduler (`--due`)."""

import json

import click
from flask import current_app
from flask.cli import with_appcontext

from eventapp.checkin import release
from eventapp.db import utcnow, writes
from eventapp.events.services import choice_slots, event_with_program
from eventapp.extensions import db

# Session titles in --json are the English ones, as in `allocate --json`: one key per session for scripts.
JSON_LANGUAGE = "en"


@click.command("release-no-shows")
@click.argument("slug", required=False)
@click.option("--slot", "slot_id", type=int, help="Only this choice slot (its id); the day seats stay as they are.")
@click.option("--due", is_flag=True, help="Every slot of today's events whose release moment has passed, once.")
@click.option("--dry-run", is_flag=True, help="Say what would be released and who would be seated; change nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@with_appcontext
@writes
def release_no_shows_command(slug: str | None, slot_id: int | None, due: bool, dry_run: bool, as_json: bool) -> None:
    """Give the seats of people who have not checked in to the people waiting at the door.

    With SLUG: every choice slot of that event and its day seats now (or one slot with --slot).
    With --due: what is due at today's events (the scheduler runs this every minute).
    """
    if due:
        plans = release.release_due(db.session, utcnow(), current_app.config["RELEASE_MINUTES_BEFORE"])
        finish(dry_run)
        if as_json:
            click.echo(json.dumps({event_slug: plan.as_json(JSON_LANGUAGE) for event_slug, plan in plans.items()}))
        for event_slug, plan in plans.items():
            click.echo(f"{event_slug}: {plan.released} seats released, {plan.seated} seated from the door")
        return
    if not slug:
        raise click.UsageError("name the event (SLUG), or use --due")
    plan = run_for_event(slug, slot_id, dry_run)
    finish(dry_run)
    if as_json:
        click.echo(json.dumps(plan.as_json(JSON_LANGUAGE), ensure_ascii=False))
        return
    verb = "would be" if dry_run else "were"
    for title, figures in plan.as_json(language())["sessions"].items():
        click.echo(f"{title}: {figures['released']} released, {figures['seated']} seated")
    click.echo(f"{plan.released} seats {verb} released, {plan.seated} people {verb} seated from the door.")
    if plan.includes_day:
        click.echo(f"{len(plan.day_released)} day seats of people who did not come {verb} released for walk-ins.")


def run_for_event(slug: str, slot_id: int | None, dry_run: bool) -> release.Plan:
    event = event_with_program(db.session, slug)
    if event is None:
        raise click.BadParameter(f"no event {slug}", param_hint="SLUG")
    slots = choice_slots(event)
    if slot_id is not None:
        slots = [slot for slot in slots if slot.id == slot_id]
        if not slots:
            raise click.BadParameter(f"no choice slot {slot_id} at {slug}", param_hint="--slot")
    include_day = slot_id is None
    if dry_run:
        return release.plan(db.session, event, slots, include_day)
    return release.release(db.session, event, utcnow(), [slot.id for slot in slots], include_day)


def language() -> str:
    """Session titles in the day's main language (Dutch unless configured otherwise)."""
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def finish(dry_run: bool) -> None:
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
