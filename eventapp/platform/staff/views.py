"""Logging staff in and out, and setting up an invited account (its link sets the password and logs in)."""

import math
from urllib.parse import unquote, urlsplit

from flask import Blueprint, flash, g, make_response, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_user, logout_user

from eventapp.platform.audit import audit
from eventapp.platform.db import utcnow
from eventapp.platform.extensions import db, limiter
from eventapp.platform.settings import settings
from eventapp.platform.staff import invitations, login_limits, services, sessions
from eventapp.platform.staff.forms import LoginForm, SetPasswordForm
from eventapp.platform.staff.models import InvitationStatus, StaffInvitation, StaffSession

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


def limits() -> login_limits.LoginLimits:
    """The app's rate-limit storage; none when limits are switched off (Flask-Limiter then has no storage)."""
    config = settings()
    storage = limiter.storage if limiter.enabled else None
    return login_limits.login_limits(storage, config.login_rate_limit, config.login_account_rate_limit)


def too_many_attempts(wait: int, link: bool = False):
    """The login (or an invitation link) refused for a while: in the reader's language, with the wait of the
    limit that was hit."""
    response = make_response(render_template("staff/login_limited.html", wait=wait_words(wait), link=link), 429)
    response.headers["Retry-After"] = str(wait)
    return response


def wait_words(seconds: int) -> str:
    if seconds < 60:
        return ngettext("%(num)d second", "%(num)d seconds", seconds)
    return ngettext("%(num)d minute", "%(num)d minutes", math.ceil(seconds / 60))


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Log in with e-mail and password; a fresh session is started. Failed attempts count against the
    address and the account tried (eventapp.platform.staff.login_limits); successful ones never count."""
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    form = LoginForm()
    if form.validate_on_submit():
        address, now = request.remote_addr or "", utcnow()
        email, password = form.email.data or "", form.password.data or ""  # validated: both filled in
        wait = login_limits.wait_seconds(limits(), address, email, now)
        if wait is not None:
            return too_many_attempts(wait)
        user = services.authenticate(db.session, email, password, now)
        if user is not None:
            target = safe_next(request.args.get("next"))
            session.clear()  # a new session at login: nothing carried over from before
            sessions.start_session(db.session, user, now, device_label(), address)
            login_user(user)
            db.session.commit()
            return redirect(target or home_for(user))
        login_limits.record_failure(limits(), address, email)
        flash(_("That e-mail address and password do not match an account."), "error")
    return render_template("staff/login.html", form=form), 200 if not form.is_submitted() else 401


def end_this_browser() -> None:
    """This browser's staff session ends (so copies of its cookie stop working too)."""
    if current_user.is_authenticated:
        staff_session = db.session.get(StaffSession, g.get("staff_session_id") or 0)
        if staff_session is not None and sessions.end_session(staff_session, utcnow()):
            db.session.commit()
    logout_user()


@bp.post("/logout")
def logout():
    """Log out this browser; the account's other devices stay logged in ("log out everywhere" is on
    /staff/account)."""
    end_this_browser()
    session.clear()
    response = redirect(url_for(".login"))
    # What a desk kept for working offline (the cached scan page, the code list and the queue in IndexedDB,
    # the service worker) goes with the login: the next person on this tablet starts clean.
    response.headers["Clear-Site-Data"] = '"cache", "storage"'
    return response


def closed_link(state: InvitationStatus | None):
    """An unknown link (404), or one that was used, replaced, withdrawn or is too old (410): what to do now."""
    page = render_template("staff/invitation_closed.html", state=state)
    response = make_response(page, 404 if state is None else 410)
    response.headers["Cache-Control"] = "no-store"
    return response


def weak_password_text(weak: services.WeakPassword) -> str:
    if weak.too_short:
        return _("Please use at least %(num)d characters.", num=services.MIN_PASSWORD_LENGTH)
    return _("This password is too easy to guess. Try a few unusual words together.")


@bp.route("/invite/<token>", methods=["GET", "POST"])
def invitation(token: str):
    """Who invites whom for which role, and the password form; accepting logs this browser in as the account.

    A link that does not work counts against the address like a wrong password (eventapp.platform.staff.login_limits).
    """
    address, now = request.remote_addr or "", utcnow()
    wait = login_limits.link_wait_seconds(limits(), address, now)
    if wait is not None:
        return too_many_attempts(wait, link=True)
    invited = invitations.invitation_for_token(db.session, token)
    state = invitations.status(invited, now) if invited is not None else None
    if invited is None or state != InvitationStatus.OPEN:
        login_limits.record_link_failure(limits(), address)
        return closed_link(state)
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            return accepted(invited, form.password.data or "", address, now)  # validated: filled in
        except services.WeakPassword as weak:
            form.password.errors = [*form.password.errors, weak_password_text(weak)]
        except invitations.InvitationClosed as closed:
            db.session.rollback()
            return closed_link(closed.status)
    page = render_template(
        "staff/invitation.html", form=form, invitation=invited, min_length=services.MIN_PASSWORD_LENGTH
    )
    response = make_response(page, 422 if form.is_submitted() else 200)
    response.headers["Cache-Control"] = "no-store"
    return response


def accepted(invited: StaffInvitation, password: str, address: str, now):
    """Set up the account, audit it and log this browser in with a session of its own (as the login does)."""
    user = invitations.accept(db.session, invited, password, now)
    audit(db.session, user, "staff.invitation_accepted", account=user.email, role=str(user.role))
    db.session.commit()
    end_this_browser()  # whoever was logged in on this browser before
    session.clear()
    sessions.start_session(db.session, user, now, device_label(), address)
    login_user(user)
    db.session.commit()
    flash(_("Welcome, %(name)s: your account is ready.", name=user.name), "success")
    return redirect(home_for(user))
