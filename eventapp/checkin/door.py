"""The desk on the day: one person at the door (their seats, a released seat, standby), and their name badge."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from eventapp.checkin import badges, lookups, present, release
from eventapp.events.models import Session
from eventapp.events.services import choice_slots
from eventapp.platform.db import utcnow
from eventapp.platform.extensions import db
from eventapp.platform.i18n import localized
from eventapp.platform.staff.access import staff_required
from eventapp.platform.tickets.badges import badge_sheets
from eventapp.registration import services as registration_services
from eventapp.registration.choices import slot_choices
from eventapp.registration.models import Registration, RegistrationStatus

bp = Blueprint("door", __name__, url_prefix="/staff/checkin")


def person_or_404(registration_id: int) -> Registration:
    registration = db.session.get(Registration, registration_id)
    if registration is None or registration.status != RegistrationStatus.CONFIRMED:
        abort(404)
    return registration


@bp.get("/badge/<id:registration_id>.pdf")
@staff_required
def badge_pdf(registration_id: int):
    """One tap after a walk-in or a check-in: this person's name badge, ready to print; ?layout= as the desk's
    device chose (a label printer's size, e.g. label-62x100), else on an A4 sheet."""
    registration = person_or_404(registration_id)
    layout = badges.layout_named(request.args.get("layout"))
    if layout is None:
        abort(400)
    pdf = badge_sheets([badges.badge_of(registration)], layout, title=registration.name, lang=registration.language)
    badges.mark_printed([registration], utcnow())
    db.session.commit()
    return badges.pdf_response(pdf, f"badge-{registration.id}.pdf")


@bp.get("/person/<id:registration_id>")
@staff_required
def at_the_door(registration_id: int):
    """A person who came: their seats, their number at the door, a released seat's alternatives, standby, badge."""
    registration = person_or_404(registration_id)
    arrived = lookups.arrivals(db.session, [registration]).get(registration.id)
    standby = [] if arrived is None else standby_options(registration)
    return render_template(
        "checkin/person.html",
        person=registration,
        event=registration.event,
        arrived=arrived,
        arrived_at=present.local_time(arrived.checked_in_at, registration.event) if arrived else "",
        door_places=release.door_places(db.session, registration) if arrived else [],
        released=release.released_seats(registration),
        rooms=release.sessions_with_room(registration),
        standby=standby,
        program=program(registration),
    )


def program(registration: Registration) -> list[tuple]:
    """(slot, seat, waiting) per choice slot of the day."""
    return [(slot, *slot_choices(registration, slot.id)) for slot in choice_slots(registration.event)]


def standby_options(registration: Registration) -> list[Session]:
    """Full sessions a person at the door can wait for (not the one they sit in or already wait for)."""
    options = []
    for slot in choice_slots(registration.event):
        seat, waiting = slot_choices(registration, slot.id)
        held = {choice.session_id for choice in (seat, waiting) if choice is not None}
        options += [session for session in slot.sessions if session.is_full and session.id not in held]
    return options


@bp.post("/person/<id:registration_id>/seat/<id:session_id>")
@staff_required
def seat(registration_id: int, session_id: int):
    """One tap: a latecomer whose seat was released sits in a session with room."""
    registration = person_or_404(registration_id)
    try:
        session = release.seat_latecomer(db.session, registration, session_id, utcnow())
    except release.NoRoom:
        db.session.rollback()
        flash(_("That session has no free seat any more."), "error")
    else:
        db.session.commit()
        flash(
            _("%(name)s has a seat in %(title)s.", name=registration.name, title=localized(session, "title")), "success"
        )
    return redirect(url_for(".at_the_door", registration_id=registration_id))


@bp.post("/person/<id:registration_id>/standby/<id:session_id>")
@staff_required
def join_standby(registration_id: int, session_id: int):
    """A person at the door waits for a full session: they get a seat there when one is released."""
    registration = person_or_404(registration_id)
    if lookups.arrivals(db.session, [registration]).get(registration.id) is None:
        abort(409)
    try:
        result = registration_services.change_session(
            db.session, registration, session_id, utcnow(), join_waitlist=True, by_staff=True
        )
    except registration_services.InvalidChoices:  # no such session at this event
        db.session.rollback()
        abort(404)
    except registration_services.RegistrationCancelled:  # cancelled by another tab a moment ago
        db.session.rollback()
        abort(409)
    db.session.commit()
    if result.outcome == "confirmed":
        flash(
            _("%(name)s has a seat in %(title)s.", name=registration.name, title=localized(result.session, "title")),
            "success",
        )
    else:
        place = dict((s.id, n) for s, n in release.door_places(db.session, registration)).get(session_id, 1)
        flash(
            _(
                "%(name)s is number %(place)d at the door for %(title)s.",
                name=registration.name,
                place=place,
                title=localized(result.session, "title"),
            ),
            "success",
        )
    return redirect(url_for(".at_the_door", registration_id=registration_id))
