"""For organisers: release the seats of no-shows early (preview, then confirm), print name badges, and clear the
desks' test scans before the day."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from eventapp.checkin import badges, release, test_scans
from eventapp.events.services import get_event_or_404
from eventapp.platform.audit import audit
from eventapp.platform.db import is_database_id, utcnow
from eventapp.platform.extensions import db
from eventapp.platform.forms import ConfirmForm
from eventapp.platform.i18n import current_language
from eventapp.platform.staff.back_office import back_office
from eventapp.platform.tickets.badges import badge_sheets

bp = back_office("doors", __name__)


@bp.route("/e/<slug>/release", methods=["GET", "POST"])
def release_seats(slug: str):
    """Release the no-show seats now, before their moment: a preview that names the figures, then the button."""
    event = get_event_or_404(slug)
    form = ConfirmForm()
    if request.method == "POST" and request.form.get("confirm") == "yes" and form.validate_on_submit():
        preview = release.preview(db.session, event)
        done = release.release(db.session, event, utcnow(), preview.slot_ids, include_day=preview.includes_day)
        audit(db.session, current_user, "seats.released", event=event, released=done.released, seated=done.seated)
        db.session.commit()
        flash(
            _(
                "%(released)d seats released: %(seated)d went to people waiting here.",
                released=done.released,
                seated=done.seated,
            ),
            "success",
        )
        return redirect(url_for("organiser.show_dashboard", slug=slug))
    preview = release.preview(db.session, event)
    figures = preview.as_json(current_language())
    return render_template("organiser/release.html", event=event, preview=preview, figures=figures, form=form)


@bp.route("/e/<slug>/test-scans", methods=["GET", "POST"])
def clear_test_scans(slug: str):
    """The desks' test scans before the day: how many, and (confirmed) clear them; refused from the day on."""
    event = get_event_or_404(slug)
    form = ConfirmForm()
    if request.method == "POST" and request.form.get("confirm") == "yes" and form.validate_on_submit():
        try:
            cleared = test_scans.clear(db.session, event, utcnow())
        except test_scans.TestScansNotAllowed:
            flash(_("Test scans can be cleared before the day only."), "error")
            return redirect(url_for("organiser.show_dashboard", slug=slug))
        audit(db.session, current_user, "test_scans.cleared", event=event, cleared=cleared)
        db.session.commit()
        flash(ngettext("%(num)d test scan cleared.", "%(num)d test scans cleared.", cleared), "success")
        return redirect(url_for("organiser.show_dashboard", slug=slug))
    count = test_scans.count(db.session, event)
    may_clear = test_scans.may_clear(event, utcnow())
    return render_template("organiser/test_scans.html", event=event, count=count, may_clear=may_clear, form=form)


@bp.get("/e/<slug>/badges.pdf")
def badges_pdf(slug: str):
    """Name badges: ?who=all|not_printed, ?session=<id> (one session's people), ?layout= one of
    tickets.badges.LAYOUTS (A4 sheets 2x4, 2x5; one label a page: label-62x100, label-54x101)."""
    event = get_event_or_404(slug)
    who = request.args.get("who", badges.EVERYONE)
    layout = badges.layout_named(request.args.get("layout"))
    session_id = request.args.get("session", type=int)
    if who not in badges.WHO or layout is None or ("session" in request.args and not is_database_id(session_id)):
        abort(400)
    people = badges.people_for_badges(db.session, event, who, session_id)
    sheet = [badges.badge_of(person) for person in people]
    pdf = badge_sheets(sheet, layout, title=_("Name badges"), lang=current_language())
    badges.mark_printed(people, utcnow())
    db.session.commit()
    return badges.pdf_response(pdf, f"badges-{event.slug}.pdf")
