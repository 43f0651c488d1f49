"""Sessions that end (logout, password, role), login limits per account, and password rules."""

import re

import pytest
from sqlalchemy import select

from eventapp.platform.extensions import db
from eventapp.platform.staff import services
from eventapp.platform.staff.models import StaffSession, User


def session_cookie(client) -> str:
    return client.get_cookie("session").value


def replay(app, cookie: str):
    """A new browser that only has the copied cookie."""
    other = app.test_client()
    other.set_cookie("session", cookie)
    return other.get("/staff/checkin")


def log_out(client):
    page = client.get("/staff/checkin").get_data(as_text=True)
    client.post("/staff/logout", data={"csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)})


def test_a_copied_cookie_stops_working_at_logout(app, client, make_user, login):
    login(*make_user("desk"))
    cookie = session_cookie(client)
    assert replay(app, cookie).status_code == 200
    log_out(client)
    answer = replay(app, cookie)
    assert answer.status_code == 302 and answer.headers["Location"].startswith("/staff/login")


@pytest.mark.parametrize("change", ["set-password", "set-role"])
def test_password_or_role_change_ends_open_sessions(app, client, runner, make_user, login, change):
    email, _ = make_user("organiser")
    login(email, "correct horse battery")
    cookie = session_cookie(client)
    assert replay(app, cookie).status_code == 200
    if change == "set-password":
        result = runner.invoke(args=["set-password", email], input="another quiet meadow\nanother quiet meadow\n")
    else:
        result = runner.invoke(args=["set-role", email, "desk"])
    assert result.exit_code == 0, result.output
    assert replay(app, cookie).status_code == 302
    assert client.get("/staff/checkin").status_code == 302  # the browser it was copied from too


def test_the_cookie_names_no_account_id(app, client, make_user, login):
    email, _ = make_user("desk")
    login(email, "correct horse battery")
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        staff_session = db.session.scalar(select(StaffSession).where(StaffSession.user_id == user.id))
    with client.session_transaction() as session:
        # This browser's session secret: neither the account's id nor its token; only its hash is stored.
        secret = session["_user_id"]
        assert (
            len(secret) >= 40
            and secret != user.session_token
            and services.hash_token(secret) == staff_session.token_hash
        )
        session["_user_id"] = str(user.id)  # the old form of the cookie: refused now
    assert client.get("/staff/checkin").status_code == 302


def test_set_password_refuses_a_weak_one_and_keeps_sessions(app, client, runner, make_user, login):
    email, _ = make_user("desk")
    login(email, "correct horse battery")
    result = runner.invoke(args=["set-password", email], input="password1234\npassword1234\n")
    assert result.exit_code != 0 and "too weak" in result.output
    assert client.get("/staff/checkin").status_code == 200


def post_login(app, address: str, email: str, password: str) -> int:
    client = app.test_client()
    client.environ_base.update(REMOTE_ADDR=address, HTTP_ACCEPT_LANGUAGE="en")
    page = client.get("/staff/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    return client.post("/staff/login", data={"csrf_token": token, "email": email, "password": password}).status_code


def test_login_is_rate_limited_per_account_from_any_address(app, make_user):
    email, password = make_user("desk")
    statuses = [post_login(app, f"10.0.0.{n}", email, "guessed password") for n in range(5)]
    assert statuses == [401] * 5
    # The same account, written differently, from yet another address: the sixth try is refused,
    assert post_login(app, "10.0.1.1", f"  {email.upper()} ", password) == 429
    # while another account from that address still gets in.
    other, other_password = make_user("desk")
    assert post_login(app, "10.0.1.1", other, other_password) == 302


def test_account_limit_is_a_setting(app, make_user):
    app.config["LOGIN_ACCOUNT_RATE_LIMIT"] = "2 per minute"
    email, _ = make_user("desk")
    statuses = [post_login(app, f"10.0.2.{n}", email, "guessed password") for n in range(3)]
    assert statuses == [401, 401, 429]


@pytest.mark.parametrize("password", ["password123", "Password1234", "qwertyuiop", "1234567890", "desk@example.org"])
def test_common_or_guessable_passwords_are_refused(app_context, password):
    with pytest.raises(services.AccountError, match="too weak"):
        services.create_user(db.session, "desk@example.org", "desk", password)


def test_create_user_says_why_a_password_is_refused(runner):
    result = runner.invoke(args=["create-user", "a@example.org", "--role", "desk"], input="password123\npassword123\n")
    assert result.exit_code != 0
    assert "too weak: this is a very common password" in result.output


def test_demo_and_fixture_passwords_pass_the_rules(app_context):
    from eventapp.demo.cli import DEMO_ACCOUNTS

    for email, _, password, _ in DEMO_ACCOUNTS:
        services.check_password_strength(password, email)
    services.check_password_strength("correct horse battery", "desk@example.org")
