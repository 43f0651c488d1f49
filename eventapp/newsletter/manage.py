"""The organisers' newsletter page: counts, the export of confirmed subscribers, and sending."""

from zoneinfo import ZoneInfo

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user

from eventapp.newsletter import mails, services
from eventapp.newsletter.forms import NewsletterForm
from eventapp.platform.db import utcnow
from eventapp.platform.exports import Column, download_list
from eventapp.platform.extensions import db
from eventapp.platform.i18n import current_language
from eventapp.platform.settings import settings
from eventapp.platform.staff.back_office import back_office, menu_entry

bp = back_office("newsletter_admin", __name__)
menu_entry(bp, "manage", _l("Newsletter"), 20, per_event=False)


@bp.route("/newsletter", methods=["GET", "POST"])
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


@bp.get("/newsletter/subscribers.<any(csv, xlsx):fmt>")
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
    return moment.astimezone(ZoneInfo(settings().event_timezone)).replace(tzinfo=None) if moment else None
