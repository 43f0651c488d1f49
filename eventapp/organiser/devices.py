"""Organiser pages for scanner device tokens: create one (shown once), list them, revoke one."""

from flask import Blueprint, abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from eventapp.db import utcnow
from eventapp.extensions import db
from eventapp.staff import services
from eventapp.staff.access import organiser_required
from eventapp.staff.forms import DeviceTokenForm
from eventapp.staff.models import DeviceToken

bp = Blueprint("devices", __name__, url_prefix="/organiser/devices")


@bp.before_request
@organiser_required
def only_organisers():
    """A device token scans for the whole day: organisers only."""


def get_device_or_404(device_id: int) -> DeviceToken:
    return db.session.get(DeviceToken, device_id) or abort(404)


def render_devices(form: DeviceTokenForm, new_token: str | None = None, status: int = 200):
    now = utcnow()
    rows = [(device, services.device_status(device, now)) for device in services.list_device_tokens(db.session)]
    response = make_response(
        render_template("organiser/devices.html", form=form, rows=rows, new_token=new_token, new_name=form.name.data),
        status,
    )
    response.headers["Cache-Control"] = "no-store"  # the new token must not stay in a cache
    return response


# One rule per address, GET and POST together (as the login page): every address is walked once by
# tests/privacy/test_bad_input.py.
@bp.route("/", methods=["GET", "POST"])
def list_devices():
    """The devices with their state and the form for a new one; a POST creates a token, shown on this answer only."""
    form = DeviceTokenForm()
    if request.method == "GET":
        return render_devices(form)
    if not form.validate_on_submit():
        return render_devices(form, status=422)
    try:
        _device, token = services.create_device_token(
            db.session, form.name.data, current_user, utcnow(), days=form.days.data
        )
    except services.DuplicateDeviceName:
        form.name.errors.append(_("A device with this name exists already."))
        return render_devices(form, status=422)
    db.session.commit()
    return render_devices(form, new_token=token)


@bp.route("/<id:device_id>/revoke", methods=["GET", "POST"])
def revoke_device(device_id: int):
    """GET asks first (a scanner in use at the door stops at once); the confirmed POST revokes.

    CSRFProtect refuses a POST without the form's token before this runs.
    """
    device = get_device_or_404(device_id)
    if request.method == "GET":
        return render_template("organiser/device_revoke.html", device=device)
    if services.revoke_device_token(device, utcnow()):
        db.session.commit()
    flash(_("The token of %(name)s no longer works.", name=device.name), "success")
    return redirect(url_for(".list_devices"))
