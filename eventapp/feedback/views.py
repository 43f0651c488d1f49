"""The person's feedback form (/r/<token>/feedback) and the organisers' results without names."""

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from eventapp.checkin.attended import attended_sessions
from eventapp.events.services import get_event_or_404
from eventapp.feedback import services
from eventapp.feedback.charts import result_figures
from eventapp.feedback.forms import feedback_form
from eventapp.platform.db import utcnow
from eventapp.platform.exports import Column, download_list
from eventapp.platform.extensions import db
from eventapp.platform.forms import ConfirmForm
from eventapp.platform.i18n import localized
from eventapp.platform.staff.access import organiser_required
from eventapp.registration.queries import get_registration_or_404

bp = Blueprint("feedback", __name__)


@bp.route("/r/<token>/feedback", methods=["GET", "POST"])
def give_feedback(token: str):
    """Per attended session a score and a comment, for the day a score and a wish; sent again, it replaces."""
    registration = get_registration_or_404(token)
    now = utcnow()
    try:
        services.check_may_give(db.session, registration, now)
    except services.FeedbackRefused as refusal:
        response = services.response_of(db.session, registration)
        context = {"registration": registration, "reason": refusal.reason, "response": response}
        return render_template("feedback/unavailable.html", **context), 403
    sessions = attended_sessions(db.session, registration)
    form = feedback_form(sessions, services.response_of(db.session, registration))
    if form.validate_on_submit():
        services.save(db.session, registration, form.answers(sessions), now)
        db.session.commit()
        flash(_("Thank you! Your feedback is saved. You can change it here until the feedback closes."), "success")
        return redirect(url_for(".give_feedback", token=token))
    status = 422 if form.is_submitted() else 200
    context = {"registration": registration, "event": registration.event, "sessions": sessions, "form": form}
    return render_template("feedback/form.html", **context), status


@bp.get("/organiser/e/<slug>/feedback")
@organiser_required
def show_results(slug: str):
    """Number of responses, averages and distributions per session as charts, and the comments; no names."""
    event = get_event_or_404(slug)
    minimum = current_app.config["FEEDBACK_MIN_RESPONDENTS"]
    results = services.results(db.session, event, minimum)
    return render_template(
        "feedback/results.html",
        event=event,
        results=results,
        min_respondents=minimum,
        figures=result_figures(results),
        is_open=services.is_open(event, utcnow()),
        form=ConfirmForm(formdata=None),
    )


@bp.post("/organiser/e/<slug>/feedback/close")
@organiser_required
def close_feedback(slug: str):
    event = get_event_or_404(slug)
    if ConfirmForm().validate():
        services.close(db.session, event, current_user, utcnow())
        db.session.commit()
        flash(_("Feedback is closed: nobody can give or change it any more."), "success")
    return redirect(url_for(".show_results", slug=slug))


@bp.post("/organiser/e/<slug>/feedback/reopen")
@organiser_required
def reopen_feedback(slug: str):
    event = get_event_or_404(slug)
    if ConfirmForm().validate():
        services.reopen(db.session, event, current_user)
        db.session.commit()
        flash(_("Feedback is open again."), "success")
    return redirect(url_for(".show_results", slug=slug))


COLUMNS = [
    Column(_l("About"), 30),
    Column(_l("Score"), 8),
    Column(_l("Comment"), 60),
]


@bp.get("/organiser/e/<slug>/feedback.<any(csv, xlsx):fmt>")
@organiser_required
def export_feedback(slug: str, fmt: str):
    """Every answer as a row (the day, then each session), without names, in a neutral order."""
    event = get_event_or_404(slug)
    day = str(_("The day"))
    rows = [
        (localized(session, "title") if session is not None else day, score, comment)
        for session, score, comment in services.answer_rows(
            db.session, event, current_app.config["FEEDBACK_MIN_RESPONDENTS"]
        )
    ]
    return download_list(event.slug, "feedback", fmt=fmt, columns=COLUMNS, rows=rows, sheet="Feedback")
