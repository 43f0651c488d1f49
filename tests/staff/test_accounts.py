"""Staff accounts, login and device tokens."""

import pytest
from sqlalchemy import select

from eventapp.platform.db import utcnow
from eventapp.platform.extensions import db
from eventapp.platform.staff import services
from eventapp.platform.staff.models import User


def test_passwords_are_hashed_and_checked(app_context):
    user = services.create_user(db.session, " Ann@Example.org ", "desk", "a long enough secret")
    assert user.email == "ann@example.org" and "a long enough secret" not in user.password_hash
    assert services.authenticate(db.session, "ANN@example.org", "a long enough secret", utcnow()) is user
    assert services.authenticate(db.session, "ann@example.org", "wrong password!", utcnow()) is None
    assert services.authenticate(db.session, "nobody@example.org", "a long enough secret", utcnow()) is None
    user.active = False
    assert services.authenticate(db.session, "ann@example.org", "a long enough secret", utcnow()) is None


@pytest.mark.parametrize(
    ("email", "role", "password", "message"),
    [
        ("a@example.org", "admin", "long enough pw", "role"),
        ("a@example.org", "desk", "short", "at least"),
        ("nope", "desk", "long enough pw", "e-mail"),
    ],
)
def test_bad_accounts_are_refused(app_context, email, role, password, message):
    with pytest.raises(services.AccountError, match=message):
        services.create_user(db.session, email, role, password)


def test_create_user_command_asks_twice_or_generates(app, runner):
    result = runner.invoke(
        args=["create-user", "desk1@example.org", "--role", "desk"], input="secret-password-1\nsecret-password-1\n"
    )
    assert result.exit_code == 0, result.output
    generated = runner.invoke(args=["create-user", "org@example.org", "--role", "organiser", "--generate"])
    password = generated.output.split("Password (shown once): ")[1].strip()
    duplicate = runner.invoke(args=["create-user", "desk1@example.org", "--role", "desk", "--generate"])
    assert duplicate.exit_code != 0 and "already has an account" in duplicate.output
    with app.app_context():
        assert services.authenticate(db.session, "desk1@example.org", "secret-password-1", utcnow()).role == "desk"
        assert services.authenticate(db.session, "org@example.org", password, utcnow()).role == "organiser"


def test_login_starts_a_new_session_and_goes_to_the_scan_page(client, make_user, login):
    email, password = make_user("desk")
    client.get("/staff/checkin")  # anonymous: sent to log in
    response = login(email, password)
    assert response.status_code == 302 and response.headers["Location"] == "/staff/checkin"
    assert client.get("/staff/checkin").status_code == 200


def test_wrong_password_is_refused_without_saying_which_part(client, make_user, login):
    email, _ = make_user("desk")
    wrong = login(email, "not the password")
    unknown = login("someone@example.org", "not the password")
    assert wrong.status_code == unknown.status_code == 401
    assert "do not match an account" in wrong.get_data(as_text=True)
    assert client.get("/staff/checkin").status_code == 302


def test_login_is_rate_limited_per_address(client, login):
    # A different account each time, so only the limit per client address can be what stops it.
    statuses = [login(f"guess{n}@example.org", "guessed password").status_code for n in range(12)]
    assert statuses[:10] == [401] * 10 and statuses[10:] == [429, 429]


def test_next_only_leads_to_this_site(client, make_user, login):
    import re

    email, password = make_user("desk")
    page = client.get("/staff/login?next=https://evil.example/").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post(
        "/staff/login?next=https://evil.example/", data={"csrf_token": token, "email": email, "password": password}
    )
    assert response.headers["Location"] == "/staff/checkin"


def test_logout_ends_the_session(client, make_user, login):
    import re

    email, password = make_user("desk")
    login(email, password)
    page = client.get("/staff/checkin").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    client.post("/staff/logout", data={"csrf_token": token})
    assert client.get("/staff/checkin").status_code == 302


def test_demo_accounts_only_where_configured(app, runner):
    runner.invoke(args=["seed-demo"])
    with app.app_context():
        assert db.session.scalar(select(User.id)) is None  # testing, like production, has none
    app.config["DEMO_ACCOUNTS"] = True
    result = runner.invoke(args=["seed-demo"])
    assert "Demo desk login: desk@example.org" in result.output
    with app.app_context():
        assert {user.role for user in db.session.scalars(select(User))} == {"desk", "organiser"}
