"""The one mail after the day: a request for feedback, with the links to the form and the attendance statement.

`queue_requests` puts it in the outbox for everyone checked in at a day that has ended (run by the
scheduler: `flask send-feedback-requests`); each person gets it once, however often that runs.
"""

import datetime as dt

from flask import render_template
from flask_babel import gettext as _
from sqlalchemy import select

from eventapp.checkin.models import CheckIn
from eventapp.events.models import Event
from eventapp.events.phases import Action, allows, event_phase
from eventapp.feedback.models import FeedbackMail
from eventapp.platform.db import DbSession
from eventapp.platform.extensions import db
from eventapp.platform.i18n import text_in
from eventapp.platform.mail import kinds, outbox, texts
from eventapp.platform.mail.messages import MailParts
from eventapp.platform.mail.models import OutgoingMail, TextKind
from eventapp.platform.settings import settings
from eventapp.platform.urls import public_url
from eventapp.registration.models import Registration, RegistrationStatus
from eventapp.registration.sample import sample_registration

# Days after which an ended event no longer asks for feedback: a scheduler started late sends nothing stale.
REQUEST_WITHIN_DAYS = 14


def request_parts(mail: OutgoingMail) -> MailParts:
    """Subject, text and HTML of the feedback request, in the person's language."""
    registration = about(mail)
    if registration is None:
        raise kinds.NothingToCompose(f"mail {mail.id}: its registration was erased")
    event = registration.event
    title = text_in(event, "title", mail.language)
    sample = "sample" in mail.payload
    context = {
        "registration": registration,
        "event": event,
        "title": title,
        # An organiser's test copy holds no one's secrets: its links lead to the event page.
        "feedback_url": public_url("events.show_event", slug=event.slug)
        if sample
        else public_url("feedback.give_feedback", token=registration.manage_token),
        "statement_url": public_url("events.show_event", slug=event.slug)
        if sample
        else public_url("statements.attendance_pdf", token=registration.manage_token),
        **texts.words_of(db.session, mail, event.id, TextKind.FEEDBACK).context(),
    }
    config = settings()
    return MailParts(
        subject=_("Thank you for coming: how was %(title)s?", title=title),
        sender=(config.organizer_name, config.organizer_email),
        recipient=(registration.name, registration.email),
        text=render_template("mail/feedback.txt", **context),
        html=render_template("mail/feedback.html", **context),
    )


def about(mail: OutgoingMail) -> Registration | None:
    """The person asked; an organiser's test copy from the texts page is about a sample person."""
    if "sample" in mail.payload:
        event = db.session.get(Event, mail.payload["sample"]["event_id"])
        return sample_registration(event, mail.recipient) if event else None
    return db.session.get(Registration, mail.registration_id) if mail.registration_id else None


def still_wanted(mail: OutgoingMail) -> bool:
    """Not to someone erased since, nor once the organiser closed feedback (a test copy: always)."""
    if "sample" in mail.payload:
        return True
    registration = db.session.get(Registration, mail.registration_id) if mail.registration_id else None
    return (
        registration is not None
        and registration.anonymised_at is None
        and registration.event.feedback_closed_at is None
    )


def register_kinds() -> None:
    kinds.register(FeedbackMail.REQUEST, request_parts, still_wanted)


def queue_requests(db_session: DbSession, now: dt.datetime) -> int:
    """A feedback request for everyone checked in at an event that has ended (within REQUEST_WITHIN_DAYS) and
    whose feedback is open, unless they had one; returns how many were queued."""
    asked = select(OutgoingMail.registration_id).where(
        OutgoingMail.kind == FeedbackMail.REQUEST, OutgoingMail.registration_id.is_not(None)
    )
    recent = now.date() - dt.timedelta(days=REQUEST_WITHIN_DAYS)
    events = db_session.scalars(
        select(Event).where(Event.date <= now.date() + dt.timedelta(days=1), Event.date >= recent)
    ).all()
    queued = 0
    for event in events:
        if not allows(event_phase(event, now), Action.REQUEST_FEEDBACK) or event.feedback_closed_at is not None:
            continue
        people = db_session.scalars(
            select(Registration)
            .join(CheckIn, CheckIn.registration_id == Registration.id)
            .where(
                Registration.event_id == event.id,
                Registration.status != RegistrationStatus.CANCELLED,
                Registration.anonymised_at.is_(None),
                Registration.id.not_in(asked),
            )
            .order_by(Registration.id)
        ).all()
        for registration in people:
            outbox.enqueue(db_session, FeedbackMail.REQUEST, registration, now)
        queued += len(people)
    return queued
