"""Production does not serve while the demo's staff accounts can log in with the passwords the README prints."""

import logging
import os

from flask import Flask
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.security import check_password_hash

from eventapp.demo.cli import DEMO_ACCOUNTS
from eventapp.platform.extensions import db
from eventapp.platform.settings import ConfigurationError, Settings
from eventapp.platform.staff.models import User

log = logging.getLogger(__name__)


def published_demo_logins(db_session) -> list[str]:
    """The demo accounts that are active and still take their published password."""
    found = []
    for email, _role, password, _name in DEMO_ACCOUNTS:
        user = db_session.scalar(select(User).where(User.email == email))
        if user is not None and user.active and check_password_hash(user.password_hash, password):
            found.append(email)
    return found


def started_by_flask_command() -> bool:
    """`flask --app wsgi ...` (Flask's CLI sets this flag): the commands that repair accounts must still run."""
    return os.environ.get("FLASK_RUN_FROM_CLI") == "true"


def refuse_demo_logins(app: Flask) -> None:
    """Stop the start of a production server (gunicorn wsgi:app) while a demo login works."""
    if Settings.from_config(app.config).env_name != "production" or started_by_flask_command():
        return
    with app.app_context():
        try:
            found = published_demo_logins(db.session)
        except SQLAlchemyError as error:
            # Not migrated yet (no accounts at all), or the database is down: serve 503s rather than crash-loop.
            log.warning("demo accounts not checked: %s", type(error).__name__)
            return
        finally:
            db.session.remove()
    if found:
        raise ConfigurationError(
            f"production does not serve while the demo accounts {', '.join(found)} log in with their published"
            " passwords: give each a new one (flask --app wsgi set-password <email>)"
        )
