"""Command line: `flask release-no-shows` (by hand or every minute by the scheduler), `flask create-device-token`."""

import json

import click
from flask.cli import with_appcontext

from eventapp.checkin import device_tokens, release
from eventapp.events.services import choice_slots, event_with_program
from eventapp.platform.db import utcnow, writes
from eventapp.platform.extensions import db
from eventapp.platform.settings import settings
from eventapp.platform.staff import pairing
from eventapp.platform.staff import services as staff_services

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
        plans = release.release_due(db.session, utcnow(), settings().release_minutes_before)
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
    return settings().babel_default_locale


def finish(dry_run: bool) -> None:
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()


@click.command("create-device-token")
@click.argument("name")
@click.option("--event", "slug", help="The event it scans for (its slug); it then works until the end of the next day.")
@click.option(
    "--valid-until",
    help="ISO 8601 date or time it stops working, e.g. 2027-01-15 (end of that day) or 2027-01-15T18:00+01:00.",
)
@click.option(
    "--expires",
    type=click.IntRange(1, staff_services.MAX_DEVICE_DAYS),
    help="Days until the token stops working, e.g. --expires 7 (default without an event: DEVICE_TOKEN_DAYS, 30).",
)
@with_appcontext
@writes
def create_device_token_command(name: str, slug: str | None, valid_until: str | None, expires: int | None) -> None:
    """Create a token for a scanner device; it is printed once and stored only as a hash.

    With --event it lasts until the end of the day after the event, in the event's time zone.
    """
    if valid_until and expires:
        raise click.UsageError("give --valid-until or --expires, not both")
    now = utcnow()
    try:
        event = device_tokens.event_by_slug(db.session, slug) if slug else None
        zone = event.timezone if event is not None else settings().event_timezone
        until = pairing.parse_valid_until(valid_until, zone, now) if valid_until else None
        device, token = device_tokens.create_desk_token(
            db.session, name, None, now, event, settings().device_token_days, days=expires, valid_until=until
        )
    except staff_services.AccountError as error:
        raise click.ClickException(str(error)) from error
    db.session.commit()
    click.echo(f"Device '{device.name}': send the header  Authorization: Bearer {token}")
    click.echo(
        f"The token is shown only now; keep it on the device. It expires {device.expires_at:%Y-%m-%d %H:%M} UTC."
    )
