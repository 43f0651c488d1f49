"""eventapp: registration, tickets and check-in for a regional program day."""

import os
from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from eventapp import extensions as ext
from eventapp.db import configure_sqlite
from eventapp.settings import load_settings

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(env: str | None = None, overrides: dict | None = None) -> Flask:
    """Build the app for `env` (default: EVENTAPP_ENV, else development)."""
    app = Flask(
        __name__,
        instance_path=str(PROJECT_ROOT / "instance"),
        template_folder=str(PROJECT_ROOT / "templates"),
    )
    load_settings(app, env or os.environ.get("EVENTAPP_ENV", "development"), overrides)
    if app.config["PROXY_FIX_X_FOR"]:
        hops = app.config["PROXY_FIX_X_FOR"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    register_extensions(app)
    register_blueprints(app)
    register_commands(app)
    return app


def register_extensions(app: Flask) -> None:
    """Bind the extensions; tune SQLite connections."""
    from eventapp import i18n, security
    from eventapp.checkin import models as _checkin_models  # noqa: F401
    from eventapp.events import models as _event_models  # noqa: F401  (tables for Alembic)
    from eventapp.mail import models as _mail_models  # noqa: F401
    from eventapp.mail import sender
    from eventapp.newsletter import models as _newsletter_models  # noqa: F401
    from eventapp.organiser import models as _organiser_models  # noqa: F401
    from eventapp.registration import models as _registration_models  # noqa: F401
    from eventapp.staff import models as _staff_models  # noqa: F401
    from eventapp.staff.access import login_manager

    ext.db.init_app(app)
    ext.migrate.init_app(app, ext.db, directory=str(PROJECT_ROOT / "migrations"), compare_type=True)
    ext.csrf.init_app(app)
    ext.mail.init_app(app)
    ext.babel.init_app(app, locale_selector=i18n.select_locale)
    ext.limiter.init_app(app)
    ext.cache.init_app(app)
    login_manager.init_app(app)
    i18n.init_app(app)
    security.init_app(app)
    sender.init_app(app)
    with app.app_context():
        if ext.db.engine.dialect.name == "sqlite":
            configure_sqlite(ext.db.engine, app.config["SQLITE_BUSY_TIMEOUT_MS"])


def register_blueprints(app: Flask) -> None:
    """Each area of the product brings its own blueprint."""
    from eventapp import errors
    from eventapp.calendar.views import bp as calendar_bp
    from eventapp.checkin.api import bp as checkin_api_bp
    from eventapp.checkin.desk import bp as desk_bp
    from eventapp.checkin.views import bp as checkin_bp
    from eventapp.events.views import bp as events_bp
    from eventapp.mail.views import bp as mail_bp
    from eventapp.newsletter.views import bp as newsletter_bp
    from eventapp.organiser.people import bp as people_bp
    from eventapp.organiser.views import bp as organiser_bp
    from eventapp.registration.views import bp as registration_bp
    from eventapp.staff.views import bp as staff_bp
    from eventapp.tickets.views import bp as tickets_bp

    blueprints = (
        events_bp,
        registration_bp,
        calendar_bp,
        tickets_bp,
        mail_bp,
        staff_bp,
        checkin_bp,
        checkin_api_bp,
        desk_bp,
        organiser_bp,
        people_bp,
        newsletter_bp,
    )
    for blueprint in blueprints:
        app.register_blueprint(blueprint)
    errors.init_app(app)


def register_commands(app: Flask) -> None:
    """CLI commands live in their area."""
    from eventapp.events.cli import seed_demo_command
    from eventapp.mail.cli import send_mail_command, send_reminders_command
    from eventapp.newsletter.cli import purge_unconfirmed_command
    from eventapp.privacy.cli import backup_command, purge_personal_data_command
    from eventapp.staff.cli import create_device_token_command, create_user_command

    for command in (
        seed_demo_command,
        send_mail_command,
        send_reminders_command,
        create_user_command,
        create_device_token_command,
        purge_unconfirmed_command,
        purge_personal_data_command,
        backup_command,
    ):
        app.cli.add_command(command)
