"""Calendar downloads: the public program and a person's own day."""

from flask import Blueprint, Response, current_app

from eventapp.calendar.entries import attendee_entries, program_entries
from eventapp.calendar.ics import Person, build_calendar
from eventapp.db import utcnow
from eventapp.events.views import get_event_or_404
from eventapp.i18n import current_language, text_in
from eventapp.registration.models import CANCELLED
from eventapp.registration.views import get_registration_or_404
from eventapp.urls import public_url

bp = Blueprint("calendar", __name__)


def ics_response(body: bytes, filename: str) -> Response:
    """A calendar file download."""
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/e/<slug>/agenda.ics")
def event_agenda(slug: str):
    """The day's program for anyone's calendar (METHOD:PUBLISH)."""
    event = get_event_or_404(slug)
    language = current_language()
    url = public_url("events.show_event", slug=slug)
    body = build_calendar(program_entries(event, language, url), utcnow(), name=text_in(event, "title", language))
    return ics_response(body, f"{event.slug}-{event.date.isoformat()}.ics")


@bp.get("/r/<token>/calendar.ics")
def registration_calendar(token: str):
    """The person's own day and sessions, in their language."""
    registration = get_registration_or_404(token)
    if registration.status == CANCELLED:
        return Response(status=404)
    event = registration.event
    language = registration.language
    body = build_calendar(
        attendee_entries(registration, language, public_url("registration.manage", token=token)),
        utcnow(),
        name=text_in(event, "title", language),
        organizer=Person(current_app.config["ORGANIZER_NAME"], current_app.config["ORGANIZER_EMAIL"]),
        attendee=Person(registration.name, registration.email),
    )
    return ics_response(body, f"{event.slug}-{event.date.isoformat()}.ics")
