"""Command line: `flask --app wsgi seed-demo`."""

import datetime as dt

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from eventapp.allocation.services import set_mode
from eventapp.checkin.models import CheckIn
from eventapp.demo.day import demo_answers, demo_people, load_demo_day
from eventapp.demo.door import morning_of_the_day
from eventapp.demo.history import load_previous_edition
from eventapp.events.models import AllocationMode, Event
from eventapp.events.services import choice_slots
from eventapp.platform.db import utcnow, writes
from eventapp.platform.extensions import db
from eventapp.platform.settings import settings
from eventapp.platform.staff.models import Role, User
from eventapp.platform.staff.services import create_user
from eventapp.platform.urls import public_url
from eventapp.questions.rules import Given, check_answer
from eventapp.questions.services import questions_of, save_answers
from eventapp.registration import contacts
from eventapp.registration.models import Registration
from eventapp.registration.services import PersonDetails, register

# Development only (DEMO_ACCOUNTS): the README prints them; production never creates accounts itself.
DEMO_DEADLINE = dt.timedelta(days=7)  # preference mode: rankings close a week after loading
# Real names: the header ("Uitloggen (…)") and the audit log show them on Dutch pages.
DEMO_ACCOUNTS = [
    ("desk@example.org", Role.DESK, "desk-demo-2026", "Daan Visser"),
    ("organiser@example.org", Role.ORGANISER, "organiser-demo-2026", "Marieke de Boer"),
]


# demo person number -> (pilot position, note): requests to be contacted about a pilot.
DEMO_CONTACT_REQUESTS = {
    2: (2, "Wij willen op onze school ook een VIOS-team beginnen."),
    9: (3, ""),
    14: (2, "Graag een gesprek over de aanpak in Almelo."),
}


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
        if settings().demo_accounts:
            for line in ensure_demo_accounts():
                click.echo(line)
        return
    event = load_demo_day(db.session, utcnow(), settings().event_timezone)
    previous = None
    if event is not None:
        count = settings().demo_registrations
        if preferences:
            deadline = (utcnow() + DEMO_DEADLINE).replace(second=0, microsecond=0)
            set_mode(event, AllocationMode.PREFERENCES, min(deadline, event.registration_closes_at))
        register_demo_people(event, count)
        if settings().demo_morning and not preferences:
            morning_of_the_day(db.session, event, count, utcnow())
        if count:  # a day that happened, for the report, the statements and the feedback
            previous = load_previous_edition(db.session, event, count, utcnow())
    db.session.commit()
    if event is None:
        click.echo("The demo day is already there; nothing changed.")
    else:
        click.echo(f"Loaded the demo day '{event.slug}' on {event.date:%A %d %B %Y}.")
    if previous is not None:
        click.echo(f"Loaded its previous edition '{previous.slug}' on {previous.date:%A %d %B %Y}, as it went.")
        if settings().demo_accounts:
            click.echo(f"Personal page of a demo attendee who came: {attendee_link(previous)}")
    if settings().demo_accounts:
        for line in ensure_demo_accounts():
            click.echo(line)


def register_demo_people(event, count: int) -> None:
    """Registrations through the real rules, so seats and waitlists are as they would be.

    In preference mode each person ranks their session first and the next two of the slot after it, except that
    every municipality wants the first session of each part: more than half of its demand, so the allocation's
    chain-mix rule has work to do.
    """
    slots = choice_slots(event)
    questions = questions_of(db.session, event.id)
    by_label = {question.label_en: question for question in questions}
    # The demo's people opened their mail: claimed, so no scheduled job releases the demo day's seats.
    for number, person in enumerate(demo_people(count)):
        details = PersonDetails(
            person["name"], person["email"], person["organisation"], person["role"], "nl", person["organisation_type"]
        )
        picks = {slots[0].id: person["theme"], slots[1].id: person["pilot"]}
        if event.collects_preferences:
            ranking = demo_ranking(slots, picks, person["organisation_type"])
            registration = register(db.session, event, details, {}, "demo", utcnow(), ranking=ranking, claimed=True)
        else:
            choices = {slot.id: slot.sessions[picks[slot.id]].id for slot in slots}
            registration = register(db.session, event, details, choices, "demo", utcnow(), claimed=True)
        given = {
            by_label[label].id: check_answer(by_label[label], Given(answer["text"], tuple(answer["choices"])))
            for label, answer in demo_answers(number).items()
            if label in by_label
        }
        save_answers(db.session, registration.id, questions, given, utcnow())
        ask_demo_contact(registration, slots[1].sessions, number)


def demo_ranking(slots, picks: dict[int, int], organisation_type: str) -> dict[int, list[int]]:
    """Their session first and the next two of the slot after it; every municipality wants each part's first one."""
    if organisation_type == "municipality":
        picks = dict.fromkeys(picks, 0)
    return {
        slot.id: [slot.sessions[(picks[slot.id] + step) % len(slot.sessions)].id for step in range(3)] for slot in slots
    }


def ask_demo_contact(registration, pilots, number: int) -> None:
    """A few demo people ask a pilot's contact person to get in touch, so the Pilots page has requests to pass on."""
    if number not in DEMO_CONTACT_REQUESTS:
        return
    position, note = DEMO_CONTACT_REQUESTS[number]
    pilot = pilots[position]
    consent = contacts.consent_sentence(pilot, registration.language)
    contacts.ask(db.session, registration, pilot, note, consent, utcnow())


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
    for email, role, password, name in DEMO_ACCOUNTS:
        if db.session.scalar(select(User.id).where(User.email == email)) is None:
            create_user(db.session, email, role, password, name=name)
            db.session.commit()
        lines.append(f"Demo {role} login: {email} / {password}")
    return lines
