"""Staff sessions per browser: logging out ends one, "log out everywhere" ends all, revoking ends one device."""

import datetime as dt
import re

from sqlalchemy import select

from eventapp.platform.audit import AuditEntry
from eventapp.platform.extensions import db
from eventapp.platform.staff import services, sessions
from eventapp.platform.staff.models import StaffSession, User

NOW = dt.datetime(2026, 12, 2, 9, 0, tzinfo=dt.UTC)


def account(email="desk@example.org"):
    return services.create_user(db.session, email, "desk", "correct horse battery")


# --- the rules, without HTTP ---------------------------------------------------------------------


def test_each_login_is_its_own_session_and_ending_one_leaves_the_others(app_context):
    user = account()
    first = sessions.start_session(db.session, user, NOW, "desk 1 — Chrome · Android", "10.0.0.1")
    second = sessions.start_session(db.session, user, NOW, "desk 2", "10.0.0.2")
    assert first != second and user.session_token not in (first, second)
    one = sessions.session_for_secret(db.session, first, NOW)
    assert sessions.end_session(one, NOW + dt.timedelta(minutes=5)) is True
    assert sessions.end_session(one, NOW + dt.timedelta(minutes=6)) is False  # once
    assert sessions.session_for_secret(db.session, first, NOW) is None
    assert sessions.session_for_secret(db.session, second, NOW).device_name == "desk 2"
    assert [row.address for row in sessions.active_sessions(db.session, user, NOW)] == ["10.0.0.2"]


def test_log_out_everywhere_ends_every_session_and_later_logins_work(app_context):
    user = account()
    secrets = [sessions.start_session(db.session, user, NOW, f"desk {n}", "") for n in range(3)]
    assert sessions.end_all_sessions(db.session, user, NOW) == 3
    assert all(sessions.session_for_secret(db.session, secret, NOW) is None for secret in secrets)
    assert sessions.active_sessions(db.session, user, NOW) == []
    later = sessions.start_session(db.session, user, NOW + dt.timedelta(minutes=1), "desk 1", "")
    assert sessions.session_for_secret(db.session, later, NOW + dt.timedelta(minutes=1)) is not None


def test_a_password_change_a_disabled_account_or_a_long_idle_ends_the_session(app_context):
    user = account()
    secret = sessions.start_session(db.session, user, NOW, "desk", "")
    assert sessions.session_for_secret(db.session, secret, NOW + sessions.IDLE_LIMIT - dt.timedelta(hours=1))
    assert sessions.session_for_secret(db.session, secret, NOW + sessions.IDLE_LIMIT) is None
    user.active = False
    assert sessions.session_for_secret(db.session, secret, NOW) is None
    user.active = True
    services.set_password(user, "another quiet meadow")
    assert sessions.session_for_secret(db.session, secret, NOW) is None


def test_an_account_reaches_only_its_own_sessions(app_context):
    user, other = account(), account("other@example.org")
    sessions.start_session(db.session, other, NOW, "their desk", "")
    theirs = db.session.scalar(select(StaffSession).where(StaffSession.user_id == other.id))
    assert sessions.account_session(db.session, user, theirs.id) is None
    assert sessions.account_session(db.session, other, theirs.id) is theirs


def test_last_seen_is_written_at_most_once_a_minute(app_context):
    user = account()
    secret = sessions.start_session(db.session, user, NOW, "desk", "")
    row = sessions.session_for_secret(db.session, secret, NOW)
    assert not sessions.seen_due(row, NOW + dt.timedelta(seconds=30))
    sessions.note_seen(db.session, row.id, NOW + dt.timedelta(seconds=30))
    sessions.note_seen(db.session, row.id, NOW + dt.timedelta(minutes=2))
    db.session.refresh(row)
    assert row.last_seen_at == NOW + dt.timedelta(minutes=2)


# --- through HTTP ----------------------------------------------------------------------------------


def browser(app, email, password, agent="Mozilla/5.0 (Linux; Android 14) Chrome/131.0"):
    client = app.test_client()
    client.environ_base.update(HTTP_USER_AGENT=agent, HTTP_ACCEPT_LANGUAGE="en")
    page = client.get("/staff/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    assert (
        client.post("/staff/login", data={"csrf_token": token, "email": email, "password": password}).status_code == 302
    )
    return client


def csrf(client, path="/staff/account") -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).get_data(as_text=True)).group(1)


def audited(app, action):
    with app.app_context():
        return [entry.details for entry in db.session.scalars(select(AuditEntry).where(AuditEntry.action == action))]


def test_logging_out_ends_this_browser_only(app, make_user):
    email, password = make_user("desk")
    tablet_a, tablet_b = browser(app, email, password), browser(app, email, password)
    tablet_a.post("/staff/logout", data={"csrf_token": csrf(tablet_a)})
    assert tablet_a.get("/staff/checkin").status_code == 302
    assert tablet_b.get("/staff/checkin").status_code == 200


def test_the_account_page_lists_the_devices_and_revokes_one(app, make_user):
    email, password = make_user("desk")
    mine = browser(app, email, password)
    other = browser(app, email, password, agent="Mozilla/5.0 (iPad; CPU OS 17_0) Safari/605.1")
    page = mine.get("/staff/account").get_data(as_text=True)
    assert "Chrome · Android" in page and "Safari · iPad" in page and "(this browser)" in page
    with app.app_context():
        ipad = db.session.scalar(select(StaffSession).where(StaffSession.device_name == "Safari · iPad"))
    answer = mine.post(f"/staff/account/sessions/{ipad.id}/end", data={"csrf_token": csrf(mine)})
    assert answer.status_code == 302 and other.get("/staff/checkin").status_code == 302
    assert mine.get("/staff/checkin").status_code == 200
    assert audited(app, "staff.session_ended") == [{"session_id": ipad.id}]


def test_log_out_everywhere_asks_first_then_ends_every_browser_and_is_audited(app, make_user):
    email, password = make_user("desk")
    tablets = [browser(app, email, password) for _ in range(3)]
    question = tablets[0].get("/staff/account/logout-everywhere")
    assert "Log out all 3 devices" in question.get_data(as_text=True)
    assert all(tablet.get("/staff/checkin").status_code == 200 for tablet in tablets)  # asking changed nothing
    tablets[0].post("/staff/account/logout-everywhere", data={"csrf_token": csrf(tablets[0])})
    assert [tablet.get("/staff/checkin").status_code for tablet in tablets] == [302, 302, 302]
    assert audited(app, "staff.logout_everywhere") == [{"sessions": 3}]


def test_an_organiser_logs_an_account_out_everywhere(app, make_user):
    desk_email, desk_password = make_user("desk")
    organiser = browser(app, *make_user("organiser"))
    desk = browser(app, desk_email, desk_password)
    with app.app_context():
        desk_id = db.session.scalar(select(User.id).where(User.email == desk_email))
    listing = organiser.get("/organiser/staff/").get_data(as_text=True)
    assert desk_email in listing and "1 device" in listing
    assert desk.get("/organiser/staff/").status_code == 403
    path = f"/organiser/staff/{desk_id}/logout-everywhere"
    assert desk_email in organiser.get(path).get_data(as_text=True)
    organiser.post(path, data={"csrf_token": csrf(organiser, path)})
    assert desk.get("/staff/checkin").status_code == 302
    assert organiser.get("/organiser/staff/").status_code == 200
    assert audited(app, "staff.logout_everywhere") == [{"account": desk_email, "sessions": 1}]


def test_a_session_cookie_from_before_sessions_per_browser_is_refused(app, make_user):
    email, password = make_user("desk")
    client = browser(app, email, password)
    with app.app_context():
        token = db.session.scalar(select(User.session_token).where(User.email == email))
    with client.session_transaction() as session:
        session["_user_id"] = token  # the account's token, as cookies named it before
    assert client.get("/staff/checkin").status_code == 302
