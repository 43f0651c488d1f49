"""Registering for a program day, and the person's own page behind their personal link."""

from flask import Blueprint, abort, current_app, flash, g, jsonify, redirect, render_template, url_for
from flask_babel import gettext as _

from eventapp.db import checkpoint_erased, utcnow
from eventapp.events.privacy import PRIVACY_NOTICE_VERSION
from eventapp.events.views import get_event_or_404
from eventapp.extensions import db, limiter
from eventapp.i18n import current_language, localized
from eventapp.newsletter import services as newsletter
from eventapp.privacy import services as privacy
from eventapp.registration import queries, services
from eventapp.registration.forms import (
    CancelForm,
    ChangeSessionForm,
    DetailsForm,
    EraseForm,
    registration_form,
    session_choices,
)
from eventapp.registration.models import CANCELLED, CONFIRMED, WAITLISTED
from eventapp.tickets.qr import qr_svg

bp = Blueprint("registration", __name__)


@bp.route("/e/<slug>/register", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["REGISTRATION_RATE_LIMIT"], methods=["POST"])
def register(slug: str):
    """The registration form; a new registration lands on the person's own page."""
    event = get_event_or_404(slug)
    slots = services.choice_slots(event)
    form = registration_form(slots, language=current_language())
    if form.validate_on_submit():
        now = utcnow()
        try:
            registration = services.register(
                db.session,
                event,
                form.person(),
                form.session_ids(),
                PRIVACY_NOTICE_VERSION,
                now,
                wants_newsletter=form.newsletter.data,
            )
        except services.AlreadyRegistered as already:
            # Whoever asks gets the same answer; the link goes to the address, not to the asker.
            services.send_manage_link(db.session, already.registration, now)
            db.session.commit()
            return redirect(url_for(".check_mail", slug=slug))
        except services.InvalidChoices:
            abort(400)
        if form.newsletter.data:  # the optional box: a sign-up that still needs its own confirmation
            newsletter.sign_up(
                db.session, registration.email, registration.name, registration.language, "registration", now
            )
        db.session.commit()
        return redirect(url_for(".manage", token=registration.manage_token))
    state = services.window_state(event, utcnow())
    status = 422 if form.is_submitted() else 200
    return render_template("registration/form.html", event=event, slots=slots, form=form, state=state), status


@bp.get("/e/<slug>/register/check-mail")
def check_mail(slug: str):
    """Said to anyone who registers an address that is already registered."""
    return render_template("registration/check_mail.html", event=get_event_or_404(slug))


def get_registration_or_404(token: str):
    """The registration behind a personal link, or a 404 page (nothing else is revealed)."""
    registration = queries.find_by_manage_token(db.session, token)
    if registration is None:
        abort(404)
    g.owner_language = registration.language  # their page speaks their language (unless they switch)
    return registration


def render_manage(registration, status=200, full_session=None, details_form=None, cancel_form=None, erase_form=None):
    """The person's own page, with its forms."""
    overview = queries.registration_overview(db.session, registration)
    change_forms = {}
    for item in overview:
        form = ChangeSessionForm(prefix=f"slot{item.slot.id}", formdata=None)
        form.session_id.choices = session_choices(item.slot)
        form.session_id.data = (item.seat or item.waiting_for).id if (item.seat or item.waiting_for) else None
        change_forms[item.slot.id] = form
    day_place = None
    if registration.status == WAITLISTED:
        day_place = services.day_place_in_line(db.session, registration)
    return render_template(
        "registration/manage.html",
        registration=registration,
        event=registration.event,
        overview=overview,
        day_place=day_place,
        change_forms=change_forms,
        details_form=details_form or DetailsForm(obj=registration, formdata=None),
        cancel_form=cancel_form or CancelForm(formdata=None),
        erase_form=erase_form or EraseForm(formdata=None),
        full_session=full_session,
        qr=qr_svg(registration.ticket_code) if registration.status == CONFIRMED else None,
        is_cancelled=registration.status == CANCELLED,
    ), status


@bp.get("/r/<token>")
def manage(token: str):
    """The person's own page: status, sessions or place in line, QR code, calendar, changes."""
    return render_manage(get_registration_or_404(token))


@bp.post("/r/<token>/slot/<int:slot_id>")
def change_session(token: str, slot_id: int):
    """Swap to another session of a slot; a full one offers its waitlist, keeping the seat held."""
    registration = get_registration_or_404(token)
    form = ChangeSessionForm(prefix=f"slot{slot_id}")
    slot = next((slot for slot in services.choice_slots(registration.event) if slot.id == slot_id), None)
    if slot is None:
        abort(404)
    form.session_id.choices = session_choices(slot)
    if not form.validate():
        flash(_("Please choose a session."), "error")
        return redirect(url_for(".manage", token=token))
    try:
        result = services.change_session(
            db.session, registration, form.session_id.data, utcnow(), join_waitlist=form.join_waitlist.data == "1"
        )
    except services.SessionFull as full:
        db.session.rollback()
        return render_manage(registration, status=409, full_session=full.session)
    except services.RegistrationCancelled:
        abort(409)
    db.session.commit()
    flash(swap_message(result), "success")
    return redirect(url_for(".manage", token=token))


def swap_message(result: services.SwapResult) -> str:
    """What the person is told after a change of session."""
    title = localized(result.session, "title")
    if result.outcome == "confirmed":
        return _("You now have a seat in %(title)s.", title=title)
    if result.outcome == "waitlisted" and result.place_in_line:
        return _(
            "You are on the waitlist for %(title)s (place %(place)d) and keep the seat you have.",
            title=title,
            place=result.place_in_line,
        )
    if result.outcome == "waitlisted":
        return _("Your choice is saved: %(title)s.", title=title)
    return _("You keep your seat in %(title)s.", title=title)


@bp.post("/r/<token>/details")
def update_details(token: str):
    """Save the person's name, organisation, role and language."""
    registration = get_registration_or_404(token)
    if registration.status == CANCELLED:
        abort(409)
    form = DetailsForm()
    if not form.validate():
        return render_manage(registration, status=422, details_form=form)
    services.update_details(
        registration, form.name.data, form.organisation.data, form.role.data or "", form.language.data
    )
    db.session.commit()
    flash(_("Your details are saved."), "success")
    return redirect(url_for(".manage", token=token))


@bp.get("/r/<token>/data.json")
def download_data(token: str):
    """Everything kept about the person, as a JSON file (the AVG's right of access)."""
    registration = get_registration_or_404(token)
    response = jsonify(privacy.personal_data(db.session, registration))
    response.headers["Content-Disposition"] = f'attachment; filename="my-registration-{registration.event.slug}.json"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/r/<token>/erase")
def erase(token: str):
    """Erase the registration: seats freed, personal details removed, this link stops working."""
    registration = get_registration_or_404(token)
    form = EraseForm()
    if not form.validate():
        return render_manage(registration, status=422, erase_form=form)
    event = registration.event
    privacy.erase(db.session, registration, utcnow(), remove_newsletter=form.remove_newsletter.data)
    db.session.commit()
    checkpoint_erased(db.engine)
    return render_template("registration/erased.html", event=event)


@bp.post("/r/<token>/cancel")
def cancel(token: str):
    """Cancel the registration; the seats go to the first people waiting."""
    registration = get_registration_or_404(token)
    form = CancelForm()
    if not form.validate():
        return render_manage(registration, status=422, cancel_form=form)
    services.cancel(db.session, registration, utcnow())
    db.session.commit()
    flash(_("Your registration is cancelled. Your seats went to the people waiting for them."), "success")
    return redirect(url_for(".manage", token=token))
