"""Settings come from config/<env>.py, DATABASE_URL and EVENTAPP_* variables."""

import pytest
from sqlalchemy import text

from eventapp import create_app
from eventapp.platform.extensions import db
from eventapp.platform.settings import ConfigurationError, normalise_database_url

# Random-looking: production refuses repetitive keys ("x" * 48).
GOOD_KEY = "Wq3-vT9_kR2zLm8pXa7sYb4nHc6dJf1gEu5oKi0t"
# What production needs besides the secret and the database (tests/test_production_settings.py refuses each default).
PRODUCTION_ENV = {
    "EVENTAPP_PUBLIC_URL": "https://dag.example.org",
    "EVENTAPP_ORGANIZER_EMAIL": "dag@example.org",
    "EVENTAPP_RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/0",
}


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    for name in ("DATABASE_URL", "EVENTAPP_ENV", "EVENTAPP_SECRET_KEY", "EVENTAPP_MAIL_SERVER"):
        monkeypatch.delenv(name, raising=False)
    for name, value in PRODUCTION_ENV.items():
        monkeypatch.setenv(name, value)


def test_environment_is_picked_by_eventapp_env(monkeypatch, tmp_path):
    monkeypatch.setenv("EVENTAPP_ENV", "testing")
    app = create_app(overrides={"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/a.db"})
    assert app.config["ENV_NAME"] == "testing"
    assert app.testing


def test_development_is_the_default_with_sqlite_in_instance(monkeypatch):
    app = create_app()
    assert app.config["ENV_NAME"] == "development"
    assert app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///")
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("instance/eventapp.db")


def test_unknown_environment_is_refused():
    with pytest.raises(ConfigurationError, match="EVENTAPP_ENV"):
        create_app("staging")


def test_prefixed_environment_variables_override_settings(monkeypatch, tmp_path):
    monkeypatch.setenv("EVENTAPP_MAIL_SERVER", "smtp.example.org")
    monkeypatch.setenv("EVENTAPP_MAIL_PORT", "2525")
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/a.db"})
    assert app.config["MAIL_SERVER"] == "smtp.example.org"
    assert app.config["MAIL_PORT"] == 2525


def test_database_url_names_the_database(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://app@db.internal/eventapp")
    app = create_app("development")
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://app@db.internal/eventapp"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgresql://u@h/d", "postgresql+psycopg://u@h/d"),
        ("postgres://u@h/d", "postgresql+psycopg://u@h/d"),
        ("postgresql+psycopg://u@h/d", "postgresql+psycopg://u@h/d"),
        ("sqlite:////var/lib/eventapp.db", "sqlite:////var/lib/eventapp.db"),
    ],
)
def test_normalise_database_url(given, expected):
    assert normalise_database_url(given) == expected


def test_production_takes_secret_and_database_from_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/prod.db")
    monkeypatch.setenv("EVENTAPP_SECRET_KEY", GOOD_KEY)
    app = create_app("production")
    assert app.config["SECRET_KEY"] == GOOD_KEY
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert not app.debug


@pytest.mark.parametrize("key", [None, "", "short", "dev-not-secret-change-me"])
def test_production_refuses_a_weak_secret_key(monkeypatch, tmp_path, key):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/prod.db")
    if key is not None:
        monkeypatch.setenv("EVENTAPP_SECRET_KEY", key)
    with pytest.raises(ConfigurationError, match="SECRET_KEY"):
        create_app("production")


def test_production_needs_a_database_address(monkeypatch):
    monkeypatch.setenv("EVENTAPP_SECRET_KEY", GOOD_KEY)
    with pytest.raises(ConfigurationError, match="DATABASE_URL"):
        create_app("production")


def test_sqlite_connections_use_wal_foreign_keys_and_a_busy_timeout(app_context):
    with db.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() == 15000
