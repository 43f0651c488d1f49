"""The person's rights on their own page: download everything kept about them, or erase it."""

from flask import Blueprint, jsonify, render_template

from eventapp.platform.db import checkpoint_erased, utcnow
from eventapp.platform.extensions import db
from eventapp.privacy import services as privacy
from eventapp.privacy.farewell import deliver_farewells
from eventapp.registration.forms import EraseForm
from eventapp.registration.pages import render_manage
from eventapp.registration.queries import get_registration_or_404

bp = Blueprint("privacy", __name__)


@bp.get("/r/<token>/data.json")
def download_data(token: str):
    """Everything kept about the person, as a JSON file (the AVG's right of access)."""
    registration = get_registration_or_404(token)
    response = jsonify(privacy.personal_data(db.session, registration))
    response.headers["Content-Disposition"] = f'attachment; filename="my-registration-{registration.event.slug}.json"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/r/<token>/erase")
def erase(token: str):
    """Erase the registration: seats freed, personal details removed, this link stops working."""
    registration = get_registration_or_404(token)
    form = EraseForm()
    if not form.validate():
        return render_manage(registration, status=422, erase_form=form)
    event = registration.event
    privacy.erase(db.session, registration, utcnow(), remove_newsletter=form.remove_newsletter.data)
    db.session.commit()
    deliver_farewells(db.session)  # the calendar CANCEL, then the address is gone
    checkpoint_erased(db.engine)
    return render_template("registration/erased.html", event=event)
