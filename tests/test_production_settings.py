"""Production refuses the development defaults it would otherwise run with, naming the setting."""

import os
import subprocess
import sys

import pytest

from eventapp import create_app
from eventapp.settings import ConfigurationError
from tests.served import PROJECT_ROOT
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
    ],
)
def test_public_url_on_this_machine_or_plain_http_is_refused(monkeypatch, url):
    if url is None:
        monkeypatch.delenv("EVENTAPP_PUBLIC_URL")
    else:
        monkeypatch.setenv("EVENTAPP_PUBLIC_URL", url)
    with pytest.raises(ConfigurationError, match="EVENTAPP_PUBLIC_URL"):
        create_app("production")


@pytest.mark.parametrize("email", [None, "noreply@localhost", "dag@eventapp.local", "dag", "dag@intranet"])
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
    (tmp_path / "secret_key").write_text("k" * 48 + "\n")
    (tmp_path / "database_url").write_text(f"sqlite:///{tmp_path}/from-file.db\n")
    monkeypatch.delenv("EVENTAPP_SECRET_KEY")
    monkeypatch.delenv("DATABASE_URL")
    monkeypatch.setenv("EVENTAPP_SECRET_KEY_FILE", str(tmp_path / "secret_key"))
    monkeypatch.setenv("DATABASE_URL_FILE", str(tmp_path / "database_url"))
    app = create_app("production")
    assert app.config["SECRET_KEY"] == "k" * 48
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("from-file.db")
    monkeypatch.setenv("EVENTAPP_SECRET_KEY_FILE", str(tmp_path / "missing"))
    with pytest.raises(ConfigurationError, match="EVENTAPP_SECRET_KEY_FILE"):
        create_app("production")
