"""Invitations through the served pages: the organiser invites, the mail in the outbox has the link, the person sets
a password and is logged in; old links answer 410, unknown ones 404; disabling ends the sessions and the login."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from eventapp import create_app
from eventapp.platform.audit import AuditEntry
from eventapp.platform.db import utcnow
from eventapp.platform.extensions import db, limiter
from eventapp.platform.logs import redact
from eventapp.platform.mail import kinds
from eventapp.platform.mail.models import OutgoingMail
from eventapp.platform.staff import invitations
from eventapp.platform.staff.models import InvitationStatus, Role, StaffInvitation, User

GOOD_PASSWORD = "a quiet green meadow"
LINK = re.compile(r"http://127\.0\.0\.1:5000/staff/invite/([A-Za-z0-9_-]+)")


def csrf(client, path) -> str:
    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page).group(1)


def browser(app, language="en"):
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = language
    return client


def logged_in(app, email, password, language="en"):
    client = browser(app, language)
    data = {"csrf_token": csrf(client, "/staff/login"), "email": email, "password": password}
    assert client.post("/staff/login", data=data).status_code == 302
    return client


def audited(app, action):
    with app.app_context():
        return [entry.details for entry in db.session.scalars(select(AuditEntry).where(AuditEntry.action == action))]


def invite(organiser, email="anna@example.org", name="Anna de Vries", role="desk"):
    data = {"csrf_token": csrf(organiser, "/organiser/staff/"), "email": email, "name": name, "role": role}
    return organiser.post("/organiser/staff/", data=data)


def mailed_link(app, email="anna@example.org") -> tuple[str, str]:
    """The plain text of the newest invitation mail to `email`, and the link's secret in it."""
    with app.app_context():
        mail = db.session.scalars(
            select(OutgoingMail)
            .where(OutgoingMail.kind == "staff_invitation", OutgoingMail.recipient == email)
            .order_by(OutgoingMail.id.desc())
        ).first()
        with app.test_request_context():
            text = kinds.compose(mail).get_body(("plain",)).get_content()
    return text, LINK.search(text).group(1)


def set_password(client, token, password=GOOD_PASSWORD, confirm=None):
    path = f"/staff/invite/{token}"
    data = {"csrf_token": csrf(client, path), "password": password, "password_confirm": confirm or password}
    return client.post(path, data=data)


@pytest.mark.both_databases
def test_invited_by_mail_the_person_sets_a_password_and_is_logged_in_as_desk(app, make_user):
    organiser = logged_in(app, *make_user("organiser"))
    form = organiser.get("/organiser/staff/").get_data(as_text=True)
    assert all(f'name="{name}"' in form for name in ("email", "name", "role"))
    assert invite(organiser).status_code == 302
    listing = organiser.get("/organiser/staff/").get_data(as_text=True)
    assert "anna@example.org" in listing and "Withdraw" in listing
    text, token = mailed_link(app)
    assert "Dear Anna de Vries," in text and "(desk staff)" in text
    with app.app_context():
        invitation = db.session.scalar(select(StaffInvitation))
        expiry = invitation.expires_at
        assert invitation.token_hash != token and expiry - invitation.created_at == dt.timedelta(days=7)
    local = expiry.astimezone(ZoneInfo("Europe/Amsterdam"))
    assert f"until {local:%A} {local.day} {local:%B %Y, %H:%M}." in text
    assert audited(app, "staff.invited") == [{"account": "anna@example.org", "role": "desk"}]

    anna = browser(app)
    page = anna.get(f"/staff/invite/{token}")
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    assert "invites anna@example.org as desk staff" in page.get_data(as_text=True)
    weak = set_password(anna, token, "short")
    assert weak.status_code == 422 and "at least 10 characters" in weak.get_data(as_text=True)
    guessable = set_password(anna, token, "password1234")
    assert guessable.status_code == 422 and "too easy to guess" in guessable.get_data(as_text=True)
    mismatch = set_password(anna, token, GOOD_PASSWORD, "a quiet green meadoww")
    assert mismatch.status_code == 422 and "not the same" in mismatch.get_data(as_text=True)
    done = set_password(anna, token)
    assert done.status_code == 302 and done.headers["Location"].endswith("/staff/checkin")
    assert anna.get("/staff/checkin").status_code == 200  # logged in, as desk staff
    assert anna.get("/organiser/").status_code == 403
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "anna@example.org"))
        assert (user.name, user.role, user.active) == ("Anna de Vries", Role.DESK, True)
    assert audited(app, "staff.invitation_accepted") == [{"account": "anna@example.org", "role": "desk"}]
    used = browser(app).get(f"/staff/invite/{token}")
    assert used.status_code == 410 and "set up already" in used.get_data(as_text=True)
    assert "No open invitations." in organiser.get("/organiser/staff/").get_data(as_text=True)
    assert logged_in(app, "anna@example.org", GOOD_PASSWORD).get("/staff/checkin").status_code == 200


def test_an_organiser_invitation_lands_on_the_dashboard(app, make_user):
    organiser = logged_in(app, *make_user("organiser"))
    invite(organiser, "bert@example.org", "Bert", "organiser")
    _text, token = mailed_link(app, "bert@example.org")
    bert = browser(app)
    assert set_password(bert, token).headers["Location"].endswith("/organiser/")
    assert bert.get("/organiser/staff/").status_code == 200


def test_an_expired_link_is_410_an_unknown_one_404_and_a_withdrawn_one_410(app, make_user):
    with app.app_context():
        eight_days_ago = utcnow() - dt.timedelta(days=8)
        _old, old_token = invitations.invite(db.session, "old@example.org", "", "desk", None, eight_days_ago, "en")
        db.session.commit()
    expired = browser(app).get(f"/staff/invite/{old_token}")
    assert expired.status_code == 410 and "7 days" in expired.get_data(as_text=True)
    unknown = browser(app).get("/staff/invite/no-such-link")
    assert unknown.status_code == 404 and "does not work" in unknown.get_data(as_text=True)
    organiser = logged_in(app, *make_user("organiser"))
    invite(organiser, "wrong@example.org")
    _text, token = mailed_link(app, "wrong@example.org")
    with app.app_context():
        invitation_id = db.session.scalar(
            select(StaffInvitation.id).where(StaffInvitation.email == "wrong@example.org")
        )
    withdrawn = organiser.post(
        f"/organiser/staff/invitations/{invitation_id}/withdraw",
        data={"csrf_token": csrf(organiser, "/organiser/staff/")},
    )
    assert withdrawn.status_code == 302
    assert browser(app).get(f"/staff/invite/{token}").status_code == 410
    assert audited(app, "staff.invitation_withdrawn") == [{"account": "wrong@example.org"}]


def test_inviting_again_replaces_the_first_link(app, make_user):
    organiser = logged_in(app, *make_user("organiser"))
    invite(organiser)
    _text, first = mailed_link(app)
    invite(organiser, role="organiser")
    _text, second = mailed_link(app)
    answer = browser(app).get(f"/staff/invite/{first}")
    assert answer.status_code == 410 and "newer invitation" in answer.get_data(as_text=True)
    assert set_password(browser(app), second).headers["Location"].endswith("/organiser/")
    with app.app_context():
        states = db.session.scalars(select(StaffInvitation.ended_as).order_by(StaffInvitation.id)).all()
    assert states == [InvitationStatus.REPLACED, InvitationStatus.ACCEPTED]


@pytest.mark.parametrize("app_settings", [{"LOGIN_RATE_LIMIT": "3 per minute"}])
def test_links_that_do_not_work_are_rate_limited_like_the_login(app):
    answers = [browser(app).get(f"/staff/invite/guess-{n}").status_code for n in range(4)]
    assert answers == [404, 404, 404, 429]
    refused = browser(app).get("/staff/invite/guess-5")
    assert "Too many invitation links" in refused.get_data(as_text=True) and int(refused.headers["Retry-After"]) > 0


@pytest.mark.both_databases
def test_disabling_ends_the_sessions_and_refuses_the_login(app, make_user):
    desk_email, desk_password = make_user("desk")
    organiser_email, organiser_password = make_user("organiser")
    organiser = logged_in(app, organiser_email, organiser_password)
    desk = logged_in(app, desk_email, desk_password)
    with app.app_context():
        desk_id = db.session.scalar(select(User.id).where(User.email == desk_email))
        own_id = db.session.scalar(select(User.id).where(User.email == organiser_email))
    path = f"/organiser/staff/{desk_id}/disable"
    asked = organiser.get(path)
    assert asked.status_code == 200 and f"Disable {desk_email}?" in asked.get_data(as_text=True)
    assert desk.get("/staff/checkin").status_code == 200  # asking changed nothing
    assert organiser.post(path, data={"csrf_token": csrf(organiser, path)}).status_code == 302
    assert desk.get("/staff/checkin").status_code == 302  # its session ended
    login = browser(app)
    data = {"csrf_token": csrf(login, "/staff/login"), "email": desk_email, "password": desk_password}
    assert login.post("/staff/login", data=data).status_code == 401
    assert "disabled" in organiser.get("/organiser/staff/").get_data(as_text=True)
    assert audited(app, "staff.disabled") == [{"account": desk_email, "sessions": 1}]

    own = f"/organiser/staff/{own_id}/disable"
    organiser.post(own, data={"csrf_token": csrf(organiser, "/organiser/staff/")})
    assert organiser.get("/organiser/staff/").status_code == 200  # still logged in, still active
    enable = f"/organiser/staff/{desk_id}/enable"
    assert organiser.post(enable, data={"csrf_token": csrf(organiser, enable)}).status_code == 302
    assert logged_in(app, desk_email, desk_password).get("/staff/checkin").status_code == 200
    assert audited(app, "staff.enabled") == [{"account": desk_email}]


def test_desk_staff_cannot_invite(app, make_user):
    desk = logged_in(app, *make_user("desk"))
    assert desk.get("/organiser/staff/").status_code == 403
    data = {"csrf_token": csrf(desk, "/staff/account"), "email": "x@example.org", "name": "X", "role": "organiser"}
    assert desk.post("/organiser/staff/", data=data).status_code == 403
    with app.app_context():
        assert db.session.scalar(select(StaffInvitation)) is None


@pytest.mark.parametrize("app_settings", [{"RATELIMIT_ENABLED": False}])
def test_the_login_and_invitations_work_with_rate_limits_switched_off(app, make_user):
    email, password = make_user("desk")
    client = browser(app)
    wrong = {"csrf_token": csrf(client, "/staff/login"), "email": email, "password": "not the password"}
    assert [client.post("/staff/login", data=wrong).status_code for _ in range(3)] == [401, 401, 401]
    assert logged_in(app, email, password).get("/staff/checkin").status_code == 200
    assert browser(app).get("/staff/invite/no-such-link").status_code == 404


def test_an_app_made_after_one_without_limits_has_its_limits(app, database_url):
    create_app("testing", {"SQLALCHEMY_DATABASE_URI": database_url, "RATELIMIT_ENABLED": False})
    assert limiter.enabled is False
    create_app("testing", {"SQLALCHEMY_DATABASE_URI": database_url})
    assert limiter.enabled is True


def test_the_command_invites_and_prints_the_link(app, runner):
    result = runner.invoke(args=["invite-staff", "IT@example.org", "--role", "desk", "--name", "Ivo"])
    assert result.exit_code == 0, result.output
    token = LINK.search(result.output).group(1)
    assert "it@example.org" in result.output and "the mail is in the outbox" in result.output
    assert set_password(browser(app), token).status_code == 302
    refused = runner.invoke(args=["invite-staff", "it@example.org", "--role", "admin"])
    assert refused.exit_code != 0


def test_a_dutch_organiser_sends_a_dutch_mail_and_the_page_speaks_dutch(app, make_user):
    organiser = logged_in(app, *make_user("organiser"), language="nl")
    page = organiser.get("/organiser/staff/").get_data(as_text=True)
    assert "Iemand uitnodigen" in page and "Baliemedewerker: scannen en de balie" in page
    invite(organiser, "joop@example.org", "Joop", "desk")
    text, token = mailed_link(app, "joop@example.org")
    assert text.startswith("Beste Joop,")
    assert "nodigt u uit voor een persoonlijk medewerkersaccount (baliemedewerker)" in text
    assert "De link werkt één keer, tot " in text
    dutch = browser(app, "nl")
    form = dutch.get(f"/staff/invite/{token}").get_data(as_text=True)
    assert "nodigt joop@example.org uit als baliemedewerker" in form
    weak = set_password(dutch, token, "kort")
    assert weak.status_code == 422 and "Gebruik minstens 10 tekens." in weak.get_data(as_text=True)
    assert "werkt niet" in browser(app, "nl").get("/staff/invite/onbekend").get_data(as_text=True)


def test_the_link_is_not_stored_by_caches_and_not_written_to_logs(app, make_user):
    organiser = logged_in(app, *make_user("organiser"))
    invite(organiser)
    _text, token = mailed_link(app)
    assert browser(app).get(f"/staff/invite/{token}").headers["Cache-Control"] == "no-store"
    assert redact(f'"GET /staff/invite/{token} HTTP/1.1" 200') == '"GET /staff/invite/[redacted] HTTP/1.1" 200'
