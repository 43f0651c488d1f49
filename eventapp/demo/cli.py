"""Command line: `flask --app wsgi seed-demo`."""

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from eventapp.checkin.models import CheckIn
from eventapp.db import utcnow, writes
from eventapp.demo.day import demo_people, load_demo_day
from eventapp.demo.history import load_previous_edition
from eventapp.events.models import Event
from eventapp.events.services import choice_slots
from eventapp.extensions import db
from eventapp.registration.models import Registration
from eventapp.registration.services import PersonDetails, register
from eventapp.staff.models import Role, User
from eventapp.staff.services import create_user
from eventapp.urls import public_url

# Development only (DEMO_ACCOUNTS): the README prints them; production never creates accounts itself.
DEMO_ACCOUNTS = [
    ("desk@example.org", Role.DESK, "desk-demo-2026"),
    ("organiser@example.org", Role.ORGANISER, "organiser-demo-2026"),
]


@click.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Only when the database holds no event at all.")
@with_appcontext
@writes
def seed_demo_command(if_empty: bool) -> None:
    """Load the demo program day (slug jeugd-en-veiligheid-6); running it again changes nothing."""
    if if_empty and db.session.scalar(select(Event.id).limit(1)) is not None:
        click.echo("The database already holds events; demo day not loaded.")
        if current_app.config["DEMO_ACCOUNTS"]:
            for line in ensure_demo_accounts():
                click.echo(line)
        return
    event = load_demo_day(db.session, utcnow(), current_app.config["EVENT_TIMEZONE"])
    previous = None
    if event is not None:
        count = current_app.config["DEMO_REGISTRATIONS"]
        register_demo_people(event, count)
        if count:  # a day that happened, for the report, the statements and the feedback
            previous = load_previous_edition(db.session, event, count, utcnow())
    db.session.commit()
    if event is None:
        click.echo("The demo day is already there; nothing changed.")
    else:
        click.echo(f"Loaded the demo day '{event.slug}' on {event.date:%A %d %B %Y}.")
    if previous is not None:
        click.echo(f"Loaded its previous edition '{previous.slug}' on {previous.date:%A %d %B %Y}, as it went.")
        if current_app.config["DEMO_ACCOUNTS"]:
            click.echo(f"Personal page of a demo attendee who came: {attendee_link(previous)}")
    if current_app.config["DEMO_ACCOUNTS"]:
        for line in ensure_demo_accounts():
            click.echo(line)


def register_demo_people(event, count: int) -> None:
    """Registrations through the real rules, so seats and waitlists are as they would be."""
    slots = choice_slots(event)
    for person in demo_people(count):
        details = PersonDetails(
            person["name"], person["email"], person["organisation"], person["role"], "nl", person["organisation_type"]
        )
        choices = {
            slots[0].id: slots[0].sessions[person["theme"]].id,
            slots[1].id: slots[1].sessions[person["pilot"]].id,
        }
        register(db.session, event, details, choices, "demo", utcnow())


def attendee_link(event) -> str:
    """Development only: the personal page of the previous edition's first attendee (statement, feedback)."""
    token = db.session.scalar(
        select(Registration.manage_token)
        .join(CheckIn, CheckIn.registration_id == Registration.id)
        .where(Registration.event_id == event.id)
        .order_by(Registration.id)
        .limit(1)
    )
    return public_url("registration.manage", token=token)


def ensure_demo_accounts() -> list[str]:
    """The development-only desk and organiser accounts (never in production)."""
    lines = []
    for email, role, password in DEMO_ACCOUNTS:
        if db.session.scalar(select(User.id).where(User.email == email)) is None:
            create_user(db.session, email, role, password, name=role.capitalize())
            db.session.commit()
        lines.append(f"Demo {role} login: {email} / {password}")
    return lines
