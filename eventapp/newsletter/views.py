"""Newsletter pages: sign up, confirm, unsubscribe (the organisers' page is newsletter/manage.py)."""

from flask import Blueprint, current_app, g, redirect, render_template, request, url_for

from eventapp.newsletter import services
from eventapp.newsletter.forms import SignUpForm
from eventapp.newsletter.models import SubscriberStatus
from eventapp.platform.db import utcnow
from eventapp.platform.extensions import csrf, db, limiter
from eventapp.platform.i18n import current_language
from eventapp.platform.settings import settings

bp = Blueprint("newsletter", __name__)


@bp.route("/newsletter", methods=["GET", "POST"])
@csrf.exempt  # see SignUpForm
@limiter.limit(lambda: settings().newsletter_rate_limit, methods=["POST"])
def sign_up():
    """Sign up: every valid request gets the same "check your mail" answer."""
    form = SignUpForm(language=current_language())
    if form.validate_on_submit():
        if not form.website.data:  # the honeypot is empty: a person
            email, source = form.email.data or "", form.source.data or ""  # validated: both filled in
            services.sign_up(db.session, email, form.name.data or "", form.language.data, source, utcnow())
            db.session.commit()
        return redirect(url_for(".check_mail"))
    status = 422 if form.is_submitted() else 200
    return render_template("newsletter/sign_up.html", form=form), status


@bp.get("/newsletter/check-mail")
def check_mail():
    return render_template("newsletter/check_mail.html")


@bp.route("/newsletter/confirm/<token>", methods=["GET", "POST"])
def confirm(token: str):
    """The link in the confirmation mail: a button to confirm (link checkers that open it confirm nothing)."""
    subscriber = services.find_by_confirmation_token(db.session, current_app.config["SECRET_KEY"], token)
    if subscriber is not None:
        g.owner_language = subscriber.language  # the page speaks the subscriber's language (unless they switch)
    if request.method == "POST":
        try:
            services.confirm(db.session, current_app.config["SECRET_KEY"], token, utcnow())
        except services.InvalidLink:
            return render_template("newsletter/invalid_link.html"), 400
        db.session.commit()
        return render_template("newsletter/confirmed.html")
    return render_template("newsletter/confirm.html", token=token)


@bp.route("/newsletter/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt  # RFC 8058: the mail program POSTs "List-Unsubscribe=One-Click"; the token is the authority
def unsubscribe(token: str):
    """The link in every newsletter opens a page with one button: link checkers in mail systems
    open every link, so a GET changes nothing. The button, and the mail program's one-click POST
    (RFC 8058, no cookie or CSRF token), unsubscribe."""
    subscriber = services.find_by_unsubscribe_token(db.session, token)
    if subscriber is None:
        return render_template("newsletter/invalid_link.html"), 404
    g.owner_language = subscriber.language  # the page speaks the subscriber's language (unless they switch)
    if request.method == "POST":
        services.unsubscribe(db.session, token, utcnow())
        db.session.commit()
    elif subscriber.status != SubscriberStatus.UNSUBSCRIBED:
        return render_template("newsletter/unsubscribe.html", token=token)
    return render_template("newsletter/unsubscribed.html")
