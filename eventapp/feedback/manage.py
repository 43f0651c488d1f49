"""The organisers' feedback results without names: averages and distributions, comments, closing and
reopening, the export."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from eventapp.events.services import get_event_or_404
from eventapp.feedback import services
from eventapp.feedback.charts import result_figures
from eventapp.platform.db import utcnow
from eventapp.platform.exports import Column, download_list
from eventapp.platform.extensions import db
from eventapp.platform.forms import ConfirmForm
from eventapp.platform.i18n import localized
from eventapp.platform.settings import settings
from eventapp.platform.staff.back_office import back_office, menu_entry

bp = back_office("feedback_results", __name__)
menu_entry(bp, "show_results", _l("Feedback"), 90)


@bp.get("/e/<slug>/feedback")
def show_results(slug: str):
    """Number of responses, averages and distributions per session as charts, and the comments; no names."""
    event = get_event_or_404(slug)
    minimum = settings().feedback_min_respondents
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


@bp.post("/e/<slug>/feedback/close")
def close_feedback(slug: str):
    event = get_event_or_404(slug)
    if ConfirmForm().validate():
        services.close(db.session, event, current_user, utcnow())
        db.session.commit()
        flash(_("Feedback is closed: nobody can give or change it any more."), "success")
    return redirect(url_for(".show_results", slug=slug))


@bp.post("/e/<slug>/feedback/reopen")
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


@bp.get("/e/<slug>/feedback.<any(csv, xlsx):fmt>")
def export_feedback(slug: str, fmt: str):
    """Every answer as a row (the day, then each session), without names, in a neutral order."""
    event = get_event_or_404(slug)
    day = str(_("The day"))
    rows = [
        (localized(session, "title") if session is not None else day, score, comment)
        for session, score, comment in services.answer_rows(db.session, event, settings().feedback_min_respondents)
    ]
    return download_list(event.slug, "feedback", fmt=fmt, columns=COLUMNS, rows=rows, sheet="Feedback")
