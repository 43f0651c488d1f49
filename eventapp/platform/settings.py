"""Loading settings: config/default.py, then config/<env>.py, then the environment; and the product's settings
typed (`Settings`, read through `settings()`), checked at start-up."""

import contextlib
import dataclasses
import ipaddress
import os
import re
import socket
import typing
from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask, current_app

CONFIG_DIR = Path(__file__).resolve().parents[2] / "config"
ENVIRONMENTS = ("development", "testing", "production")
DEV_SECRET_KEY = "dev-not-secret-change-me"
MIN_SECRET_KEY_LENGTH = 32
# Not "a" * 32: a random key of 32 hex digits has fewer than 8 different ones about once in a million.
MIN_SECRET_KEY_DISTINCT = 8


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
    Settings.from_config(app.config)  # a setting of the wrong kind stops the start, with its name
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
    """Refuse a missing, short, repetitive or development secret key."""
    if not key or not isinstance(key, str):
        raise ConfigurationError("production needs EVENTAPP_SECRET_KEY")
    if key == DEV_SECRET_KEY or len(key) < MIN_SECRET_KEY_LENGTH or _is_repetitive(key):
        raise ConfigurationError(
            f"EVENTAPP_SECRET_KEY must be a random string of at least {MIN_SECRET_KEY_LENGTH} characters, not a"
            " repeated one (python -c 'import secrets; print(secrets.token_urlsafe(48))')"
        )


def _is_repetitive(key: str) -> bool:
    """Few different characters, or a shorter piece repeated ("abcdefgh" * 4): far less than its length's worth."""
    if len(set(key)) < MIN_SECRET_KEY_DISTINCT:
        return True
    return any(key[period:] == key[:-period] for period in range(1, len(key) // 2 + 1))


def check_production_defaults(config) -> None:
    """Refuse the development defaults that production would otherwise accept silently."""
    check_public_url(config.get("PUBLIC_URL") or "")
    email = str(config.get("ORGANIZER_EMAIL") or "")
    domain = email.rpartition("@")[2].lower()
    if not domain or _is_local_host(domain) or "." not in domain:
        raise ConfigurationError(
            f"EVENTAPP_ORGANIZER_EMAIL must be a real address that receives replies, not {email!r}"
        )
    storage = str(config.get("RATELIMIT_STORAGE_URI", "")).strip().lower()
    if storage.startswith("memory://") and not config.get("ALLOW_MEMORY_RATELIMIT"):
        raise ConfigurationError(
            "EVENTAPP_RATELIMIT_STORAGE_URI is memory://: each process would count its own limits; point it at"
            " Redis (redis://host:6379/0), or set EVENTAPP_ALLOW_MEMORY_RATELIMIT=true for a single process"
        )
    check_production_safety(config)


def check_production_safety(config) -> None:
    """Refuse the debugger, forms without CSRF tokens and cookies that travel over plain HTTP."""
    if config.get("DEBUG"):
        raise ConfigurationError("EVENTAPP_DEBUG is on: production would show tracebacks and the debugger")
    if not config.get("WTF_CSRF_ENABLED", True):
        raise ConfigurationError("EVENTAPP_WTF_CSRF_ENABLED is off: production forms need their CSRF tokens")
    if config.get("ALLOW_INSECURE_COOKIES"):
        return  # a test deployment on loopback, without TLS
    for name in ("SESSION_COOKIE_SECURE", "REMEMBER_COOKIE_SECURE"):
        if not config.get(name):
            raise ConfigurationError(
                f"EVENTAPP_{name} is off: the login cookie would travel over plain HTTP (a test deployment on"
                " loopback may set EVENTAPP_ALLOW_INSECURE_COOKIES=true)"
            )


def check_public_url(url: str) -> None:
    """Links in mails must reach people: https, and a host other than this machine."""
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname or _is_local_host(parts.hostname):
        raise ConfigurationError(
            f"EVENTAPP_PUBLIC_URL must be the site's https:// address as people reach it, not {url!r}"
        )


def _is_local_host(host: str) -> bool:
    """This machine, however spelled: `localhost.`, `127.1`, `2130706433`, `0x7f.1`, `[::ffff:127.0.0.1]`."""
    host = host.strip().strip("[]").lower().rstrip(".")
    if host == "localhost" or host.endswith(".localhost") or host.endswith(".local"):
        return True
    address = _ip_address(host)
    if address is None:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_loopback or address.is_unspecified


def _ip_address(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The address a host name spells, also in the short and numeric forms that resolvers and browsers accept."""
    with contextlib.suppress(ValueError):  # not written as an address: perhaps a short or numeric form below
        return ipaddress.ip_address(host)
    # inet_aton reads 127.1, 2130706433 and 0x7f.0.0.1 as resolvers do; it ignores text after a space, hence the check.
    if not host or not re.fullmatch(r"[0-9a-fx.]+", host):
        return None
    try:
        return ipaddress.IPv4Address(socket.inet_aton(host))
    except OSError:
        return None


@dataclasses.dataclass(frozen=True)
class Settings:
    """The product's own settings (config/default.py says what each means), each of its kind.

    A field is the setting's name in lower case; `EVENTAPP_<NAME>` in the environment sets it. Flask's and the
    extensions' own settings (SECRET_KEY, SQLALCHEMY_*, CACHE_*, ...) stay theirs, read by them.
    """

    env_name: str
    event_timezone: str
    languages: tuple[str, ...]
    babel_default_locale: str
    organizer_name: str
    organizer_email: str
    public_url: str
    proxy_fix_x_for: int
    request_log: bool
    metrics_enabled: bool
    sqlite_busy_timeout_ms: int
    allow_memory_ratelimit: bool
    allow_insecure_cookies: bool
    login_rate_limit: str
    login_account_rate_limit: str
    newsletter_rate_limit: str
    registration_rate_limit: str
    registration_prefix_rate_limit: str
    verify_rate_limit: str
    checkin_rate_limit: str
    desk_search_rate_limit: str
    desk_search_account_rate_limit: str
    desk_search_audit_every: int
    mail_max_attempts: int
    mail_retry_seconds: int
    mail_claim_seconds: int
    mail_sender_in_process: bool
    mail_sender_poll_seconds: float
    calendar_uid_domain: str
    calendar_update_delay_seconds: int
    checkin_undo_minutes: int
    device_token_days: int
    release_minutes_before: int
    release_in_process: bool
    feedback_min_respondents: int
    unconfirmed_hold_hours: int
    retention_days: int
    demo_registrations: int
    demo_morning: bool
    demo_accounts: bool

    @classmethod
    def from_config(cls, config: typing.Mapping[str, object]) -> "Settings":
        """The settings in `config`, each made its kind; ConfigurationError names one that cannot be."""
        kinds = typing.get_type_hints(cls)
        values: dict[str, typing.Any] = {
            field.name: _of_kind(field.name.upper(), config.get(field.name.upper()), kinds[field.name])
            for field in dataclasses.fields(cls)
        }
        return cls(**values)


def settings() -> "Settings":
    """The running app's settings, made once and made again when app.config changed (as a test may change it)."""
    config, extensions = current_app.config, current_app.extensions
    raw = tuple(map(config.get, _NAMES))
    made = extensions.get("settings")
    if made is None or made[0] != raw:
        made = extensions["settings"] = (raw, Settings.from_config(config))
    return made[1]


_NAMES = tuple(field.name.upper() for field in dataclasses.fields(Settings))
TRUE, FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off", "")


def _of_kind(name: str, value: object, kind: object) -> object:
    """`value` as `kind` (str, int, float, bool or tuple[str, ...]), as the environment may spell it."""
    text = value.strip().lower() if isinstance(value, str) else None
    if kind is bool and (isinstance(value, bool) or value in (0, 1) or text in TRUE + FALSE):
        return bool(value) if text is None else text in TRUE  # EVENTAPP_X=1 arrives as the number 1
    if kind is int and not isinstance(value, bool):
        if isinstance(value, int):
            return value
        if isinstance(value, str) and re.fullmatch(r"[+-]?\d+", value.strip()):
            return int(value)
    if kind is float and isinstance(value, int | float | str) and not isinstance(value, bool):
        with contextlib.suppress(ValueError):
            return float(value)
    if kind is str and isinstance(value, str):
        return value
    if kind == tuple[str, ...] and isinstance(value, list | tuple | str):
        items = value.split(",") if isinstance(value, str) else value
        if all(isinstance(item, str) for item in items):
            return tuple(item.strip() for item in items)
    raise ConfigurationError(f"EVENTAPP_{name} must be {_KIND_WORDS.get(kind, kind)}, not {value!r}")


_KIND_WORDS: dict[object, str] = {
    str: "a text",
    int: "a whole number",
    float: "a number",
    bool: "true or false",
    tuple[str, ...]: "a list of texts",
}
