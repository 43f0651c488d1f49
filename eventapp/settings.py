"""Loading settings: config/default.py, then config/<env>.py, then the environment."""

import ipaddress
import os
from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask

CONFIG_DIR = Path(__file__).resolve().parent.parent / "config"
ENVIRONMENTS = ("development", "testing", "production")
DEV_SECRET_KEY = "dev-not-secret-change-me"
MIN_SECRET_KEY_LENGTH = 32


class ConfigurationError(RuntimeError):
    """The settings do not allow the app to start."""


def load_settings(app: Flask, env: str, overrides: dict | None) -> None:
    """Fill app.config for `env`; later sources win: files, DATABASE_URL, EVENTAPP_*, overrides."""
    if env not in ENVIRONMENTS:
        raise ConfigurationError(f"EVENTAPP_ENV must be one of {', '.join(ENVIRONMENTS)}, not {env!r}")
    app.config["ENV_NAME"] = env
    app.config.from_pyfile(CONFIG_DIR / "default.py")
    app.config.from_pyfile(CONFIG_DIR / f"{env}.py")
    if os.environ.get("DATABASE_URL"):
        app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"]
    app.config.from_prefixed_env("EVENTAPP")
    load_secret_files(app.config, os.environ)
    app.config.update(overrides or {})

    uri = app.config.get("SQLALCHEMY_DATABASE_URI")
    if not uri:
        if env == "production":
            raise ConfigurationError("production needs DATABASE_URL (PostgreSQL or a SQLite file)")
        os.makedirs(app.instance_path, exist_ok=True)
        uri = f"sqlite:///{Path(app.instance_path) / 'eventapp.db'}"
    app.config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(uri)
    if env == "production":
        check_secret_key(app.config.get("SECRET_KEY"))
        check_production_defaults(app.config)
        check_virtual_clock(os.environ)


def check_virtual_clock(environ) -> None:
    """A virtual clock in production only where the day simulation (`flask simulate-day`) set it up itself."""
    if environ.get("EVENTAPP_CLOCK_FILE") and environ.get("EVENTAPP_SIMULATION") != "1":
        raise ConfigurationError(
            "EVENTAPP_CLOCK_FILE moves the app's clock: it belongs to `flask simulate-day`, never to a deployment"
        )


def load_secret_files(config, environ) -> None:
    """Secrets from files (container secrets, systemd credentials): DATABASE_URL_FILE, EVENTAPP_<NAME>_FILE.

    The file's content, without the final newline, becomes the setting; a named file that cannot be read stops
    the start with its name.
    """
    named = {"DATABASE_URL_FILE": "SQLALCHEMY_DATABASE_URI"}
    named |= {key: key[len("EVENTAPP_") : -len("_FILE")] for key in environ if _is_secret_file_variable(key)}
    for variable, setting in named.items():
        if not environ.get(variable):
            continue
        try:
            config[setting] = Path(environ[variable]).read_text(encoding="utf-8").strip()
        except OSError as error:
            raise ConfigurationError(f"{variable}: cannot read {environ[variable]} ({error.strerror})") from error
        config.pop(variable.removeprefix("EVENTAPP_"), None)


def _is_secret_file_variable(key: str) -> bool:
    return key.startswith("EVENTAPP_") and key.endswith("_FILE") and len(key) > len("EVENTAPP__FILE")


def normalise_database_url(url: str) -> str:
    """Point PostgreSQL addresses at the psycopg 3 driver (hosting platforms say postgres://)."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def check_secret_key(key) -> None:
    """Refuse a missing, short or development secret key."""
    if not key or not isinstance(key, str):
        raise ConfigurationError("production needs EVENTAPP_SECRET_KEY")
    if key == DEV_SECRET_KEY or len(key) < MIN_SECRET_KEY_LENGTH:
        raise ConfigurationError(
            f"EVENTAPP_SECRET_KEY must be a random string of at least {MIN_SECRET_KEY_LENGTH} characters"
            " (python -c 'import secrets; print(secrets.token_urlsafe(48))')"
        )


def check_production_defaults(config) -> None:
    """Refuse the development defaults that production would otherwise accept silently."""
    check_public_url(config.get("PUBLIC_URL") or "")
    email = str(config.get("ORGANIZER_EMAIL") or "")
    domain = email.rpartition("@")[2].lower()
    if not domain or _is_local_host(domain) or "." not in domain:
        raise ConfigurationError(
            f"EVENTAPP_ORGANIZER_EMAIL must be a real address that receives replies, not {email!r}"
        )
    if str(config.get("RATELIMIT_STORAGE_URI", "")).startswith("memory://") and not config.get(
        "ALLOW_MEMORY_RATELIMIT"
    ):
        raise ConfigurationError(
            "EVENTAPP_RATELIMIT_STORAGE_URI is memory://: each process would count its own limits; point it at"
            " Redis (redis://host:6379/0), or set EVENTAPP_ALLOW_MEMORY_RATELIMIT=true for a single process"
        )


def check_public_url(url: str) -> None:
    """Links in mails must reach people: https, and a host other than this machine."""
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname or _is_local_host(parts.hostname):
        raise ConfigurationError(
            f"EVENTAPP_PUBLIC_URL must be the site's https:// address as people reach it, not {url!r}"
        )


def _is_local_host(host: str) -> bool:
    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost") or host.endswith(".local"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified
