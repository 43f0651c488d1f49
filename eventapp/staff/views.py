"""Logging staff in and out."""

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from eventapp.db import utcnow
from eventapp.extensions import db, limiter
from eventapp.staff import services
from eventapp.staff.forms import LoginForm

bp = Blueprint("staff", __name__, url_prefix="/staff")


def safe_next(target: str | None) -> str | None:
    """Only a path on this site: never send someone on to another host after logging in."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def home_for(user) -> str:
    """Where a login lands: organisers on their dashboard, desk staff on the scan page."""
    return url_for("organiser.home") if user.is_organiser else url_for("checkin.scan_page")


def login_account_key() -> str:
    """The account a login attempt is for, normalised as accounts are stored: guesses spread over
    many addresses still count against the one account they try."""
    return "login-account:" + request.form.get("email", "").strip().lower()[:254]


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
@limiter.limit(lambda: current_app.config["LOGIN_ACCOUNT_RATE_LIMIT"], key_func=login_account_key, methods=["POST"])
def login():
    """Log in with e-mail and password; a fresh session is started."""
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(db.session, form.email.data, form.password.data, utcnow())
        if user is not None:
            target = safe_next(request.args.get("next"))
            session.clear()  # a new session at login: nothing carried over from before
            login_user(user)
            db.session.commit()
            return redirect(target or home_for(user))
        flash(_("That e-mail address and password do not match an account."), "error")
    return render_template("staff/login.html", form=form), 200 if not form.is_submitted() else 401


@bp.post("/logout")
def logout():
    """Log out: the account's session token changes, so copies of this cookie stop working too."""
    if current_user.is_authenticated:
        services.end_sessions(current_user)
        db.session.commit()
    logout_user()
    session.clear()
    response = redirect(url_for(".login"))
    # What a desk kept for working offline (the cached scan page, the code list and the queue in IndexedDB,
    # the service worker) goes with the login: the next person on this tablet starts clean.
    response.headers["Clear-Site-Data"] = '"cache", "storage"'
    return response
