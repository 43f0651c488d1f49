"""Organiser pages for scanner device tokens: create one for an event (its token and pairing QR shown once),
list them, revoke one."""

import datetime as dt

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user

from eventapp.checkin import device_tokens
from eventapp.events.models import Event
from eventapp.events.services import today_local, upcoming_events
from eventapp.platform.audit import audit
from eventapp.platform.db import utcnow
from eventapp.platform.extensions import db
from eventapp.platform.forms import SelectChoice
from eventapp.platform.i18n import localized
from eventapp.platform.settings import settings
from eventapp.platform.staff import pairing, services
from eventapp.platform.staff.back_office import back_office
from eventapp.platform.staff.forms import DeviceTokenForm
from eventapp.platform.staff.models import DeviceToken
from eventapp.platform.tickets.qr import qr_svg
from eventapp.platform.urls import public_url

bp = back_office("devices", __name__, url_prefix="/organiser/devices")


def get_device_or_404(device_id: int) -> DeviceToken:
    return db.session.get(DeviceToken, device_id) or abort(404)


def device_form() -> DeviceTokenForm:
    """The form, with the events a token can still be for (yesterday's too: its token lasts through today)."""
    events = upcoming_events(db.session, today_local() - dt.timedelta(days=1))
    form = DeviceTokenForm()
    form.event.choices = [
        *(
            SelectChoice(event.slug, f"{localized(event, 'title')} ({format_date(event.date, 'd MMMM yyyy')})")
            for event in events
        ),
        SelectChoice("", _("No event (valid for the days below)")),
    ]
    if request.method == "GET" and events:
        form.event.data = events[0].slug
    return form


def render_devices(form: DeviceTokenForm, created: dict | None = None, status: int = 200):
    now = utcnow()
    events = {event.id: event for event in db.session.scalars(db.select(Event))}
    rows = [
        (device, services.device_status(device, now), events.get(device.event_id))
        for device in services.list_device_tokens(db.session)
    ]
    response = make_response(render_template("organiser/devices.html", form=form, rows=rows, created=created), status)
    response.headers["Cache-Control"] = "no-store"  # the new token and pairing link must not stay in a cache
    return response


def created_view(device: DeviceToken, token: str, event: Event | None, now: dt.datetime) -> dict:
    """What the page shows once after creating: the token, and the pairing link with its QR code."""
    found, secret = pairing.start_pairing(db.session, device, token, now)
    link = public_url("pairing.pair", secret=secret)
    return {"name": device.name, "token": token, "event": event, "link": link, "qr": qr_svg(link), "pairing": found}


# One rule per address, GET and POST together (as the login page): every address is walked once by
# tests/privacy/test_bad_input.py.
@bp.route("/", methods=["GET", "POST"])
def list_devices():
    """The devices with their state and the form for a new one; a POST creates a token, shown on this answer only."""
    form = device_form()
    if request.method == "GET":
        return render_devices(form)
    if not form.validate_on_submit():
        return render_devices(form, status=422)
    now = utcnow()
    event = device_tokens.event_by_slug(db.session, form.event.data) if form.event.data else None
    try:
        device, token = device_tokens.create_desk_token(
            db.session,
            form.name.data or "",
            current_user,
            now,
            event,
            settings().device_token_days,
            days=None if event else (form.days.data or settings().device_token_days),
        )
    except services.DuplicateDeviceName:
        form.name.errors = [*form.name.errors, _("A device with this name exists already.")]
        return render_devices(form, status=422)
    except services.AccountError:
        form.event.errors = [
            *form.event.errors,
            _("A token for this event would not work any more: the event is over."),
        ]
        return render_devices(form, status=422)
    created = created_view(device, token, event, now)
    audit(db.session, current_user, "device.created", event=event, device=device.name, device_id=device.id)
    db.session.commit()
    return render_devices(form, created=created)


@bp.route("/<id:device_id>/revoke", methods=["GET", "POST"])
def revoke_device(device_id: int):
    """GET asks first (a scanner in use at the door stops at once); the confirmed POST revokes.

    CSRFProtect refuses a POST without the form's token before this runs.
    """
    device = get_device_or_404(device_id)
    if request.method == "GET":
        return render_template("organiser/device_revoke.html", device=device)
    if services.revoke_device_token(device, utcnow()):
        audit(db.session, current_user, "device.revoked", device=device.name, device_id=device.id)
        db.session.commit()
    flash(_("The token of %(name)s no longer works.", name=device.name), "success")
    return redirect(url_for(".list_devices"))
