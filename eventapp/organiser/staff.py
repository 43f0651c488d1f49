"""Organiser page of the staff accounts: who has one, how many browsers are logged in, log one out everywhere."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from eventapp.audit import audit
from eventapp.db import utcnow
from eventapp.extensions import db
from eventapp.staff import sessions
from eventapp.staff.access import organiser_required
from eventapp.staff.models import User

bp = Blueprint("staff_admin", __name__, url_prefix="/organiser/staff")


@bp.before_request
@organiser_required
def only_organisers():
    """Other people's accounts: organisers only."""


@bp.get("/")
def list_staff():
    """Every account with its role, state and number of logged-in browsers."""
    now = utcnow()
    users = db.session.scalars(select(User).order_by(User.email))
    rows = [(user, len(sessions.active_sessions(db.session, user, now))) for user in users]
    return render_template("organiser/staff.html", rows=rows)


@bp.route("/<id:user_id>/logout-everywhere", methods=["GET", "POST"])
def logout_everywhere(user_id: int):
    """GET asks first; the confirmed POST ends every session of the account (audited)."""
    user = db.session.get(User, user_id) or abort(404)
    if request.method == "GET":
        count = len(sessions.active_sessions(db.session, user, utcnow()))
        return render_template("organiser/staff_logout.html", user=user, count=count)
    ended = sessions.end_all_sessions(db.session, user, utcnow())
    audit(db.session, current_user, "staff.logout_everywhere", account=user.email, sessions=ended)
    db.session.commit()
    flash(_("%(email)s is logged out on every device.", email=user.email), "success")
    if user.id == current_user.id:
        return redirect(url_for("staff.login"))
    return redirect(url_for(".list_staff"))
