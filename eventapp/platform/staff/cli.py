"""Command line: staff accounts (create-user, invite-staff, set-password, set-role) and scanner device tokens (list,
revoke).

create-device-token is in eventapp.checkin.cli: a token is for an event, which this area does not read.
"""

import secrets

import click
from flask.cli import with_appcontext

from eventapp.platform.audit import audit
from eventapp.platform.db import utcnow, writes
from eventapp.platform.extensions import db
from eventapp.platform.settings import settings
from eventapp.platform.staff import invitations, mails, services
from eventapp.platform.staff.models import Role


def account_options(command):
    """EMAIL, --role and --name: who an account (or an invitation to one) is for."""
    for option in reversed(
        (
            click.argument("email"),
            click.option(
                "--role",
                type=click.Choice([role.value for role in Role]),
                required=True,
                help="desk: scanning; organiser: everything.",
            ),
            click.option("--name", default="", help="Shown on check-ins (default: the part of the address before @)."),
        )
    ):
        command = option(command)
    return command


def ask_password() -> str:
    return click.prompt("Password", hide_input=True, confirmation_prompt=True)


@click.command("create-user")
@account_options
@click.option("--generate", is_flag=True, help="Generate a password and print it once, instead of asking.")
@with_appcontext
@writes
def create_user_command(email: str, role: str, name: str, generate: bool) -> None:
    """Create a staff account; the password is asked twice (or generated with --generate).

    Common and easily guessed passwords are refused, whatever their length.
    """
    password = secrets.token_urlsafe(12) if generate else ask_password()
    try:
        user = services.create_user(db.session, email, role, password, name=name)
    except services.AccountError as error:
        raise click.ClickException(str(error)) from error
    db.session.commit()
    click.echo(f"Created {user.role} account {user.email}.")
    if generate:
        click.echo(f"Password (shown once): {password}")


@click.command("set-password")
@click.argument("email")
@with_appcontext
@writes
def set_password_command(email: str) -> None:
    """Give a staff account a new password (asked twice); its open sessions end."""
    password = ask_password()  # before the transaction: nobody waits on a prompt
    try:
        user = services.user_by_email(db.session, email)
        services.set_password(user, password)
    except services.AccountError as error:
        raise click.ClickException(str(error)) from error
    db.session.commit()
    click.echo(f"New password set for {user.email}; its sessions have ended.")


@click.command("set-role")
@click.argument("email")
@click.argument("role", type=click.Choice([role.value for role in Role]))
@with_appcontext
@writes
def set_role_command(email: str, role: str) -> None:
    """Change a staff account's role; its open sessions end, so the new role counts at once."""
    try:
        user = services.user_by_email(db.session, email)
        services.set_role(user, role)
    except services.AccountError as error:
        raise click.ClickException(str(error)) from error
    db.session.commit()
    click.echo(f"{user.email} is now {user.role}.")


def when(moment) -> str:
    return f"{moment:%Y-%m-%d %H:%M}" if moment else "-"


@click.command("list-device-tokens")
@with_appcontext
def list_device_tokens_command() -> None:
    """List scanner device tokens: name, created, last used, expires, revoked (times in UTC)."""
    now = utcnow()
    devices = services.list_device_tokens(db.session)
    if not devices:
        click.echo("No device tokens.")
        return
    click.echo(f"{'name':<30} {'created':<16} {'last used':<16} {'expires':<16} {'revoked':<16} status")
    for device in devices:
        times = (device.created_at, device.last_used_at, device.expires_at, device.revoked_at)
        columns = " ".join(f"{when(moment):<16}" for moment in times)
        click.echo(f"{device.name:<30} {columns} {services.device_status(device, now)}")


@click.command("revoke-device-token")
@click.argument("name")
@with_appcontext
@writes
def revoke_device_token_command(name: str) -> None:
    """Stop a scanner device's token at once (it gets 401 from its next call on)."""
    try:
        device = services.device_by_name(db.session, name)
    except services.AccountError as error:
        raise click.ClickException(str(error)) from error
    if services.revoke_device_token(device, utcnow()):
        db.session.commit()
        click.echo(f"Revoked the token of '{device.name}'.")
    else:
        click.echo(f"The token of '{device.name}' was revoked already ({when(device.revoked_at)}).")


@click.command("invite-staff")
@account_options
@with_appcontext
@writes
def invite_staff_command(email: str, role: str, name: str) -> None:
    """Invite someone to a personal staff account: the mail goes through the outbox, and the link is printed
    (for handing it over another way). It works once, for 7 days; inviting the address again replaces it."""
    language = settings().babel_default_locale
    try:
        invitation, token = invitations.invite(db.session, email, name, role, None, utcnow(), language)
    except services.AccountError as error:
        raise click.ClickException(str(error)) from error
    audit(db.session, None, "staff.invited", account=invitation.email, role=str(invitation.role), by="command line")
    db.session.commit()
    click.echo(f"Invited {invitation.email} as {invitation.role}; the mail is in the outbox.")
    click.echo(f"Link (works once, until {invitation.expires_at:%Y-%m-%d %H:%M} UTC): {mails.invitation_link(token)}")
