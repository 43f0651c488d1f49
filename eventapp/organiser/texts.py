"""The mails' own words: per kind of mail and language, the organiser's opening and closing, with a preview of the
real mail for a sample person and a test copy to the organiser's own address (the Message page's way of working)."""

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user

from eventapp.events.models import Event
from eventapp.events.services import get_event_or_404
from eventapp.organiser import mail_texts
from eventapp.organiser.forms import MailTextsForm
from eventapp.platform.db import utcnow
from eventapp.platform.extensions import db
from eventapp.platform.forms import SelectChoice
from eventapp.platform.mail import texts
from eventapp.platform.mail.kinds import compose
from eventapp.platform.mail.messages import text_of
from eventapp.platform.mail.models import TextKind
from eventapp.platform.mail.sender import sending_context
from eventapp.platform.staff.back_office import back_office, menu_entry

bp = back_office("texts", __name__)
menu_entry(bp, "edit_texts", _l("Mail texts"), 80)


def language_names() -> dict[str, str]:
    return {"nl": _("Dutch"), "en": _("English")}


def show_choices() -> list[SelectChoice]:
    names = language_names()
    return [
        SelectChoice(f"{kind}/{language}", f"{kind.label} ({names[language]})")
        for kind in TextKind
        for language in texts.LANGUAGES
    ]


@bp.route("/e/<slug>/texts", methods=["GET", "POST"])
def edit_texts(slug: str):
    """Save (the default), or Preview or Send a test of the mail chosen under the fields, with the words as typed."""
    event = get_event_or_404(slug)
    form = MailTextsForm()
    form.show.choices = show_choices()
    if not form.is_submitted():
        form.fill(texts.all_words(db.session, event.id))
    if not form.validate_on_submit():
        return page(event, form), 422 if form.is_submitted() else 200
    kind, language = form.show.data.split("/")
    words = form.words()[kind, language]
    action = request.form.get("action", "save")
    if action == "test":
        mail_texts.send_test(db.session, event, TextKind(kind), language, words, current_user, utcnow())
        db.session.commit()
        flash(_("A test is on its way to %(address)s.", address=current_user.email), "success")
    if action in ("test", "preview"):
        return page(event, form, preview=TextKind(kind), language=language, words=words), 200
    changed = mail_texts.save(db.session, event, form.words(), current_user, utcnow())
    db.session.commit()
    flash(
        ngettext("%(num)d text saved.", "%(num)d texts saved.", changed) if changed else _("Nothing changed."),
        "success",
    )
    return redirect(url_for("texts.edit_texts", slug=slug))


def page(event: Event, form: MailTextsForm, preview: TextKind | None = None, language="", words=None):
    """The fields, folded per kind of mail; with `preview`, that mail as the sample person receives it."""
    message = None
    if preview is not None:
        mail = mail_texts.sample_mail(event, preview, language, words, current_user.email)
        with sending_context(current_app):
            message = compose(mail)
    return render_template(
        "organiser/texts.html",
        event=event,
        form=form,
        kinds=list(TextKind),
        languages=texts.LANGUAGES,
        language_names=language_names(),
        message=message,
        text=text_of(message) if message else "",
    )
