"""Requests to be contacted about a pilot, per pilot, and handing them to its contact persons in one step."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from eventapp.events.services import choice_slots, get_event_or_404, get_session_or_404
from eventapp.platform.audit import audit
from eventapp.platform.db import utcnow
from eventapp.platform.extensions import db
from eventapp.platform.staff.access import organiser_required
from eventapp.registration import contacts

bp = Blueprint("pilots", __name__, url_prefix="/organiser")


@bp.before_request
@organiser_required
def only_organisers():
    """Names and addresses of people who asked to be contacted: organisers only."""


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
