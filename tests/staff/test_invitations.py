"""Invitations to personal staff accounts, as rules without HTTP: expiry at 7 days, used once, replaced by a newer
invitation, the invited role kept; disabling ends the sessions and never one's own account. And the mail, delivered
to a real SMTP server on loopback."""

import datetime as dt

import pytest
from sqlalchemy import select

from eventapp import create_app
from eventapp.platform.db import utcnow
from eventapp.platform.extensions import db
from eventapp.platform.mail.models import OutgoingMail
from eventapp.platform.mail.sender import deliver_due, sending_context
from eventapp.platform.staff import invitations, services, sessions
from eventapp.platform.staff.models import InvitationStatus, Role, StaffInvitation, User

NOW = dt.datetime(2026, 12, 2, 9, 0, tzinfo=dt.UTC)
PASSWORD = "correct horse battery"


def organiser():
    return services.create_user(db.session, "boss@example.org", "organiser", PASSWORD, name="Bea Baas")


@pytest.mark.both_databases
def test_an_invitation_is_open_until_exactly_seven_days(app_context):
    invitation, token = invitations.invite(db.session, "Anna@Example.org ", "Anna", "desk", organiser(), NOW, "nl")
    assert invitation.email == "anna@example.org" and invitation.expires_at == NOW + dt.timedelta(days=7)
    assert invitation.token_hash == services.hash_token(token) and token not in invitation.token_hash
    assert invitations.invitation_for_token(db.session, token) is invitation
    assert invitations.invitation_for_token(db.session, token + "x") is None
    last_moment = NOW + dt.timedelta(days=7) - dt.timedelta(microseconds=1)
    assert invitations.status(invitation, last_moment) == InvitationStatus.OPEN
    assert invitations.status(invitation, NOW + dt.timedelta(days=7)) == InvitationStatus.EXPIRED
    with pytest.raises(invitations.InvitationClosed) as closed:
        invitations.accept(db.session, invitation, "a quiet green meadow", NOW + dt.timedelta(days=7))
    assert closed.value.status == InvitationStatus.EXPIRED
    assert db.session.scalar(select(User).where(User.email == "anna@example.org")) is None


@pytest.mark.both_databases
def test_accepting_makes_the_account_with_the_invited_role_and_works_once(app_context):
    invitation, _token = invitations.invite(db.session, "anna@example.org", "Anna", "organiser", None, NOW, "en")
    user = invitations.accept(db.session, invitation, "a quiet green meadow", NOW + dt.timedelta(days=6))
    assert (user.email, user.name, user.role, user.active) == ("anna@example.org", "Anna", Role.ORGANISER, True)
    assert invitation.user_id == user.id and invitations.status(invitation, NOW) == InvitationStatus.ACCEPTED
    assert services.authenticate(db.session, "anna@example.org", "a quiet green meadow", NOW) is user
    with pytest.raises(invitations.InvitationClosed) as closed:
        invitations.accept(db.session, invitation, "another long passphrase here", NOW + dt.timedelta(days=6))
    assert closed.value.status == InvitationStatus.ACCEPTED
    assert services.authenticate(db.session, "anna@example.org", "another long passphrase here", NOW) is None


def test_a_weak_password_is_refused_and_the_invitation_stays_open(app_context):
    invitation, _token = invitations.invite(db.session, "anna@example.org", "", "desk", None, NOW, "nl")
    with pytest.raises(services.WeakPassword) as short:
        invitations.accept(db.session, invitation, "short", NOW)
    assert short.value.too_short
    with pytest.raises(services.WeakPassword) as guessable:
        invitations.accept(db.session, invitation, "password1234", NOW)
    assert not guessable.value.too_short
    assert invitations.status(invitation, NOW) == InvitationStatus.OPEN
    assert invitations.accept(db.session, invitation, "a quiet green meadow", NOW).name == "anna"


@pytest.mark.both_databases
def test_inviting_the_address_again_replaces_the_open_invitation(app_context):
    first, first_token = invitations.invite(db.session, "anna@example.org", "Anna", "desk", None, NOW, "nl")
    later = NOW + dt.timedelta(days=2)
    second, second_token = invitations.invite(db.session, "anna@example.org", "Anna", "organiser", None, later, "nl")
    assert first_token != second_token
    assert invitations.status(first, later) == InvitationStatus.REPLACED
    assert invitations.open_invitations(db.session, later) == [second]
    with pytest.raises(invitations.InvitationClosed) as closed:
        invitations.accept(db.session, first, "a quiet green meadow", later)
    assert closed.value.status == InvitationStatus.REPLACED
    user = invitations.accept(db.session, second, "a quiet green meadow", later)
    assert user.role == Role.ORGANISER and second.expires_at == later + dt.timedelta(days=7)


def test_each_invitation_queues_its_mail_in_the_inviters_language(app_context):
    invitation, token = invitations.invite(db.session, "anna@example.org", "Anna", "desk", organiser(), NOW, "en")
    mail = db.session.scalar(select(OutgoingMail))
    assert (mail.recipient, mail.language, mail.kind) == ("anna@example.org", "en", "staff_invitation")
    assert mail.payload == {"invitation_id": invitation.id, "token": token}


def test_a_second_invitation_of_an_existing_account_sets_it_up_again(app_context):
    user = services.create_user(db.session, "anna@example.org", "organiser", PASSWORD, name="Anna")
    secret = sessions.start_session(db.session, user, NOW, "desk 1", "")
    assert invitations.disable_account(db.session, user, None, NOW) == 1
    invitation, _token = invitations.invite(db.session, "anna@example.org", "Anna de Vries", "desk", None, NOW, "nl")
    again = invitations.accept(db.session, invitation, "a quiet green meadow", NOW)
    assert again is user and (user.active, user.role, user.name) == (True, Role.DESK, "Anna de Vries")
    assert services.authenticate(db.session, "anna@example.org", PASSWORD, NOW) is None  # the old password is gone
    assert sessions.session_for_secret(db.session, secret, NOW) is None  # and so are the old sessions
    assert db.session.scalar(select(StaffInvitation.user_id)) == user.id


def test_withdrawing_stops_the_link_once(app_context):
    invitation, _token = invitations.invite(db.session, "anna@example.org", "Anna", "desk", None, NOW, "nl")
    assert invitations.withdraw(invitation, NOW) is True
    assert invitations.withdraw(invitation, NOW) is False
    assert invitations.status(invitation, NOW) == InvitationStatus.WITHDRAWN
    assert invitations.open_invitations(db.session, NOW) == []


def test_wrong_invitations_are_refused(app_context):
    boss = organiser()
    with pytest.raises(invitations.OwnAddress):
        invitations.invite(db.session, "BOSS@example.org", "", "desk", boss, NOW, "nl")
    with pytest.raises(invitations.InvitationError):
        invitations.invite(db.session, "anna@example.org", "", "admin", boss, NOW, "nl")
    with pytest.raises(invitations.InvitationError):
        invitations.invite(db.session, "no address", "", "desk", boss, NOW, "nl")
    assert db.session.scalar(select(StaffInvitation)) is None


def test_disabling_ends_every_session_refuses_logins_and_never_ones_own(app_context):
    boss = organiser()
    desk = services.create_user(db.session, "desk@example.org", "desk", PASSWORD)
    secrets = [sessions.start_session(db.session, desk, NOW, f"desk {n}", "") for n in range(2)]
    with pytest.raises(invitations.OwnAddress):
        invitations.disable_account(db.session, boss, boss, NOW)
    assert boss.active
    assert invitations.disable_account(db.session, desk, boss, NOW) == 2
    assert all(sessions.session_for_secret(db.session, secret, NOW) is None for secret in secrets)
    assert services.authenticate(db.session, "desk@example.org", PASSWORD, NOW) is None
    assert invitations.enable_account(desk) is True and invitations.enable_account(desk) is False
    assert services.authenticate(db.session, "desk@example.org", PASSWORD, NOW) is desk
    assert all(sessions.session_for_secret(db.session, secret, NOW) is None for secret in secrets)  # still ended


def test_the_mail_is_delivered_with_the_public_link_and_a_replaced_one_is_not(database_url, smtp_port, smtp):
    settings = {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": smtp_port, "MAIL_SUPPRESS_SEND": False}
    app = create_app(
        "testing", {"SQLALCHEMY_DATABASE_URI": database_url, "PUBLIC_URL": "https://dag.example.org", **settings}
    )
    with app.app_context():
        now = utcnow()
        invitations.invite(db.session, "anna@example.org", "Anna", "desk", None, now, "nl")
        _second, token = invitations.invite(db.session, "anna@example.org", "Anna", "organiser", None, now, "nl")
        db.session.commit()
        with sending_context(app):
            report = deliver_due(now=now)
    assert len(report.sent) == 1 and len(report.superseded) == 1  # the replaced invitation's mail is not sent
    (message,) = smtp.wait_for(1)
    text = message.get_body(("plain",)).get_content()
    assert f"https://dag.example.org/staff/invite/{token}" in text and "(organisator)" in text
    assert message["Subject"].startswith("Uw medewerkersaccount bij") and message["Content-Language"] == "nl"
    with app.app_context():
        db.engine.dispose()
