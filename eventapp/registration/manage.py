"""The registration's back office: requests to be contacted about a pilot, per pilot, handed to its contact persons
in one step; the day's summary of the answers to the organiser's questions, on screen and as a sheet."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user

from eventapp.events.services import choice_slots, get_event_or_404, get_session_or_404
from eventapp.platform.audit import audit
from eventapp.platform.db import utcnow
from eventapp.platform.exports import download_list
from eventapp.platform.extensions import db
from eventapp.platform.i18n import current_language
from eventapp.platform.staff.back_office import back_office, menu_entry
from eventapp.questions.forms import option_words
from eventapp.registration import answers, contacts

bp = back_office("registration_admin", __name__)
menu_entry(bp, "list_requests", _l("Pilots"), 60)


@bp.get("/e/<slug>/pilots")
def list_requests(slug: str):
    """Each pilot with its contact persons and the people who asked to be contacted."""
    event = get_event_or_404(slug)
    pilots = contacts.pilots_with_contacts([session for slot in choice_slots(event) for session in slot.sessions])
    requests = {pilot.id: contacts.requests_for(db.session, pilot.id) for pilot in pilots}
    return render_template("organiser/pilots.html", event=event, pilots=pilots, requests=requests)


@bp.post("/e/<slug>/pilots/<id:session_id>/hand-over")
def hand_over(slug: str, session_id: int):
    """Mail the pilot's contact persons the requests not passed on yet; recorded in the audit log."""
    event = get_event_or_404(slug)
    session = get_session_or_404(event, session_id)
    handed = contacts.hand_over(db.session, session, utcnow())
    if handed.requests:
        audit(
            db.session,
            current_user,
            "pilot.handed_over",
            event,
            session_id=session.id,
            title=session.title_en,
            contacts=", ".join(contact.name for contact in handed.contacts),
            people=len(handed.requests),
        )
        flash(ngettext("%(num)d request passed on.", "%(num)d requests passed on.", len(handed.requests)), "success")
    else:
        flash(_("Nothing new to pass on."), "info")
    db.session.commit()
    return redirect(url_for(".list_requests", slug=slug))


@bp.get("/e/<slug>/questions/summary")
def show_summary(slug: str):
    """Counts per option and the texts with names, of the people confirmed for the day; printable. The texts of
    sensitive questions, with names, only with ?sensitive=yes, recorded in the audit log as the export is."""
    event = get_event_or_404(slug)
    sensitive = answers.wants_sensitive(request.args.get("sensitive"))
    summaries = answers.day_summary(db.session, event.id)
    if sensitive:
        audit(db.session, current_user, "export.answers", event, format="html", sensitive=True)
        db.session.commit()
    return render_template(
        "organiser/question_summary.html",
        event=event,
        summaries=summaries,
        withheld=answers.withheld_texts(summaries, sensitive),
        confirmed=event.seats_taken,
        option_words=lambda question, key: option_words(question, key, current_language()),
    )


@bp.get("/e/<slug>/questions/summary.<any(csv, xlsx):fmt>")
def export_summary(slug: str, fmt: str):
    """The summary as a sheet, for the caterer and the venue; sensitive texts with names only with ?sensitive=yes."""
    event = get_event_or_404(slug)
    sensitive = answers.wants_sensitive(request.args.get("sensitive"))
    audit(db.session, current_user, "export.answers", event, format=fmt, sensitive=sensitive)
    db.session.commit()
    rows = answers.summary_rows(answers.day_summary(db.session, event.id), current_language(), sensitive)
    return download_list(
        event.slug,
        event.date.isoformat(),
        "answers",
        fmt=fmt,
        columns=answers.summary_columns(),
        rows=rows,
        sheet=_("Answers"),
    )
