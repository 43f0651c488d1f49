"""The ticket's QR code as an image."""

from flask import Blueprint, Response, abort

from eventapp.registration.models import CONFIRMED
from eventapp.registration.views import get_registration_or_404
from eventapp.tickets.qr import qr_png

bp = Blueprint("tickets", __name__)


@bp.get("/r/<token>/qr.png")
def registration_qr(token: str):
    """The QR code of a confirmed registration (reached through the personal link only)."""
    registration = get_registration_or_404(token)
    if registration.status != CONFIRMED:
        abort(404)
    response = Response(qr_png(registration.ticket_code), mimetype="image/png")
    response.headers["Cache-Control"] = "private, no-store"
    return response
