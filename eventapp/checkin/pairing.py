"""Pairing a browser as a desk device by QR: `/staff/pair/<secret>` asks, and the confirmed POST pairs.

No password: the one-time secret in the link (15 minutes, platform.staff.pairing) is the credential. The browser
gets the device token in an HttpOnly cookie (eventapp.platform.staff.access.DEVICE_COOKIE) rather than in localStorage:
the desk page itself is served by the app and needs the credential before any script runs, the service worker
caches that page and sends the same cookie, and no script can copy an HttpOnly cookie elsewhere.
"""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from eventapp.events.models import Event
from eventapp.platform.audit import audit
from eventapp.platform.db import utcnow
from eventapp.platform.extensions import db
from eventapp.platform.staff import pairing
from eventapp.platform.staff.access import set_device_cookie

bp = Blueprint("pairing", __name__, url_prefix="/staff/pair")


def gone_page():
    response = render_template("checkin/pair_gone.html")
    return response, 410, {"Cache-Control": "no-store"}


@bp.route("/<secret>", methods=["GET", "POST"])
def pair(secret: str):
    """GET asks "pair this browser as desk device NAME for EVENT?"; the POST (CSRF-checked) pairs, once."""
    now = utcnow()
    try:
        found = pairing.pairing_for_secret(db.session, secret, now)
    except pairing.PairingUnknown:
        abort(404)
    except pairing.PairingGone:
        return gone_page()
    device = found.device
    event = db.session.get(Event, device.event_id) if device.event_id is not None else None
    if request.method == "GET":
        page = render_template("checkin/pair.html", device=device, event=event, expires_at=found.expires_at)
        return page, 200, {"Cache-Control": "no-store"}
    try:
        device, token = pairing.use_pairing(db.session, secret, now)
    except pairing.PairingGone:
        return gone_page()
    audit(db.session, None, "device.paired", event=event, device=device.name, device_id=device.id)
    db.session.commit()
    flash(_("This browser is now the desk device %(name)s.", name=device.name), "success")
    response = redirect(url_for("checkin.scan_page", event=event.slug if event else None))
    set_device_cookie(response, token, device)
    return response
