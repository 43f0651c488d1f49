"""Writing to the day's people: choose who, preview the mail as it arrives, send a test to yourself, then send."""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user

from eventapp.events.models import Event
from eventapp.events.services import choice_slots, get_event_or_404
from eventapp.organiser import services
from eventapp.organiser.forms import MessageForm
from eventapp.platform.db import utcnow
from eventapp.platform.extensions import db
from eventapp.platform.forms import SelectChoice
from eventapp.platform.i18n import localized
from eventapp.platform.mail.kinds import compose
from eventapp.platform.mail.messages import text_of
from eventapp.platform.mail.sender import sending_context
from eventapp.platform.staff.back_office import back_office, menu_entry
from eventapp.registration.models import OrganisationType

bp = back_office("messages", __name__)
menu_entry(bp, "write_message", _l("Message"), 70)


def audience_choices(sessions) -> list[SelectChoice]:
    """The select's options in groups: before and on the day, after the day (by attendance), by kind of organisation."""
    before, after, kinds = (
        _("Before and on the day"),
        _("After the day (with a link to their attendance statement)"),
        _("After the day, and by kind of organisation"),
    )
    return [
        SelectChoice("confirmed", _("Everyone confirmed for the day"), optgroup=before),
        SelectChoice("waitlisted", _("Everyone on the waitlist for the day"), optgroup=before),
        *[
            SelectChoice(
                f"session-{s.id}", _("People with a seat in %(title)s", title=localized(s, "title")), optgroup=before
            )
            for s in sessions
        ],
        SelectChoice("checked_in", _("Everyone checked in"), optgroup=before),
        SelectChoice("not_checked_in", _("Registered but not checked in"), optgroup=before),
        SelectChoice("came", _("Those who came"), optgroup=after),
        *[
            SelectChoice(
                f"attended-{s.id}", _("Those who attended %(title)s", title=localized(s, "title")), optgroup=after
            )
            for s in sessions
        ],
        SelectChoice("did_not_come", _("Those who registered and did not come"), optgroup=kinds),
        *[
            SelectChoice(f"type-{kind}", _("Confirmed people from: %(kind)s", kind=kind.label), optgroup=kinds)
            for kind in OrganisationType
        ],
    ]


def default_text(audience: str, event: Event) -> tuple[str, str] | None:
    """A kind first draft for writing after the day (the organiser changes it as they like)."""
    title = localized(event, "title")
    if audience == "did_not_come":
        return _("We missed you at %(title)s", title=title), _(
            "We are sorry we did not see you at %(title)s. We hope all is well. The presentations and a short"
            " summary of the day follow soon, and we would be glad to welcome you at the next edition.",
            title=title,
        )
    if audience == "came":
        return _("Thank you for coming to %(title)s", title=title), _(
            "Thank you for being there. Below you find the link to your statement of attendance; the presentations"
            " follow soon.",
        )
    return None


@bp.route("/e/<slug>/message", methods=["GET", "POST"])
def write_message(slug: str):
    """The message form; Preview shows the mail and the count, then a test to yourself, then Send to N people."""
    event = get_event_or_404(slug)
    sessions = [session for slot in choice_slots(event) for session in slot.sessions]
    form = MessageForm()
    form.audience.choices = audience_choices(sessions)
    asked = request.args.get("audience", "")
    if not form.is_submitted() and asked and services.audience_of(asked, sessions) is not None:
        form.audience.data = asked
        form.subject.data, form.body.data = default_text(asked, event) or ("", "")
    if not form.validate_on_submit():
        status = 422 if form.is_submitted() else 200
        return render_template("organiser/message.html", event=event, form=form), status
    audience = services.audience_of(form.audience.data or "", sessions)
    if audience is None:  # the form's choices are the day's audiences: validated, it names one
        abort(400)
    subject, body = form.subject.data or "", form.body.data or ""  # validated: both filled in
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
        with sending_context(current_app):
            message = compose(services.message_mail(sample, audience, form.subject.data or "", form.body.data or ""))
    form.recipients.data, form.previewed.data = count, fingerprint
    return render_template(
        "organiser/message.html",
        event=event,
        form=form,
        previewed=True,
        count=count,
        sample=sample,
        message=message,
        text=text_of(message) if message else "",
    )
