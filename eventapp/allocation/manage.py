"""The organiser's allocation page: the mode and deadline, the demand, a preview, and the run after a confirmation.

Routes: GET /organiser/e/<slug>/allocation (the page; ?seed=N previews with that seed),
POST /organiser/e/<slug>/allocation/mode (confirm=yes when held seats become first choices),
GET and POST /organiser/e/<slug>/allocation/run (confirm=yes runs).
"""

import secrets
from zoneinfo import ZoneInfo

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from eventapp.allocation import charts, conversion, demand, services
from eventapp.allocation.forms import AllocationModeForm
from eventapp.events.models import AllocationMode, Event
from eventapp.events.services import get_event_or_404
from eventapp.platform.audit import audit
from eventapp.platform.db import utcnow
from eventapp.platform.extensions import db
from eventapp.platform.forms import ConfirmForm
from eventapp.platform.staff.back_office import back_office, menu_entry

bp = back_office("allocation", __name__)
menu_entry(bp, "show_allocation", _l("Allocation"), 40)


def chosen_seed() -> int:
    """The preview's seed from ?seed=, else a new one: the run button carries it, so the run repeats the preview."""
    seed = request.args.get("seed", "")
    return int(seed) if seed.isdigit() and len(seed) < 10 else secrets.randbelow(2**31)


def mode_form(event: Event, formdata=None) -> AllocationModeForm:
    form = AllocationModeForm(formdata=formdata, mode=str(event.allocation_mode))
    form.mode.choices = [(mode.value, mode.label) for mode in AllocationMode]
    if formdata is None and event.preferences_deadline is not None:
        local = event.preferences_deadline.astimezone(ZoneInfo(event.timezone))
        form.deadline.data = local.replace(tzinfo=None, second=0, microsecond=0)
    return form


def render_page(event: Event, form: AllocationModeForm | None = None, status: int = 200):
    seed = chosen_seed()
    preview = None
    if event.collects_preferences:
        preview = services.plan(db.session, event, seed)
    return render_template(
        "organiser/allocation.html",
        event=event,
        form=form or mode_form(event),
        demand=[charts.demand_figure(slot, rows) for slot, rows in demand.demand(db.session, event)],
        kinds=charts.kinds_figure(demand.kinds_ranking(db.session, event)),
        preview=preview,
        figures=preview.figures() if preview else None,
        seed=seed,
        runs=services.runs_of(db.session, event),
    ), status


@bp.get("/e/<slug>/allocation")
def show_allocation(slug: str):
    """Mode and deadline; the demand per session and the kinds of organisation; a preview of the allocation."""
    return render_page(get_event_or_404(slug))


@bp.post("/e/<slug>/allocation/mode")
def change_mode(slug: str):
    """Switch between first come, first served and ranked preferences with a deadline.

    Switching a day whose people hold session seats to preferences gives those seats back for the allocation:
    the page says so first and switches on `confirm=yes`.
    """
    event = get_event_or_404(slug)
    form = mode_form(event, formdata=request.form)
    if not form.validate():
        return render_page(event, form, 422)
    mode = form.mode.data
    deadline = form.deadline.data.replace(tzinfo=ZoneInfo(event.timezone)) if form.deadline.data else None
    deadline = deadline if mode == AllocationMode.PREFERENCES else None
    if request.form.get("confirm") != "yes" and (deadline or event.preferences_deadline):
        holding = conversion_ahead(event, mode)
        if holding:
            return render_template(
                "organiser/allocation_mode_confirm.html",
                event=event,
                form=form,
                people=holding,
                deadline=deadline or event.preferences_deadline,
                deadline_field=request.form.get("deadline", ""),
            )
    try:
        converted = services.switch_mode(db.session, event, mode, deadline, utcnow())
    except services.SwitchBackRefused:
        form.mode.errors = [
            *form.mode.errors,
            _("People have ranked sessions: allocate the seats (after it, first come, first served again)."),
        ]
        return render_page(event, form, 409)
    except services.AllocationError:
        form.deadline.errors = [*form.deadline.errors, _("Preference mode needs a deadline.")]
        return render_page(event, form, 422)
    audit(db.session, current_user, "allocation.mode", event=event, mode=mode, converted=len(converted))
    db.session.commit()
    flash(_("Saved."), "success")
    return redirect(url_for(".show_allocation", slug=slug))


def conversion_ahead(event: Event, mode: str) -> int:
    """How many people's session seats a switch to preferences would turn into first choices."""
    if mode != AllocationMode.PREFERENCES or event.allocation_mode == AllocationMode.PREFERENCES:
        return 0
    return len(conversion.people_holding_sessions(db.session, event))


@bp.route("/e/<slug>/allocation/run", methods=["GET", "POST"])
def run_allocation(slug: str):
    """Allocate after a confirmation page that says what happens; the seed of the preview is used."""
    event = get_event_or_404(slug)
    if not event.collects_preferences:  # nothing to allocate: the page says why
        if request.method == "POST":
            abort(409)
        return render_page(event)
    seed = chosen_seed()
    if not (request.method == "POST" and request.form.get("confirm") == "yes"):
        preview = services.plan(db.session, event, seed)
        return render_template(
            "organiser/allocation_confirm.html", event=event, seed=seed, figures=preview.figures(), form=ConfirmForm()
        )
    result = services.run(db.session, event, seed, utcnow())
    audit(db.session, current_user, "allocation.run", event=event, seed=seed)
    db.session.commit()
    figures = result.figures()
    flash(
        _(
            "The seats are allocated: %(assigned)d places given, %(unassigned)d on a waitlist. Everyone gets a mail.",
            assigned=figures["assigned"],
            unassigned=figures["unassigned"],
        ),
        "success",
    )
    return redirect(url_for(".show_allocation", slug=slug))
