"""Production refuses the development defaults it would otherwise run with, naming the setting."""

import os
import secrets
import subprocess
import sys

import pytest

from eventapp import create_app
from eventapp.demo.cli import DEMO_ACCOUNTS, ensure_demo_accounts
from eventapp.platform.extensions import db
from eventapp.platform.settings import ConfigurationError
from eventapp.platform.staff.services import set_password, user_by_email
from tests.served import PROJECT_ROOT, free_port
from tests.test_settings import GOOD_KEY, PRODUCTION_ENV


@pytest.fixture(autouse=True)
def production_environment(monkeypatch, tmp_path):
    """A production environment that starts; each test spoils one setting."""
    for name in [name for name in os.environ if name.startswith("EVENTAPP_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/prod.db")
    monkeypatch.setenv("EVENTAPP_SECRET_KEY", GOOD_KEY)
    for name, value in PRODUCTION_ENV.items():
        monkeypatch.setenv(name, value)


def test_a_safe_production_environment_starts():
    app = create_app("production")
    assert app.config["PUBLIC_URL"] == "https://dag.example.org"


@pytest.mark.parametrize(
    "url",
    [
        None,  # the default, http://127.0.0.1:5000
        "http://dag.example.org",
        "https://localhost",
        "https://127.0.0.1:8443",
        "https://[::1]/",
        "https://0.0.0.0",
        "dag.example.org",
        # Other spellings of this machine (issue 31): short, numeric and IPv4-mapped forms, the root's dot.
        "https://127.1",
        "https://2130706433",
        "https://0x7f.0.0.1",
        "https://[::ffff:127.0.0.1]",
        "https://localhost.",
        "https://LOCALHOST./",
        "https://0",
    ],
)
def test_public_url_on_this_machine_or_plain_http_is_refused(monkeypatch, url):
    if url is None:
        monkeypatch.delenv("EVENTAPP_PUBLIC_URL")
    else:
        monkeypatch.setenv("EVENTAPP_PUBLIC_URL", url)
    with pytest.raises(ConfigurationError, match="EVENTAPP_PUBLIC_URL"):
        create_app("production")


@pytest.mark.parametrize(
    "email",
    [None, "noreply@localhost", "dag@eventapp.local", "dag", "dag@intranet", "noreply@localhost.", "dag@127.1"],
)
def test_organizer_email_at_localhost_is_refused(monkeypatch, email):
    if email is None:
        monkeypatch.delenv("EVENTAPP_ORGANIZER_EMAIL")
    else:
        monkeypatch.setenv("EVENTAPP_ORGANIZER_EMAIL", email)
    with pytest.raises(ConfigurationError, match="EVENTAPP_ORGANIZER_EMAIL"):
        create_app("production")


def test_rate_limits_in_memory_are_refused_unless_allowed(monkeypatch):
    monkeypatch.delenv("EVENTAPP_RATELIMIT_STORAGE_URI")
    with pytest.raises(ConfigurationError, match="EVENTAPP_RATELIMIT_STORAGE_URI"):
        create_app("production")
    monkeypatch.setenv("EVENTAPP_ALLOW_MEMORY_RATELIMIT", "true")  # one process, one worker: it may count alone
    assert create_app("production").config["RATELIMIT_STORAGE_URI"] == "memory://"


@pytest.mark.parametrize("url", ["https://dag.example.org.", "https://127.example.org", "https://10.1.2.3"])
def test_public_urls_elsewhere_still_start(monkeypatch, url):
    monkeypatch.setenv("EVENTAPP_PUBLIC_URL", url)
    assert create_app("production").config["PUBLIC_URL"] == url


@pytest.mark.parametrize("storage", ["MEMORY://", "Memory://", " memory://"])
def test_rate_limits_in_memory_are_refused_in_any_letter_case(monkeypatch, storage):
    """Four workers counting alone let four times the limit through."""
    monkeypatch.setenv("EVENTAPP_RATELIMIT_STORAGE_URI", storage)
    with pytest.raises(ConfigurationError, match="EVENTAPP_RATELIMIT_STORAGE_URI"):
        create_app("production")


@pytest.mark.parametrize("key", ["a" * 32, "ab" * 32, "abcdefgh" * 8, "0123456789abcde" * 3, "secret-key-1" * 3])
def test_a_repetitive_secret_key_is_refused(monkeypatch, key):
    monkeypatch.setenv("EVENTAPP_SECRET_KEY", key)
    with pytest.raises(ConfigurationError, match="EVENTAPP_SECRET_KEY"):
        create_app("production")


def test_a_generated_secret_key_starts(monkeypatch):
    monkeypatch.setenv("EVENTAPP_SECRET_KEY", secrets.token_urlsafe(32))
    create_app("production")
    monkeypatch.setenv("EVENTAPP_SECRET_KEY", secrets.token_hex(16))
    create_app("production")


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("EVENTAPP_DEBUG", "true"),
        ("EVENTAPP_WTF_CSRF_ENABLED", "false"),
        ("EVENTAPP_SESSION_COOKIE_SECURE", "false"),
        ("EVENTAPP_REMEMBER_COOKIE_SECURE", "false"),
    ],
)
def test_debug_csrf_off_and_insecure_cookies_are_refused(monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigurationError, match=name):
        create_app("production")


def test_insecure_cookies_only_for_a_loopback_test_deployment(monkeypatch):
    """EVENTAPP_ALLOW_INSECURE_COOKIES lets plain-HTTP cookies through, and nothing else."""
    monkeypatch.setenv("EVENTAPP_SESSION_COOKIE_SECURE", "false")
    monkeypatch.setenv("EVENTAPP_ALLOW_INSECURE_COOKIES", "true")
    assert create_app("production").config["SESSION_COOKIE_SECURE"] is False
    monkeypatch.setenv("EVENTAPP_WTF_CSRF_ENABLED", "false")
    with pytest.raises(ConfigurationError, match="EVENTAPP_WTF_CSRF_ENABLED"):
        create_app("production")


def test_development_keeps_its_defaults(monkeypatch):
    for name in PRODUCTION_ENV:
        monkeypatch.delenv(name)
    app = create_app("development")
    assert app.config["PUBLIC_URL"].startswith("http://127.0.0.1")


def test_the_server_does_not_start_and_says_why():
    """What a sysadmin sees: the command stops at once with the setting's name, not a traceback of the app."""
    environment = {**os.environ, "EVENTAPP_ENV": "production", "EVENTAPP_PUBLIC_URL": "http://127.0.0.1:5000"}
    done = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", "routes"],
        cwd=PROJECT_ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0
    assert "EVENTAPP_PUBLIC_URL" in done.stderr


def test_secrets_come_from_files(monkeypatch, tmp_path):
    """Container secrets and systemd credentials are files: EVENTAPP_<NAME>_FILE and DATABASE_URL_FILE."""
    (tmp_path / "secret_key").write_text(GOOD_KEY[::-1] + "\n")
    (tmp_path / "database_url").write_text(f"sqlite:///{tmp_path}/from-file.db\n")
    monkeypatch.delenv("EVENTAPP_SECRET_KEY")
    monkeypatch.delenv("DATABASE_URL")
    monkeypatch.setenv("EVENTAPP_SECRET_KEY_FILE", str(tmp_path / "secret_key"))
    monkeypatch.setenv("DATABASE_URL_FILE", str(tmp_path / "database_url"))
    app = create_app("production")
    assert app.config["SECRET_KEY"] == GOOD_KEY[::-1]
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("from-file.db")
    monkeypatch.setenv("EVENTAPP_SECRET_KEY_FILE", str(tmp_path / "missing"))
    with pytest.raises(ConfigurationError, match="EVENTAPP_SECRET_KEY_FILE"):
        create_app("production")


@pytest.fixture
def demo_logins(monkeypatch, database_url):
    """A production database where `seed-demo` of a development setting made the demo's staff accounts."""
    testing = create_app("testing", {"SQLALCHEMY_DATABASE_URI": database_url})
    with testing.app_context():
        ensure_demo_accounts()
        db.engine.dispose()
    monkeypatch.setenv("DATABASE_URL", database_url)
    return testing


def test_production_does_not_serve_while_demo_logins_work(demo_logins):
    """The README prints their passwords; a new password for each ends the refusal."""
    with pytest.raises(ConfigurationError, match="desk@example.org, organiser@example.org .*set-password"):
        create_app("production")
    with demo_logins.app_context():
        for email, _role, _password, _name in DEMO_ACCOUNTS:
            set_password(user_by_email(db.session, email), "an unusual passphrase of the real desk 71")
        db.session.commit()
        db.engine.dispose()
    create_app("production")


def test_gunicorn_refuses_demo_logins_while_the_commands_that_repair_them_run(demo_logins):
    """What the sysadmin sees: the server stops with the reason; `flask --app wsgi ...` still works."""
    environment = {**os.environ, "EVENTAPP_ENV": "production"}
    served = subprocess.run(
        [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{free_port()}", "--workers", "1", "wsgi:app"],
        cwd=PROJECT_ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert served.returncode != 0
    assert "demo accounts desk@example.org" in served.stderr
    command = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", "list-device-tokens"],
        cwd=PROJECT_ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert command.returncode == 0, command.stderr
