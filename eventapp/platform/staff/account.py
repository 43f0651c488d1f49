"""A member of staff's own account page: the browsers logged in, ending one of them, or all of them."""

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, logout_user

from eventapp.platform.audit import audit
from eventapp.platform.db import utcnow
from eventapp.platform.extensions import db
from eventapp.platform.staff import sessions
from eventapp.platform.staff.access import staff_required

bp = Blueprint("staff_account", __name__, url_prefix="/staff/account")


@bp.before_request
@staff_required
def only_staff():
    """Someone's own sessions: a login is needed."""


@bp.get("")
def show_account():
    """Who is logged in with this account, where, and since when (this browser marked)."""
    rows = sessions.active_sessions(db.session, current_user, utcnow())
    return render_template("staff/account.html", rows=rows, current_id=g.get("staff_session_id"))


@bp.post("/sessions/<id:session_id>/end")
def end_session(session_id: int):
    """Revoke one browser's login (a lost tablet); this browser's own means logging out here."""
    staff_session = sessions.account_session(db.session, current_user, session_id) or abort(404)
    own = staff_session.id == g.get("staff_session_id")
    if sessions.end_session(staff_session, utcnow()):
        audit(db.session, current_user, "staff.session_ended", session_id=staff_session.id)
        db.session.commit()
    if own:
        logout_user()
        return redirect(url_for("staff.login"))
    flash(_("That device is logged out."), "success")
    return redirect(url_for(".show_account"))


@bp.route("/logout-everywhere", methods=["GET", "POST"])
def logout_everywhere():
    """GET asks first (every desk with this account stops until it logs in again); the confirmed POST does it."""
    if request.method == "GET":
        count = len(sessions.active_sessions(db.session, current_user, utcnow()))
        return render_template("staff/logout_everywhere.html", count=count)
    ended = sessions.end_all_sessions(db.session, current_user, utcnow())
    audit(db.session, current_user, "staff.logout_everywhere", sessions=ended)
    db.session.commit()
    logout_user()
    return redirect(url_for("staff.login"))
