"""In development: the page that shows a browser the newest mail it caused (see own_outbox.py)."""

from flask import Blueprint, abort, current_app, render_template, session

from eventapp.platform.extensions import db
from eventapp.platform.mail.kinds import message_of
from eventapp.platform.mail.messages import text_of
from eventapp.platform.mail.models import OutgoingMail
from eventapp.platform.mail.own_outbox import SESSION_KEY, enabled
from eventapp.platform.mail.sender import sending_context

bp = Blueprint("own_outbox", __name__, url_prefix="/outbox")


@bp.get("/mine")
def show_mine():
    """The newest mail this browser caused, as text with its links."""
    mail_id = session.get(SESSION_KEY)
    outgoing = db.session.get(OutgoingMail, mail_id) if enabled() and isinstance(mail_id, int) else None
    if outgoing is None:
        abort(404)
    with sending_context(current_app):
        message = message_of(outgoing)  # as sent, when it was
    text = text_of(message)
    return render_template("mail/own.html", subject=message["Subject"], recipient=outgoing.recipient, text=text)
