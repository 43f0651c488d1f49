"""Command line: `flask create-user` and `flask create-device-token`."""

import secrets

import click
from flask.cli import with_appcontext

from eventapp.db import writes
from eventapp.extensions import db
from eventapp.staff import services
from eventapp.staff.models import ROLES


@click.command("create-user")
@click.argument("email")
@click.option("--role", type=click.Choice(ROLES), required=True, help="desk: scanning; organiser: everything.")
@click.option("--name", default="", help="Shown on check-ins (default: the part of the address before @).")
@click.option("--generate", is_flag=True, help="Generate a password and print it once, instead of asking.")
@with_appcontext
@writes
def create_user_command(email: str, role: str, name: str, generate: bool) -> None:
    """Create a staff account; the password is asked twice (or generated with --generate)."""
    if generate:
        password = secrets.token_urlsafe(12)
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = services.create_user(db.session, email, role, password, name=name)
    except services.AccountError as error:
        raise click.ClickException(str(error)) from error
    db.session.commit()
    click.echo(f"Created {user.role} account {user.email}.")
    if generate:
        click.echo(f"Password (shown once): {password}")


@click.command("create-device-token")
@click.argument("name")
@with_appcontext
@writes
def create_device_token_command(name: str) -> None:
    """Create a token for a scanner device; it is printed once and stored only as a hash."""
    try:
        device, token = services.create_device_token(db.session, name, created_by=None)
    except services.AccountError as error:
        raise click.ClickException(str(error)) from error
    db.session.commit()
    click.echo(f"Device '{device.name}': send the header  Authorization: Bearer {token}")
    click.echo("The token is shown only now; keep it on the device.")
