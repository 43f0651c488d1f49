"""Public pages: the list of upcoming events and each event's program."""

import datetime as dt
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, current_app, render_template

from eventapp.events import services
from eventapp.events.privacy import PRIVACY_NOTICE_VERSION
from eventapp.extensions import db

bp = Blueprint("events", __name__)


def today_local() -> dt.date:
    """Today in the organisers' time zone."""
    return dt.datetime.now(ZoneInfo(current_app.config["EVENT_TIMEZONE"])).date()


@bp.get("/")
def list_events():
    """Start page: upcoming program days."""
    events = services.upcoming_events(db.session, today_local())
    return render_template("events/index.html", events=events)


@bp.get("/e/<slug>/")
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
