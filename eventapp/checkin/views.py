"""The scan page for desks and session doors, and registering walk-ins at the desk."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from eventapp.checkin import lookups, services
from eventapp.checkin.device import desk_name, paired_event_slug
from eventapp.events.models import Event, Session
from eventapp.events.services import choice_slots, get_event_or_404, today_local
from eventapp.platform.db import id_from_text, utcnow
from eventapp.platform.extensions import db
from eventapp.platform.i18n import current_language
from eventapp.platform.staff.access import desk_actor, desk_required, paired_device
from eventapp.questions.forms import given_answers
from eventapp.questions.services import questions_of, save_answers
from eventapp.registration import services as registration_services
from eventapp.registration.forms import registration_form

bp = Blueprint("checkin", __name__, url_prefix="/staff")


def event_for_page() -> Event | None:
    """The event named in the address, or the current one (None when there is no event at all).

    A browser paired as a device for an event (and nobody logged in) always has that event.
    """
    slug = paired_event_slug() or request.args.get("event")
    event = get_event_or_404(slug) if slug else lookups.current_event(db.session, today_local())
    return get_event_or_404(event.slug) if event is not None else None


@bp.get("/checkin")
@desk_required
def scan_page():
    """Scan QR codes (camera or handheld scanner), find people by name, see who is in."""
    event = event_for_page()
    if event is None:
        return render_template("checkin/no_event.html")
    door = None
    if request.args.get("session"):  # empty: the desk, no door
        session_id = id_from_text(request.args["session"])
        door = db.session.get(Session, session_id) if session_id is not None else None
        if door is None or door.agenda_item.event_id != event.id:
            abort(404)
    events = db.session.scalars(select(Event).order_by(Event.date.desc())).all()
    device = paired_device() if not current_user.is_authenticated else None
    if device is not None and device.event_id is not None:
        events = [event]  # a device paired for an event scans for that event only
    context = {"event": event, "door": door, "events": events, "slots": choice_slots(event), "device": device}
    return render_template("checkin/scan.html", **context)


@bp.route("/checkin/walk-in", methods=["GET", "POST"])
@desk_required
def walk_in():
    """Someone without a registration: register them on the spot, seats permitting, and let them in."""
    event = event_for_page()
    if event is None:
        abort(404)
    slots = choice_slots(event)
    # Only the questions that need an answer are asked at the desk; the person can add the rest on their page.
    questions = [question for question in questions_of(db.session, event.id) if question.required]
    form = registration_form(slots, questions, current_language(), language="nl")
    del form.consent  # asked at the desk; recorded as consent given there
    status = 422 if form.is_submitted() else 200
    if form.validate_on_submit():
        actor = desk_actor(desk_name())
        try:
            registration = services.walk_in(db.session, event, form.person(), form.session_ids(), actor, utcnow())
            save_answers(db.session, registration.id, questions, given_answers(form, questions), utcnow())
        except registration_services.AlreadyRegistered:
            db.session.rollback()
            taken = _("This address is already registered: find the person by name on the scan page.")
            form.email.errors = [*form.email.errors, taken]
        except services.DayFull:
            db.session.rollback()
            flash(_("The day is full: no place for a walk-in."), "error")
            status = 409
        except services.NotToday:
            db.session.rollback()
            flash(_("Walk-ins are registered at the desk on the day of the event only."), "error")
            status = 409
        else:
            db.session.commit()
            flash(_("%(name)s is registered and checked in.", name=registration.name), "success")
            # Their page: where they sit or wait at the door (standby), and their badge, one tap to print.
            return redirect(url_for("door.at_the_door", registration_id=registration.id))
    context = {"event": event, "slots": slots, "form": form, "questions": questions}
    return render_template("checkin/walk_in.html", **context), status
