"""The desk's own name, kept per device, and the event of a browser paired as a desk device."""

from urllib.parse import unquote

from flask import request
from flask_login import current_user

from eventapp.events.models import Event
from eventapp.platform.extensions import db
from eventapp.platform.staff.access import paired_device

# The desk's name is kept in a cookie, not in the browser storage that logging out clears: it is asked once per device.
DESK_COOKIE = "eventapp_desk"


def desk_name() -> str:
    """The name this device gave its desk (set by the scan page), or ""."""
    return unquote(request.cookies.get(DESK_COOKIE, ""))[:100]


def paired_event_slug() -> str | None:
    """The event of the device this browser is paired as, when nobody is logged in: such a desk serves it only."""
    if current_user.is_authenticated:
        return None
    device = paired_device()
    if device is None or device.event_id is None:
        return None
    return db.get_or_404(Event, device.event_id).slug
