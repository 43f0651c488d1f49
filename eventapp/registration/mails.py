"""The mails about a registration: what each says, rendered when it is sent, in the attendee's language.

`register_kinds()` makes them known to the outbox (the app factory calls it); `queue_reminders`
puts the day-before reminder in the outbox.
"""

import datetime as dt

from flask import render_template, url_for
from flask_babel import format_date, format_datetime
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from eventapp.events.models import AgendaItem, Event, Session
from eventapp.events.phases import Action, allows, event_phase
from eventapp.platform.db import DbSession, utcnow
from eventapp.platform.extensions import db
from eventapp.platform.i18n import LONG_DATE, opens_with_greeting, text_in
from eventapp.platform.mail import kinds, outbox, texts
from eventapp.platform.mail.messages import CalendarPart, InlineImage, MailParts
from eventapp.platform.mail.models import OutgoingMail, TextKind
from eventapp.platform.settings import settings
from eventapp.platform.tickets.qr import qr_png
from eventapp.registration.calendar import invitation_calendar
from eventapp.registration.holds import hold_deadline, is_unclaimed_hold
from eventapp.registration.models import Registration, RegistrationMail, RegistrationStatus
from eventapp.registration.preferences import ranked_sessions
from eventapp.registration.queries import registration_overview
from eventapp.registration.sample import sample_registration
from eventapp.registration.waitlists import day_place_in_line

SUBJECTS = {
    RegistrationMail.CONFIRMED: _l("You are registered: %(title)s"),
    RegistrationMail.WAITLISTED: _l("You are on the waitlist: %(title)s"),
    RegistrationMail.CHOICE_CHANGED: _l("Your sessions: %(title)s"),
    RegistrationMail.PROMOTED: _l("Good news: a place for you at %(title)s"),
    RegistrationMail.CANCELLED: _l("Your registration is cancelled: %(title)s"),
    RegistrationMail.MANAGE_LINK: _l("Your personal link for %(title)s"),
    RegistrationMail.REMINDER: _l("Tomorrow: %(title)s"),
    RegistrationMail.ORGANISER_MESSAGE: "%(subject)s",
    RegistrationMail.CALENDAR_UPDATE: _l("Program change: %(title)s"),
    RegistrationMail.HOLD_RELEASED: _l("Your seat was released: %(title)s"),
}
QR_CID = "ticket-qr@eventapp"

# The kinds whose opening and closing the organiser can write (mail/texts.py); the others keep their own words.
TEXT_KINDS: dict[str, TextKind] = {
    RegistrationMail.CONFIRMED: TextKind.CONFIRMATION,
    RegistrationMail.WAITLISTED: TextKind.WAITLIST,
    RegistrationMail.PROMOTED: TextKind.PROMOTION,
    RegistrationMail.REMINDER: TextKind.REMINDER,
    RegistrationMail.CHOICE_CHANGED: TextKind.CHANGE,
    RegistrationMail.CANCELLED: TextKind.CANCEL,
    RegistrationMail.ORGANISER_MESSAGE: TextKind.MESSAGE,
}


def registration_parts(mail: OutgoingMail) -> MailParts:
    """Subject, text, HTML, QR code and calendar of a message about a registration."""
    registration = about(mail)
    if registration is None:
        raise kinds.NothingToCompose(f"mail {mail.id}: its registration was erased")
    event = registration.event
    language = mail.language
    title = text_in(event, "title", language)
    # Rendered when sent: a mail that leaves after the day (a thank-you) has no ticket to show.
    has_ticket = registration.status == RegistrationStatus.CONFIRMED and allows(
        event_phase(event, utcnow()), Action.SHOW_TICKET
    )
    sample = mail.registration_id is None
    manage_url = personal_link(registration, sample)
    context = {
        "kind": mail.kind,
        "payload": mail.payload,
        "registration": registration,
        "event": event,
        "title": title,
        "overview": registration_overview(db.session, registration)
        if registration.status != RegistrationStatus.CANCELLED
        else [],
        "day_place": day_place_in_line(db.session, registration)
        if registration.status == RegistrationStatus.WAITLISTED
        else None,
        "manage_url": manage_url,
        # A message after the day links to the attendance statement (its page says why when there is none).
        "statement_url": None
        if sample or not mail.payload.get("statement")
        else url_for("statements.attendance_pdf", token=registration.manage_token, _external=True),
        "register_url": url_for("registration.register", slug=event.slug, _external=True),
        "qr_cid": QR_CID if has_ticket else None,
        "session": db.session.get(Session, mail.payload["session_id"]) if "session_id" in mail.payload else None,
        "ranking": ranked_sessions(db.session, registration) if event.collects_preferences else [],
    }
    words = texts.words_of(db.session, mail, event.id, text_kind(mail.kind, mail.payload))
    greeting_line, opening = own_greeting(intro(mail.kind, mail.payload, context, language), words)
    context |= words.context() | {"greeting_line": greeting_line, "intro": opening}
    context["hold_note"] = None if sample else hold_note(mail, registration)
    context["instead"] = [instead(cancelled, language) for cancelled in mail.payload.get("cancelled", [])] + [
        in_second_choice(pair, language) for pair in mail.payload.get("second_choices", [])
    ]
    config = settings()
    is_message = mail.kind == RegistrationMail.ORGANISER_MESSAGE
    return MailParts(
        subject=str(
            SUBJECTS[RegistrationMail(mail.kind)] % {"title": title, "subject": mail.payload.get("subject", "")}
        ),
        sender=(config.organizer_name, config.organizer_email),
        recipient=("", mail.recipient) if sample else (registration.name, registration.email),
        text=render_template("mail/registration.txt", **context),
        html=render_template("mail/registration.html", **context),
        images=[InlineImage(QR_CID, qr_png("TEST" if sample else registration.ticket_code), "ticket.png")]
        if has_ticket
        else [],
        calendar=None if is_message else calendar_part(registration, language, manage_url),
        # The organiser's message is a text a person wrote: `Auto-Submitted: no` (RFC 3834 5.1) says so, so that
        # mail programs show it as a message from someone rather than a notification; its List-Id (RFC 2919) still
        # keeps out-of-office responders from answering it, as RFC 3834 2 asks of them for list mail.
        automatic=not is_message,
        mailing_list=(f"{event.slug}.messages", title) if is_message else None,
    )


def text_kind(kind: str, payload: dict) -> TextKind | None:
    """Which of the organiser's texts a mail carries: a change that is the allocation has its own."""
    if kind == RegistrationMail.CHOICE_CHANGED and (payload.get("allocated") or payload.get("ranking_round")):
        return TextKind.ALLOCATION
    return TEXT_KINDS.get(kind)


def own_greeting(intro: str, words: texts.Words) -> tuple[str, str]:
    """An organiser's message that opens with its own greeting keeps it first, then the opening words, then the
    rest: one greeting, and the opening after it. (An opening with a greeting of its own replaces the built-in one
    in the template.)"""
    if not words.opening or opens_with_greeting(words.opening) or not opens_with_greeting(intro):
        return "", intro
    greeting, _newline, rest = intro.strip().partition("\n")
    return greeting.strip(), rest.strip()


def personal_link(registration: Registration, sample: bool) -> str:
    """The person's own page; an organiser's test copy (`sample`) keeps the sample's secrets out of the
    organiser's mailbox: its link leads to the event page (and its QR code is no ticket)."""
    if sample:
        return url_for("events.show_event", slug=registration.event.slug, _external=True)
    return url_for("registration.manage", token=registration.manage_token, _external=True)


def hold_hours() -> int:
    return int(settings().unconfirmed_hold_hours)


def hold_note(mail: OutgoingMail, registration: Registration) -> str | None:
    """Where a new day seat is released unless claimed (holds.py): the person is told to open their page."""
    is_new_seat = mail.kind == RegistrationMail.CONFIRMED or (
        mail.kind == RegistrationMail.PROMOTED and mail.payload.get("day")
    )
    hours = hold_hours()
    if not is_new_seat or not is_unclaimed_hold(registration):
        return None
    if hold_deadline(registration, dt.timedelta(hours=hours)) is None:
        return None  # held until the day: nothing to do in time
    return (
        _("Open your personal page within %(hours)d hours to keep your seat.", hours=hours)
        + " "
        + _("A seat nobody claims goes to the people on the waitlist.")
    )


def about(mail: OutgoingMail) -> Registration | None:
    """The registration a mail is about; an organiser's test copy is about a sample person (`sample`)."""
    if "sample" in mail.payload:
        event = db.session.get(Event, mail.payload["sample"]["event_id"])
        return sample_registration(event, mail.recipient, mail.payload["sample"]["session_id"]) if event else None
    return db.session.get(Registration, mail.registration_id) if mail.registration_id else None


def intro(kind: str, payload: dict, context: dict, language: str) -> str:
    """The opening paragraph: what happened and what it means for the person."""
    title, event, session = context["title"], context["event"], context["session"]
    session_title = text_in(session, "title", language) if session is not None else ""
    if kind == RegistrationMail.CONFIRMED:
        registered = _(
            "You are registered for %(title)s on %(date)s in %(venue)s.",
            title=title,
            date=format_date(event.date, LONG_DATE),
            venue=text_in(event, "venue", language),
        )
        if payload.get("transferred_from"):
            registered = _("%(name)s gave you their place.", name=payload["transferred_from"]) + " " + registered
        return f"{registered} {allocated_on(event)}" if event.collects_preferences else registered
    if kind == RegistrationMail.WAITLISTED:
        return _(
            "Thank you for signing up for %(title)s. The day has no free place for you at the moment: you are number"
            " %(place)d on the waitlist. When a place frees up, we register you in this order and send you an e-mail.",
            title=title,
            place=context["day_place"] or 1,
        )
    if kind in (RegistrationMail.CHOICE_CHANGED, RegistrationMail.PROMOTED):
        return _seat_news(kind, payload, title, session_title, event)
    if kind == RegistrationMail.CANCELLED:
        return _(
            "Your registration for %(title)s is cancelled. Your seats have gone to the people on the waitlist.",
            title=title,
        )
    if kind == RegistrationMail.ORGANISER_MESSAGE:
        return payload.get("body", "")
    if kind == RegistrationMail.CALENDAR_UPDATE:
        return _(
            "The program of %(title)s on %(date)s has changed. Your calendar entry is updated with it;"
            " this is your program now.",
            title=title,
            date=format_date(event.date, LONG_DATE),
        )
    if kind == RegistrationMail.HOLD_RELEASED:
        return _(
            "Your personal page for %(title)s was not opened within %(hours)d hours, so your seat went to the"
            " people on the waitlist. Still coming? Open your personal page: you are then back on the waitlist,"
            " in line from the moment your seat was released, and we send you an e-mail when a place is yours."
            " If you are not coming, you can cancel there.",
            title=title,
            hours=hold_hours(),
        )
    if kind == RegistrationMail.MANAGE_LINK:
        return _(
            "Someone, perhaps you, tried to register this e-mail address again for %(title)s. You were already"
            " registered. With your personal link you can see and change your registration.",
            title=title,
        )
    return _(
        "Tomorrow is the day: %(title)s in %(venue)s. Walk-in starts at %(time)s.",
        title=title,
        venue=text_in(event, "venue", language),
        time=event.day_starts_at.strftime("%H:%M"),
    )


def allocated_on(event: Event) -> str:
    """Said while an event collects rankings: when the person learns their sessions."""
    return _(
        "Your sessions are allocated on %(date)s; then you get an e-mail with them.",
        date=format_datetime(event.preferences_deadline, LONG_DATE + ", HH:mm"),
    )


def _seat_news(kind: str, payload: dict, title: str, session_title: str, event: Event) -> str:
    """The opening of a mail about a changed choice or a seat that became theirs."""
    if payload.get("ranking_round"):
        return _(
            "The seats of the sessions of %(title)s are now allocated from everyone's ranking, so that every session"
            " brings different organisations together. The sessions you had are your first choices now. %(when)s"
            " Until then you can change your ranking on your personal page.",
            title=title,
            when=allocated_on(event),
        )
    if payload.get("allocated"):
        return _(
            "The seats of the sessions are allocated, from everyone's ranking and so that every session brings"
            " different organisations together. This is your program now; where no seat was left in the"
            " sessions you ranked, you are on the waitlist of your first choice."
        )
    if kind == RegistrationMail.CHOICE_CHANGED and payload.get("waitlisted"):
        return _(
            "You are on the waitlist for %(session)s. You keep the seat you have until a seat in %(session)s is yours.",
            session=session_title,
        )
    if kind == RegistrationMail.CHOICE_CHANGED:
        return _("Your sessions have changed. This is your program now.")
    if kind == RegistrationMail.PROMOTED and payload.get("day"):
        return _(
            "Good news: a place has become free and it is yours. You are now registered for %(title)s.", title=title
        )
    return _("Good news: a seat in %(session)s has become free and it is yours.", session=session_title)


def instead(cancelled: dict, language: str) -> str:
    """A cancelled session, and the sessions of its part of the day that still have seats."""
    title = cancelled.get(f"title_{language}") or cancelled.get("title_nl", "")
    slot = db.session.get(AgendaItem, cancelled["slot_id"])
    free = [text_in(session, "title", language) for session in (slot.sessions if slot else []) if session.seats_left]
    if not free:
        return _(
            "%(session)s is cancelled. The other sessions of that part are full: on your personal page you can"
            " join the waitlist of one.",
            session=title,
        )
    return _(
        "%(session)s is cancelled. On your personal page you can choose another session instead: %(free)s.",
        session=title,
        free=", ".join(free),
    )


def in_second_choice(pair: list[int], language: str) -> str:
    """The first choice was full at registration: the person sits in their second and waits for the first."""
    first, second = (db.session.get(Session, session_id) for session_id in pair)
    return _(
        "%(first)s was full: you have a seat in your second choice, %(second)s, and you are on the waitlist for"
        " %(first)s. When a seat there is yours, we send you an e-mail and your seat in %(second)s goes to the next"
        " person.",
        first=text_in(first, "title", language) if first else "",
        second=text_in(second, "title", language) if second else "",
    )


def calendar_part(registration: Registration, language: str, url: str) -> CalendarPart | None:
    """An invitation for a confirmed registration, a cancellation for a cancelled one, else nothing."""
    if registration.status == RegistrationStatus.WAITLISTED:
        return None
    method, ics = invitation_calendar(registration, language, utcnow(), url)
    return CalendarPart(ics=ics, method=method)


def still_true(mail: OutgoingMail) -> bool:
    """A message about a registration that was cancelled since is no longer true (unless it says so)."""
    if mail.kind in (RegistrationMail.CANCELLED, RegistrationMail.MANAGE_LINK) or "sample" in mail.payload:
        return True  # an organiser's test copy goes to the organiser whatever became of the sample
    registration = db.session.get(Registration, mail.registration_id) if mail.registration_id else None
    return registration is not None and registration.status != RegistrationStatus.CANCELLED


def register_kinds() -> None:
    """Make the registration's mails known to the outbox."""
    for kind in RegistrationMail:
        kinds.register(kind, registration_parts, still_true)


def queue_reminders(db_session: DbSession, event_date: dt.date, now: dt.datetime) -> int:
    """Put a reminder in the outbox for everyone confirmed for an event on `event_date`; returns how many.

    One per confirmed registration, however often it is asked for.
    """
    already = select(OutgoingMail.registration_id).where(
        OutgoingMail.kind == RegistrationMail.REMINDER, OutgoingMail.registration_id.is_not(None)
    )
    registrations = db_session.scalars(
        select(Registration)
        .join(Event)
        .where(
            Event.date == event_date,
            Registration.status == RegistrationStatus.CONFIRMED,
            Registration.id.not_in(already),
        )
        .order_by(Registration.id)
    ).all()
    for registration in registrations:
        outbox.enqueue(db_session, RegistrationMail.REMINDER, registration, now)
    return len(registrations)
