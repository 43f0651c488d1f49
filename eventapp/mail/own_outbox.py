"""In development, where mails stay in the outbox: the newest mail this browser caused, readable by it.

Registration answers every address alike ("we mailed you"), so on a laptop without SMTP a newcomer
would have no way to their personal page. This page shows them the mail they caused, and only that:
the id is kept in their own signed session, and the page does not exist where mail is delivered.
"""

from flask import Blueprint, abort, current_app, render_template, session, url_for

from eventapp.extensions import db
from eventapp.mail.kinds import compose
from eventapp.mail.models import OutgoingMail
from eventapp.mail.sender import sending_context

bp = Blueprint("own_outbox", __name__, url_prefix="/outbox")

SESSION_KEY = "own_outbox_mail"


def enabled() -> bool:
    """Only where mails are kept instead of delivered, and never in production."""
    config = current_app.config
    return bool(config["MAIL_SUPPRESS_SEND"]) and config["ENV_NAME"] != "production"


def remember(mail_id: int) -> None:
    """This browser caused that mail: it may read it (in development)."""
    if enabled():
        session[SESSION_KEY] = mail_id


def url() -> str | None:
    """Where this browser reads its newest mail, if it may."""
    return url_for("own_outbox.show_mine") if enabled() and SESSION_KEY in session else None


@bp.get("/mine")
def show_mine():
    """The newest mail this browser caused, as text with its links."""
    mail_id = session.get(SESSION_KEY)
    outgoing = db.session.get(OutgoingMail, mail_id) if enabled() and isinstance(mail_id, int) else None
    if outgoing is None:
        abort(404)
    with sending_context(current_app._get_current_object()):
        message = compose(outgoing)
    text = message.get_body(("plain",)).get_content()
    return render_template("mail/own.html", subject=message["Subject"], recipient=outgoing.recipient, text=text)
