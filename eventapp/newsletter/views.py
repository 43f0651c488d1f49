"""Newsletter pages: sign up, confirm, unsubscribe; and for organisers: counts, export, sending."""

from zoneinfo import ZoneInfo

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user

from eventapp.newsletter import mails, services
from eventapp.newsletter.forms import NewsletterForm, SignUpForm
from eventapp.newsletter.models import SubscriberStatus
from eventapp.platform.db import utcnow
from eventapp.platform.exports import Column, download_list
from eventapp.platform.extensions import csrf, db, limiter
from eventapp.platform.i18n import current_language
from eventapp.platform.staff.access import organiser_required

bp = Blueprint("newsletter", __name__)


@bp.route("/newsletter", methods=["GET", "POST"])
@csrf.exempt  # see SignUpForm
@limiter.limit(lambda: current_app.config["NEWSLETTER_RATE_LIMIT"], methods=["POST"])
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


@bp.route("/organiser/newsletter", methods=["GET", "POST"])
@organiser_required
def manage():
    """Counts, the export of confirmed subscribers, and writing a newsletter: preview, a test to oneself, send."""
    form = NewsletterForm()
    counts = services.counts(db.session)
    form.confirm.label.text = ngettext(
        "Send it to the %(num)d confirmed subscriber now",
        "Send it to all %(num)d confirmed subscribers now",
        counts["confirmed"],
    )
    # An older form posts only the tick: that still means send.
    action = request.form.get("action") or ("send" if form.confirm.data else "preview")
    preview = None
    if form.validate_on_submit():
        subject, body = form.subject.data or "", form.body.data or ""  # validated: both filled in
        if action == "send" and form.confirm.data:
            count = services.send_newsletter(db.session, subject, body, utcnow())
            db.session.commit()
            sent = ngettext(
                "The newsletter is on its way to %(num)d subscriber.",
                "The newsletter is on its way to %(num)d subscribers.",
                count,
            )
            flash(sent, "success")
            return redirect(url_for(".manage"))
        if action == "send":
            form.confirm.errors = [*form.confirm.errors, _("Tick the box to send it to the subscribers.")]
        elif action == "test":
            services.send_test_newsletter(db.session, subject, body, current_user.email, current_language(), utcnow())
            db.session.commit()
            flash(_("A test is on its way to %(address)s.", address=current_user.email), "success")
        preview = mails.preview_text(subject, body, current_language())
    status = 422 if form.is_submitted() and (form.errors or form.confirm.errors) else 200
    return render_template("newsletter/manage.html", counts=counts, form=form, preview=preview), status


SUBSCRIBER_COLUMNS = [
    Column(_l("E-mail"), 32),
    Column(_l("Name"), 28),
    Column(_l("Language"), 10),
    Column(_l("Consent given"), 17),
    Column(_l("Confirmed"), 17),
    Column(_l("Form"), 14),
]
# The form a subscriber signed up with, as the organiser reads it (the database keeps the English value;
# the column has no constraint, so an unknown value is shown as stored).
SOURCE_LABELS = {"footer": _l("page footer"), "form": _l("newsletter page"), "registration": _l("registration form")}


@bp.get("/organiser/newsletter/subscribers.<any(csv, xlsx):fmt>")
@organiser_required
def export_subscribers(fmt: str):
    """Confirmed subscribers only, with language and when they consented."""
    rows = [subscriber_row(subscriber) for subscriber in services.confirmed_subscribers(db.session)]
    date = utcnow().date().isoformat()
    return download_list(
        "newsletter-subscribers", date, fmt=fmt, columns=SUBSCRIBER_COLUMNS, rows=rows, sheet=_("Subscribers")
    )


def subscriber_row(subscriber) -> list:
    """One line of the export, with dates in the organisers' zone and the form in their language."""
    return [
        subscriber.email,
        subscriber.name,
        subscriber.language,
        local(subscriber.consented_at),
        local(subscriber.confirmed_at),
        str(SOURCE_LABELS.get(subscriber.source, subscriber.source)),
    ]


def local(moment):
    """Wall-clock time in the organisers' zone, without a zone (spreadsheets store none)."""
    return moment.astimezone(ZoneInfo(current_app.config["EVENT_TIMEZONE"])).replace(tzinfo=None) if moment else None
