"""Logging staff in and out."""

from urllib.parse import unquote, urlsplit

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from eventapp.db import utcnow
from eventapp.extensions import db, limiter
from eventapp.staff import services, sessions
from eventapp.staff.forms import LoginForm
from eventapp.staff.models import StaffSession

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


def device_label() -> str:
    """How the account page names this browser: the desk's name when the scan page gave one, and the browser."""
    desk = unquote(request.cookies.get("eventapp_desk", ""))[:100]  # the scan page's cookie (eventapp.checkin.device)
    agent = request.user_agent.string
    browser = next((name for name in ("Edg", "Firefox", "Chrome", "Safari") if name in agent), "")
    system = next((name for name in ("Android", "iPhone", "iPad", "Windows", "Mac OS", "Linux") if name in agent), "")
    described = " · ".join(part for part in (browser.replace("Edg", "Edge"), system) if part)
    return " — ".join(part for part in (desk, described) if part)


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
            sessions.start_session(db.session, user, utcnow(), device_label(), request.remote_addr or "")
            login_user(user)
            db.session.commit()
            return redirect(target or home_for(user))
        flash(_("That e-mail address and password do not match an account."), "error")
    return render_template("staff/login.html", form=form), 200 if not form.is_submitted() else 401


@bp.post("/logout")
def logout():
    """Log out this browser: its staff session ends (so copies of its cookie stop working too); the account's
    other devices stay logged in ("log out everywhere" is on /staff/account)."""
    if current_user.is_authenticated:
        staff_session = db.session.get(StaffSession, g.get("staff_session_id") or 0)
        if staff_session is not None and sessions.end_session(staff_session, utcnow()):
            db.session.commit()
    logout_user()
    session.clear()
    response = redirect(url_for(".login"))
    # What a desk kept for working offline (the cached scan page, the code list and the queue in IndexedDB,
    # the service worker) goes with the login: the next person on this tablet starts clean.
    response.headers["Clear-Site-Data"] = '"cache", "storage"'
    return response
