"""In development, where mails stay in the outbox: the newest mail this browser caused, readable by it.

Registration answers every address alike ("we mailed you"), so on a laptop without SMTP a newcomer
would have no way to their personal page. This page shows them the mail they caused, and only that:
the id is kept in their own signed session, and the page does not exist where mail is delivered.
"""

from flask import current_app, session, url_for

from eventapp.platform.settings import settings

SESSION_KEY = "own_outbox_mail"


def enabled() -> bool:
    """Only where mails are kept instead of delivered, and never in production."""
    suppressed = current_app.extensions["mail"].suppress  # Flask-Mail's own reading of its settings
    return bool(suppressed) and settings().env_name != "production"


def remember(mail_id: int) -> None:
    """This browser caused that mail: it may read it (in development)."""
    if enabled():
        session[SESSION_KEY] = mail_id


def url() -> str | None:
    """Where this browser reads its newest mail, if it may."""
    return url_for("own_outbox.show_mine") if enabled() and SESSION_KEY in session else None
