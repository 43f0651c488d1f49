"""Command line: `flask send-feedback-requests`."""

import click
from flask.cli import with_appcontext

from eventapp.feedback.mails import queue_requests
from eventapp.platform.db import utcnow, writes
from eventapp.platform.extensions import db


@click.command("send-feedback-requests")
@with_appcontext
@writes
def send_feedback_requests_command() -> None:
    """Queue the feedback request for everyone checked in at a day that has ended (once each; run daily)."""
    count = queue_requests(db.session, utcnow())
    db.session.commit()
    click.echo(f"{count} feedback requests queued; `flask send-mail` delivers them.")
