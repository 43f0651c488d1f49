"""Command line: `flask --app wsgi seed-demo`."""

import datetime as dt

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from eventapp.allocation.services import set_mode
from eventapp.db import utcnow, writes
from eventapp.demo.day import demo_people, load_demo_day
from eventapp.events.models import AllocationMode, Event
from eventapp.events.services import choice_slots
from eventapp.extensions import db
from eventapp.registration.services import PersonDetails, register
from eventapp.staff.models import Role, User
from eventapp.staff.services import create_user

# Development only (DEMO_ACCOUNTS): the README prints them; production never creates accounts itself.
DEMO_DEADLINE = dt.timedelta(days=7)  # preference mode: rankings close a week after loading
DEMO_ACCOUNTS = [
    ("desk@example.org", Role.DESK, "desk-demo-2026"),
    ("organiser@example.org", Role.ORGANISER, "organiser-demo-2026"),
]


@click.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Only when the database holds no event at all.")
@click.option(
    "--preferences",
    is_flag=True,
    help="The day in preference mode: the demo people rank sessions (deadline in a week) instead of taking seats.",
)
@with_appcontext
@writes
def seed_demo_command(if_empty: bool, preferences: bool) -> None:
    """Load the demo program day (slug jeugd-en-veiligheid-6); running it again changes nothing."""
    if if_empty and db.session.scalar(select(Event.id).limit(1)) is not None:
        click.echo("The database already holds events; demo day not loaded.")
        if current_app.config["DEMO_ACCOUNTS"]:
            for line in ensure_demo_accounts():
                click.echo(line)
        return
    event = load_demo_day(db.session, utcnow(), current_app.config["EVENT_TIMEZONE"])
    if event is not None:
        if preferences:
            deadline = (utcnow() + DEMO_DEADLINE).replace(second=0, microsecond=0)
            set_mode(event, AllocationMode.PREFERENCES, min(deadline, event.registration_closes_at))
        register_demo_people(event, current_app.config["DEMO_REGISTRATIONS"])
    db.session.commit()
    if event is None:
        click.echo("The demo day is already there; nothing changed.")
    else:
        click.echo(f"Loaded the demo day '{event.slug}' on {event.date:%A %d %B %Y}.")
    if current_app.config["DEMO_ACCOUNTS"]:
        for line in ensure_demo_accounts():
            click.echo(line)


def register_demo_people(event, count: int) -> None:
    """Registrations through the real rules, so seats and waitlists are as they would be.

    In preference mode each person ranks their session first and the next two of the slot after it, except that
    every municipality wants the first session of each part: more than half of its demand, so the allocation's
    chain-mix rule has work to do.
    """
    slots = choice_slots(event)
    for person in demo_people(count):
        details = PersonDetails(
            person["name"], person["email"], person["organisation"], person["role"], "nl", person["organisation_type"]
        )
        picks = {slots[0].id: person["theme"], slots[1].id: person["pilot"]}
        choices = {slot.id: slot.sessions[picks[slot.id]].id for slot in slots}
        if event.collects_preferences:
            if person["organisation_type"] == "municipality":
                picks = dict.fromkeys(picks, 0)
            ranking = {
                slot.id: [slot.sessions[(picks[slot.id] + step) % len(slot.sessions)].id for step in range(3)]
                for slot in slots
            }
            register(db.session, event, details, {}, "demo", utcnow(), ranking=ranking)
        else:
            register(db.session, event, details, choices, "demo", utcnow())


def ensure_demo_accounts() -> list[str]:
    """The development-only desk and organiser accounts (never in production)."""
    lines = []
    for email, role, password in DEMO_ACCOUNTS:
        if db.session.scalar(select(User.id).where(User.email == email)) is None:
            create_user(db.session, email, role, password, name=role.capitalize())
            db.session.commit()
        lines.append(f"Demo {role} login: {email} / {password}")
    return lines
