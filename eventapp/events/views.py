"""Public pages: the list of upcoming events and each event's program."""

import datetime as dt
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, current_app, render_template, request, session
from flask_login import current_user

from eventapp.events import services
from eventapp.events.privacy import PRIVACY_NOTICE_VERSION
from eventapp.extensions import cache, db
from eventapp.i18n import current_language

bp = Blueprint("events", __name__)


def today_local() -> dt.date:
    """Today in the organisers' time zone."""
    return dt.datetime.now(ZoneInfo(current_app.config["EVENT_TIMEZONE"])).date()


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
    return render_template("events/event.html", event=get_event_or_404(slug))


def get_event_or_404(slug: str):
    """The event with its program, or a 404 page."""
    event = services.event_with_program(db.session, slug)
    if event is None:
        abort(404)
    return event


@bp.get("/privacy")
def privacy():
    """What we do with personal data, and the version people consent to."""
    return render_template("events/privacy.html", version=PRIVACY_NOTICE_VERSION)
