"""The person's feedback form (/r/<token>/feedback); the organisers' results are in feedback/manage.py."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from eventapp.checkin.attended import attended_sessions
from eventapp.feedback import services
from eventapp.feedback.forms import feedback_form
from eventapp.platform.db import utcnow
from eventapp.platform.extensions import db
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
