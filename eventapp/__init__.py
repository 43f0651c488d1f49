"""eventapp: registration, tickets and check-in for a regional program day."""

import os
from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from eventapp.demo.checks import refuse_demo_logins
from eventapp.platform import extensions as ext
from eventapp.platform.db import DatabaseIdConverter, configure_sqlite
from eventapp.platform.settings import Settings, load_settings

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(env: str | None = None, overrides: dict | None = None) -> Flask:
    """Build the app for `env` (default: EVENTAPP_ENV, else development)."""
    app = Flask(
        __name__,
        instance_path=str(PROJECT_ROOT / "instance"),
        template_folder=str(PROJECT_ROOT / "templates"),
    )
    load_settings(app, env or os.environ.get("EVENTAPP_ENV", "development"), overrides)
    hops = Settings.from_config(app.config).proxy_fix_x_for
    if hops:
        # Flask's documented way to add middleware; its types call wsgi_app a method, which cannot be assigned.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]
    # Before the blueprints, whose routes name it: `<id:...>` for every database id in an address.
    app.url_map.converters["id"] = DatabaseIdConverter
    register_extensions(app)
    register_mail_kinds()
    connect_signals()
    register_blueprints(app)
    register_commands(app)
    refuse_demo_logins(app)
    return app


def register_extensions(app: Flask) -> None:
    """Bind the extensions; tune SQLite connections."""
    from eventapp.allocation import models as _allocation_models  # noqa: F401
    from eventapp.checkin import models as _checkin_models  # noqa: F401
    from eventapp.checkin import release_clock
    from eventapp.events import models as _event_models  # noqa: F401  (tables for Alembic)
    from eventapp.feedback import models as _feedback_models  # noqa: F401
    from eventapp.newsletter import models as _newsletter_models  # noqa: F401
    from eventapp.platform import audit as _audit_models  # noqa: F401
    from eventapp.platform import i18n, logs, security
    from eventapp.platform.mail import models as _mail_models  # noqa: F401
    from eventapp.platform.mail import sender
    from eventapp.platform.staff import models as _staff_models  # noqa: F401
    from eventapp.platform.staff.access import login_manager
    from eventapp.questions import models as _question_models  # noqa: F401
    from eventapp.registration import contacts as _contact_models  # noqa: F401
    from eventapp.registration import models as _registration_models  # noqa: F401
    from eventapp.registration import preferences as _preference_models  # noqa: F401
    from eventapp.statements import models as _statement_models  # noqa: F401

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
    logs.init_app(app)
    sender.init_app(app)
    release_clock.init_app(app)
    with app.app_context():
        if ext.db.engine.dialect.name == "sqlite":
            configure_sqlite(ext.db.engine, Settings.from_config(app.config).sqlite_busy_timeout_ms)


def register_mail_kinds() -> None:
    """Each area makes the mails it sends known to the outbox, which imports no area."""
    from eventapp.feedback import mails as feedback_mails
    from eventapp.newsletter import mails as newsletter_mails
    from eventapp.platform.staff import mails as staff_mails
    from eventapp.registration import contacts as contact_mails
    from eventapp.registration import mails as registration_mails
    from eventapp.registration import transfer_mails

    registration_mails.register_kinds()
    contact_mails.register_kinds()
    newsletter_mails.register_kinds()
    feedback_mails.register_kinds()
    staff_mails.register_kinds()
    transfer_mails.register_kinds()


def connect_signals() -> None:
    """Areas that react to another area's events connect here (see eventapp/signals.py)."""
    from eventapp.newsletter import services as newsletter
    from eventapp.registration import waitlists
    from eventapp.statements import services as statements

    newsletter.connect_signals()
    waitlists.connect_signals()
    statements.connect_signals()


def register_blueprints(app: Flask) -> None:
    """Each area of the product brings its own blueprint."""
    from eventapp.allocation.manage import bp as allocation_bp
    from eventapp.checkin.api import bp as checkin_api_bp
    from eventapp.checkin.desk import bp as desk_bp
    from eventapp.checkin.door import bp as door_bp
    from eventapp.checkin.manage_devices import bp as devices_bp
    from eventapp.checkin.manage_doors import bp as doors_bp
    from eventapp.checkin.pairing import bp as pairing_bp
    from eventapp.checkin.views import bp as checkin_bp
    from eventapp.events.views import bp as events_bp
    from eventapp.feedback.manage import bp as feedback_results_bp
    from eventapp.feedback.views import bp as feedback_bp
    from eventapp.newsletter.manage import bp as newsletter_admin_bp
    from eventapp.newsletter.views import bp as newsletter_bp
    from eventapp.organiser.messages import bp as messages_bp
    from eventapp.organiser.outbox import bp as outbox_bp
    from eventapp.organiser.people import bp as people_bp
    from eventapp.organiser.texts import bp as texts_bp
    from eventapp.organiser.views import bp as organiser_bp
    from eventapp.platform import errors
    from eventapp.platform.language import bp as language_bp
    from eventapp.platform.mail.views import bp as own_outbox_bp
    from eventapp.platform.staff.account import bp as staff_account_bp
    from eventapp.platform.staff.back_office import organiser_menu
    from eventapp.platform.staff.manage import bp as staff_admin_bp
    from eventapp.platform.staff.views import bp as staff_bp
    from eventapp.privacy.views import bp as privacy_bp
    from eventapp.questions.manage import bp as questions_bp
    from eventapp.registration.manage import bp as pilots_bp
    from eventapp.registration.views import bp as registration_bp
    from eventapp.report.views import bp as report_bp
    from eventapp.statements.manage import bp as statements_admin_bp
    from eventapp.statements.views import bp as statements_bp

    blueprints = (
        language_bp,
        events_bp,
        registration_bp,
        privacy_bp,
        outbox_bp,
        own_outbox_bp,
        staff_bp,
        checkin_bp,
        checkin_api_bp,
        desk_bp,
        door_bp,
        pairing_bp,
        organiser_bp,
        allocation_bp,
        people_bp,
        questions_bp,
        pilots_bp,
        messages_bp,
        texts_bp,
        devices_bp,
        staff_admin_bp,
        staff_account_bp,
        doors_bp,
        newsletter_bp,
        newsletter_admin_bp,
        statements_bp,
        statements_admin_bp,
        feedback_bp,
        feedback_results_bp,
        report_bp,
    )
    for blueprint in blueprints:
        app.register_blueprint(blueprint)
    app.jinja_env.globals["organiser_menu"] = organiser_menu
    errors.init_app(app)
    register_operations(app)


def register_operations(app: Flask) -> None:
    """/healthz for the proxy and orchestrator, /metrics for Prometheus (with the areas' own figures)."""
    from sqlalchemy import func, select

    from eventapp.checkin.models import CheckIn
    from eventapp.platform import health, metrics

    health.init_app(app)
    metrics.init_app(app)
    metrics.database_gauge(
        "eventapp_check_ins",
        "People checked in, all events",
        lambda session: session.scalar(select(func.count(CheckIn.id))),
    )


def register_commands(app: Flask) -> None:
    """CLI commands live in their area."""
    from eventapp.allocation.cli import allocate_command, allocation_mode_command
    from eventapp.checkin.cli import create_device_token_command, release_no_shows_command
    from eventapp.demo.cli import seed_demo_command
    from eventapp.feedback.cli import send_feedback_requests_command
    from eventapp.newsletter.cli import purge_unconfirmed_command
    from eventapp.platform.mail.cli import send_mail_command
    from eventapp.platform.scheduler import run_scheduler_command
    from eventapp.platform.staff import cli as staff_cli
    from eventapp.privacy.cli import backup_command, purge_personal_data_command
    from eventapp.registration.cli import freeze_day_seats_command, release_unclaimed_command, send_reminders_command

    for command in (
        seed_demo_command,
        send_mail_command,
        send_reminders_command,
        release_unclaimed_command,
        freeze_day_seats_command,
        send_feedback_requests_command,
        staff_cli.create_user_command,
        staff_cli.invite_staff_command,
        staff_cli.set_password_command,
        staff_cli.set_role_command,
        create_device_token_command,
        staff_cli.list_device_tokens_command,
        staff_cli.revoke_device_token_command,
        purge_unconfirmed_command,
        purge_personal_data_command,
        backup_command,
        run_scheduler_command,
        release_no_shows_command,
        allocation_mode_command,
        allocate_command,
    ):
        app.cli.add_command(command)
    register_simulation(app)


def register_simulation(app: Flask) -> None:
    """`flask simulate-day` needs the simulation's extras (an SMTP sink, HTTP and PDF readers): skipped without them."""
    try:
        from eventapp.simulation.cli import simulate_day_command
    except ImportError:
        return
    app.cli.add_command(simulate_day_command)
