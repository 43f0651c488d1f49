"""Organiser pages: the dashboard, and setting up events, their agenda and sessions."""

import datetime as dt
from zoneinfo import ZoneInfo

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select

from eventapp.checkin.lookups import current_event
from eventapp.events import hosts
from eventapp.events import services as setup
from eventapp.events.models import Event
from eventapp.events.services import get_event_or_404, get_item_or_404, get_session_or_404, today_local
from eventapp.organiser import dashboard, program_updates
from eventapp.organiser.forms import AgendaItemForm, CopyEventForm, EventForm, SessionForm
from eventapp.platform.db import utcnow
from eventapp.platform.extensions import db
from eventapp.platform.forms import ConfirmForm
from eventapp.platform.settings import settings
from eventapp.platform.staff.back_office import back_office, menu_entry
from eventapp.questions.services import copy_questions
from eventapp.registration import program_changes

bp = back_office("organiser", __name__)
menu_entry(bp, "show_dashboard", _l("Dashboard"), 10)
menu_entry(bp, "show_setup", _l("Set-up"), 30)


def render_dashboard(event: Event):
    return render_template(
        "organiser/dashboard.html",
        event=event,
        board=dashboard.dashboard(
            db.session,
            event,
            today_local(),
            utcnow(),
            dt.timedelta(hours=int(settings().unconfirmed_hold_hours)),
        ),
        events=db.session.scalars(select(Event).order_by(Event.date.desc())).all(),
        copy_form=CopyEventForm(formdata=None, slug=next_slug(event), date=event.date + dt.timedelta(days=182)),
    )


def next_slug(event: Event) -> str:
    """A proposal for the next edition's address: jeugd-en-veiligheid-6 -> jeugd-en-veiligheid-7."""
    stem, _, number = event.slug.rpartition("-")
    return f"{stem}-{int(number) + 1}" if number.isdigit() else f"{event.slug}-2"


@bp.get("/")
def home():
    """The dashboard of the current event (or the list to start one)."""
    event = current_event(db.session, today_local())
    if event is None:
        return redirect(url_for(".new_event"))
    return render_dashboard(get_event_or_404(event.slug))


@bp.get("/e/<slug>/")
def show_dashboard(slug: str):
    """Registrations, seats, waitlists and check-ins of one event."""
    return render_dashboard(get_event_or_404(slug))


@bp.get("/e/<slug>/live.json")
def live_numbers(slug: str):
    """The dashboard's numbers, for the page to refresh itself during the day."""
    board = dashboard.dashboard(db.session, get_event_or_404(slug), today_local())
    return jsonify(
        {
            "confirmed": board.confirmed,
            "waitlisted": board.waitlisted,
            "cancelled": board.cancelled,
            "checked_in": board.checked_in,
            "no_shows": board.no_shows,
            "test_scans": board.test_scans,
            "sessions": {
                str(row.session.id): {
                    "taken": row.taken,
                    "waiting": row.waiting,
                    "checked_in": row.checked_in,
                    "attended": row.attended,
                    "released": row.released,
                    "seated_from_door": row.seated_from_door,
                    "waiting_at_door": row.waiting_at_door,
                    "standing": row.standing,
                }
                for _, rows in board.slots
                for row in rows
            },
        }
    )


def local_naive(moment: dt.datetime, zone: str) -> dt.datetime:
    return moment.astimezone(ZoneInfo(zone)).replace(tzinfo=None)


def event_data(form: EventForm, zone: str) -> dict:
    """The form's values as the rules take them (registration times in the event's zone)."""
    data = {name: getattr(form, name).data for name in setup.EVENT_FIELDS if hasattr(form, name)}
    data["timezone"] = zone
    data["venue_en"] = data.get("venue_en") or ""
    data["capacity"] = form.capacity.data
    for name in ("registration_opens_at", "registration_closes_at"):
        data[name] = getattr(form, name).data.replace(tzinfo=ZoneInfo(zone))
    return data


@bp.route("/events/new", methods=["GET", "POST"])
def new_event():
    """Set up a new program day (then its agenda and sessions)."""
    return edit_event_form(None)


@bp.route("/e/<slug>/edit", methods=["GET", "POST"])
def edit_event(slug: str):
    """Change the day's texts, date, venue, capacity and registration window."""
    return edit_event_form(get_event_or_404(slug))


def edit_event_form(event: Event | None):
    zone = event.timezone if event else "Europe/Amsterdam"
    form = EventForm(obj=event)
    if event is not None and not form.is_submitted():
        form.registration_opens_at.data = local_naive(event.registration_opens_at, zone)
        form.registration_closes_at.data = local_naive(event.registration_closes_at, zone)
    pending = None
    if form.validate_on_submit():
        save = lambda: setup.save_event(db.session, event, event_data(form, zone), current_user, utcnow())  # noqa: E731
        if event is None:
            saved = carried_out(save)
        else:
            saved, pending = changed_with_updates(event, save)
        if saved is not None:
            return redirect(url_for(".show_setup", slug=saved.slug))
    status = 422 if form.is_submitted() and not pending else 200
    return render_template("organiser/event_form.html", form=form, event=event, calendar_update=pending), status


@bp.get("/e/<slug>/setup")
def show_setup(slug: str):
    """The day's agenda and sessions, with links to change them."""
    return render_template("organiser/setup.html", event=get_event_or_404(slug))


@bp.post("/e/<slug>/copy")
def copy_event(slug: str):
    """Make the next edition from this one, without its registrations."""
    event = get_event_or_404(slug)
    form = CopyEventForm()
    if not form.validate():
        flash(" ".join(error for errors in form.errors.values() for error in errors), "error")
        return redirect(url_for(".show_dashboard", slug=slug))

    if form.date.data is None:  # validated: the form requires it
        abort(400)
    new_date = form.date.data

    def make_copy():
        copy = setup.copy_event(db.session, event, form.slug.data or "", new_date, current_user, utcnow())
        copy_questions(db.session, event.id, copy.id, utcnow())
        return copy

    copy = carried_out(make_copy, _("The new edition is made: check its date, texts and registration window."))
    if copy is None:
        return redirect(url_for(".show_dashboard", slug=slug))
    return redirect(url_for(".edit_event", slug=copy.slug))


@bp.route("/e/<slug>/agenda/new", methods=["GET", "POST"])
@bp.route("/e/<slug>/agenda/<id:item_id>", methods=["GET", "POST"])
def edit_agenda_item(slug: str, item_id: int | None = None):
    """Add or change a block of the afternoon."""
    event = get_event_or_404(slug)
    item = get_item_or_404(event, item_id) if item_id is not None else None
    form = AgendaItemForm(obj=item)
    pending = None
    if form.validate_on_submit():
        data = {name: getattr(form, name).data for name in setup.AGENDA_FIELDS}
        saved, pending = changed_with_updates(
            event, lambda: setup.save_agenda_item(db.session, event, item, data, current_user)
        )
        if saved is not None:
            return redirect(url_for(".show_setup", slug=slug))
    status = 422 if form.is_submitted() and not pending else 200
    context = {"form": form, "event": event, "item": item, "calendar_update": pending}
    return render_template("organiser/agenda_form.html", **context), status


@bp.route("/e/<slug>/agenda/<id:item_id>/delete", methods=["GET", "POST"])
def delete_agenda_item(slug: str, item_id: int):
    """Delete a block of the afternoon nobody chose, after a confirmation page that names it."""
    event = get_event_or_404(slug)
    item = get_item_or_404(event, item_id)
    if not confirmed():
        return render_template(
            "organiser/delete_confirm.html", event=event, item=item, session=None, form=ConfirmForm()
        )
    return delete_with(lambda: setup.delete_agenda_item(db.session, item, current_user), slug)


@bp.route("/e/<slug>/slot/<id:item_id>/sessions/new", methods=["GET", "POST"])
@bp.route("/e/<slug>/sessions/<id:session_id>", methods=["GET", "POST"])
def edit_session(slug: str, item_id: int | None = None, session_id: int | None = None):
    """Add or change a session; seats cannot go below those taken, and a raise serves the waitlist."""
    event = get_event_or_404(slug)
    session = get_session_or_404(event, session_id) if session_id is not None else None
    if session is not None:
        slot = session.agenda_item
    elif item_id is not None:
        slot = get_item_or_404(event, item_id)
    else:  # neither route: nothing to add a session to
        abort(404)
    form = SessionForm(obj=session)
    if session is not None and not form.is_submitted():
        form.hosts_text.data = hosts.hosts_text(session)
        form.contacts_text.data = hosts.contacts_text(session)
        form.materials_text.data = hosts.materials_text(session)
    pending = None
    if form.validate_on_submit():
        data = {name: getattr(form, name).data for name in setup.SESSION_FIELDS}
        data.update(capacity=form.capacity.data, position=form.position.data or 0)
        for name in ("room", "room_en", "host_organisation", "description_nl", "description_en"):
            data[name] = data[name] or ""

        def save():
            saved = setup.save_session(db.session, session, slot, data, current_user, utcnow())
            hosts.set_people_and_links(saved, form.people_and_links())
            return saved

        saved, pending = changed_with_updates(event, save)
        if saved is not None:
            return redirect(url_for(".show_setup", slug=slug))
    status = 422 if form.is_submitted() and not pending else 200
    context = {"form": form, "event": event, "slot": slot, "session": session, "calendar_update": pending}
    return render_template("organiser/session_form.html", **context), status


@bp.route("/e/<slug>/sessions/<id:session_id>/delete", methods=["GET", "POST"])
def delete_session(slug: str, session_id: int):
    """Delete a session nobody has a seat in, after a confirmation page (one people chose is cancelled instead)."""
    event = get_event_or_404(slug)
    session = get_session_or_404(event, session_id)
    if not confirmed():  # a session people chose says so, and points to cancelling it instead
        context = {"event": event, "item": session.agenda_item, "session": session, "form": ConfirmForm()}
        return render_template("organiser/delete_confirm.html", **context)
    return delete_with(lambda: setup.delete_session(db.session, session, current_user), slug)


@bp.route("/e/<slug>/sessions/<id:session_id>/cancel", methods=["GET", "POST"])
def cancel_session(slug: str, session_id: int):
    """Cancel a session people chose: after confirming, each of them gets a calendar update and the alternatives."""
    event = get_event_or_404(slug)
    session = get_session_or_404(event, session_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        people = program_updates.cancel_session(db.session, session, current_user, utcnow())
        db.session.commit()
        flash(updates_sent(people), "success")
        return redirect(url_for(".show_setup", slug=slug))
    people = program_changes.session_people(db.session, session.id)
    return render_template("organiser/session_cancel.html", event=event, session=session, people=people, form=form)


def changed_with_updates(event: Event, change):
    """(what the change returned, None) once saved; (None, N) when it would update N people's calendars
    and the organiser has not confirmed yet; (None, None) when a rule refused it (the reason is flashed)."""
    confirmed = request.form.get("send_calendar_update") == "yes"
    try:
        outcome = program_updates.change_the_day(db.session, event.id, change, utcnow(), confirmed)
    except setup.SetupError as error:
        db.session.rollback()
        flash(str(error), "error")
        return None, None
    if not outcome.done:
        return None, outcome.people
    db.session.commit()
    flash(updates_sent(outcome.people) if outcome.people else _("Saved."), "success")
    return outcome.result, None


def updates_sent(people: int) -> str:
    return ngettext(
        "Saved. %(num)d person gets a calendar update in a few minutes.",
        "Saved. %(num)d people get a calendar update in a few minutes.",
        people,
    )


def confirmed() -> bool:
    """The organiser pressed a confirmation page's button (CSRF is checked for every POST)."""
    return request.method == "POST" and request.form.get("confirm") == "yes"


def delete_with(action, slug: str):
    """Run a deletion (CSRF is checked for every POST); a refusal is shown, nothing is lost."""
    carried_out(action, _("Deleted."))
    return redirect(url_for(".show_setup", slug=slug))


def carried_out(action, success: str | None = None):
    """Run a set-up change and commit it (returning what it returns, or True), or roll back and say why not (None)."""
    try:
        result = action()
    except setup.SetupError as error:
        db.session.rollback()
        flash(str(error), "error")
        return None
    db.session.commit()
    flash(success or _("Saved."), "success")
    return True if result is None else result
