"""Command line: `flask send-mail`."""

import time

import click
from flask import current_app
from flask.cli import with_appcontext

from eventapp.extensions import db
from eventapp.mail.sender import deliver_due, sending_context


@click.command("send-mail")
@click.option("--loop", is_flag=True, help="Keep running: a worker that delivers the outbox as mail arrives.")
@click.option("--interval", default=5.0, show_default=True, help="Seconds between rounds with --loop.")
@with_appcontext
def send_mail_command(loop: bool, interval: float) -> None:
    """Deliver the mails that are due from the outbox (once, or as a long-running worker)."""
    app = current_app._get_current_object()
    while True:
        with sending_context(app):
            report = deliver_due()
            db.session.remove()
        if report.handled or not loop:
            click.echo(f"sent {len(report.sent)}, retrying {len(report.retrying)}, failed {len(report.failed)}")
        if not loop:
            return
        if not report.handled:  # after a busy round, look again at once
            time.sleep(interval)
