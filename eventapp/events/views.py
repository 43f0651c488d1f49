"""Public pages: the list of upcoming events, each event's program, and the program as a calendar."""

import datetime as dt

from flask import Blueprint, Response, render_template, request, session
from flask_login import current_user

from eventapp.events import services
from eventapp.events.calendar import program_entries, program_sequence
from eventapp.events.phases import event_phase
from eventapp.events.privacy import PRIVACY_NOTICE_VERSION
from eventapp.events.services import get_event_or_404, today_local
from eventapp.platform.calendar.ics import build_calendar, ics_response
from eventapp.platform.db import utcnow
from eventapp.platform.extensions import cache, db
from eventapp.platform.i18n import current_language, text_in
from eventapp.platform.settings import settings
from eventapp.platform.urls import public_url

bp = Blueprint("events", __name__)

# How often a subscribed calendar app should fetch the program again.
REFRESH = dt.timedelta(hours=1)


@bp.get("/")
def list_events():
    """Start page: upcoming program days."""
    events = services.upcoming_events(db.session, today_local())
    return render_template("events/index.html", events=events)


def page_cache_key(slug: str) -> str:
    """One copy per address and language: the page is the same for every anonymous visitor."""
    return f"event-page/{current_language()}/{request.full_path}"


def shown_to_someone() -> bool:
    """A staff member's header or a message waiting to be shown makes a page personal: never cached."""
    return current_user.is_authenticated or bool(session.get("_flashes"))


@bp.get("/e/<slug>/")
@cache.cached(make_cache_key=page_cache_key, unless=shown_to_someone)
def show_event(slug: str):
    """An event's afternoon as a timeline, with its sessions and seats left."""
    event = get_event_or_404(slug)
    agenda_url = public_url("events.agenda_ics", slug=slug, lang=current_language())
    subscribe_url = "webcal://" + agenda_url.split("://", 1)[1]  # webcal: the calendar app subscribes
    # Staff see where the event stands (the page is never cached for them, see shown_to_someone).
    phase = event_phase(event, utcnow()) if current_user.is_authenticated else None
    return render_template("events/event.html", event=event, subscribe_url=subscribe_url, staff_phase=phase)


@bp.get("/privacy")
def privacy():
    """What we do with personal data, and the version people consent to."""
    return render_template("events/privacy.html", version=PRIVACY_NOTICE_VERSION)


@bp.get("/e/<slug>/agenda.ics")
def agenda_ics(slug: str) -> Response:
    """The day's program for anyone's calendar (METHOD:PUBLISH), also as a subscription that follows changes.

    Each change of the organiser's raises SEQUENCE, so a calendar app replaces the entries it has.

    A calendar app that subscribes sends no cookies, so `?lang=` carries the language of the page it came from.
    """
    event = get_event_or_404(slug)
    language = request.args.get("lang", "")
    if language not in settings().languages:
        language = current_language()
    url = public_url("events.show_event", slug=slug)
    body = build_calendar(
        program_entries(event, language, url),
        utcnow(),
        name=text_in(event, "title", language),
        sequence=program_sequence(db.session, event),
        refresh=REFRESH,
    )
    return ics_response(body, f"{event.slug}-agenda.ics")  # beside the personal one, not under its name
