"""Writing to the day's people: choose who, preview the mail as it arrives, send a test to yourself, then send."""

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from eventapp.db import utcnow
from eventapp.events.models import Event
from eventapp.events.services import choice_slots, get_event_or_404
from eventapp.extensions import db
from eventapp.i18n import localized
from eventapp.mail.kinds import compose
from eventapp.mail.sender import sending_context
from eventapp.organiser import services
from eventapp.organiser.forms import MessageForm
from eventapp.staff.access import organiser_required

bp = Blueprint("messages", __name__, url_prefix="/organiser")


@bp.before_request
@organiser_required
def only_organisers():
    """Mail to attendees: organisers only."""


def audience_choices(sessions) -> list[tuple[str, str]]:
    """The select's options: the day's groups, then one per session."""
    return [
        ("confirmed", _("Everyone confirmed for the day")),
        ("waitlisted", _("Everyone on the waitlist for the day")),
        *[(f"session-{s.id}", _("People with a seat in %(title)s", title=localized(s, "title"))) for s in sessions],
        ("checked_in", _("Everyone checked in")),
        ("not_checked_in", _("Registered but not checked in")),
    ]


@bp.route("/e/<slug>/message", methods=["GET", "POST"])
def write_message(slug: str):
    """The message form; Preview shows the mail and the count, then a test to yourself, then Send to N people."""
    event = get_event_or_404(slug)
    sessions = [session for slot in choice_slots(event) for session in slot.sessions]
    form = MessageForm()
    form.audience.choices = audience_choices(sessions)
    if not form.validate_on_submit():
        status = 422 if form.is_submitted() else 200
        return render_template("organiser/message.html", event=event, form=form), status
    audience = services.audience_of(form.audience.data, sessions)
    subject, body = form.subject.data, form.body.data
    count = services.audience_count(db.session, event, audience)
    fingerprint = services.message_fingerprint(audience, subject, body)
    action = request.form.get("action", "preview")
    confirmed = form.recipients.data == count and form.previewed.data == fingerprint
    if not count and action in ("send", "test"):
        flash(_("Nobody is in this group: the message is not sent."), "error")
        return preview(event, form, audience, count, fingerprint), 422
    if action == "send" and confirmed:
        services.message_people(db.session, event, audience, subject, body, current_user, utcnow())
        db.session.commit()
        flash(
            ngettext(
                "The message is on its way to %(num)d person.", "The message is on its way to %(num)d people.", count
            ),
            "success",
        )
        return redirect(url_for("organiser.show_dashboard", slug=slug))
    if action == "send":
        flash(_("The message or its recipients changed since the preview: check it again, then send."), "error")
    elif action == "test":
        services.send_test_message(db.session, event, audience, subject, body, current_user, utcnow())
        db.session.commit()
        flash(_("A test is on its way to %(address)s.", address=current_user.email), "success")
    return preview(event, form, audience, count, fingerprint), 200


def preview(event: Event, form: MessageForm, audience: services.Audience, count: int, fingerprint: str):
    """The form again, with the mail as the first recipient will receive it and the buttons to send."""
    sample = services.first_of(db.session, event, audience)
    message = None
    if sample is not None:
        with sending_context(current_app._get_current_object()):
            message = compose(services.message_mail(sample, form.subject.data, form.body.data))
    form.recipients.data, form.previewed.data = count, fingerprint
    return render_template(
        "organiser/message.html",
        event=event,
        form=form,
        previewed=True,
        count=count,
        sample=sample,
        message=message,
        text=message.get_body(("plain",)).get_content() if message else "",
    )
