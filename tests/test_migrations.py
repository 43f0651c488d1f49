"""The migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from eventapp import create_app
from eventapp.platform.extensions import db

pytestmark = pytest.mark.both_databases

CORE_TABLES = {"event", "agenda_item", "session", "registration", "choice"}


def schema_differences(engine):
    """What Alembic's `check` would report: model metadata against the live schema."""
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, db.metadata)


def test_upgrade_from_empty_database_matches_models(empty_database_url):
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": empty_database_url})
    with app.app_context():
        assert inspect(db.engine).get_table_names() == []
        upgrade()
        assert CORE_TABLES <= set(inspect(db.engine).get_table_names())
        assert schema_differences(db.engine) == []
        db.engine.dispose()


def test_upgrade_creates_every_check_constraint(empty_database_url):
    """Alembic's compare does not look at CHECK constraints; compare their names here."""
    from sqlalchemy import CheckConstraint

    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": empty_database_url})
    with app.app_context():
        upgrade()
        inspector = inspect(db.engine)
        for table in db.metadata.sorted_tables:
            expected = {c.name for c in table.constraints if isinstance(c, CheckConstraint)}
            assert {c["name"] for c in inspector.get_check_constraints(table.name)} == expected, table.name
        db.engine.dispose()


def test_downgrade_to_empty_and_upgrade_again(empty_database_url):
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": empty_database_url})
    with app.app_context():
        upgrade()
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()
        assert schema_differences(db.engine) == []
        db.engine.dispose()


def test_scan_scope_upgrades_the_demo_day_with_scans(empty_database_url):
    """0010 gives existing scans their scanner; going back keeps every scan and one owner per scan id."""
    from sqlalchemy import select, text

    from eventapp.checkin import services
    from eventapp.events.models import Event
    from eventapp.platform.db import utcnow
    from eventapp.platform.staff.access import Actor
    from eventapp.platform.staff.services import create_device_token
    from eventapp.registration.models import Registration
    from tests.conftest import load_demo

    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": empty_database_url})
    with app.app_context():
        upgrade()
        slug = load_demo(app)
        event = db.session.scalar(select(Event).where(Event.slug == slug))
        registration = db.session.scalar(select(Registration).where(Registration.event_id == event.id).limit(1))
        devices = [create_device_token(db.session, name, None, utcnow())[0] for name in ("A", "B")]
        for device, found in zip(devices, (registration, None), strict=True):
            on_the_day = event.local_datetime(event.day_starts_at)  # a scan counts on the day only
            services.check_in(db.session, event, found, Actor(None, device, device.name), on_the_day, None, "X")
        # The ids before the commit: reloading the rows later would open a read (an old snapshot) and, after going
        # back, name columns that are gone (device_token.event_id).
        device_ids = [device.id for device in devices]
        db.session.commit()
        scans = "SELECT client_scan_id FROM scan WHERE device_id IS NOT NULL ORDER BY id"

        downgrade(revision="0009_staff_tokens_sessions")  # just before 0010
        assert [row[0] for row in db.session.execute(text(scans))] == ["X", None]
        db.session.execute(text("UPDATE scan SET client_scan_id = 'Y' WHERE device_id = :b"), {"b": device_ids[1]})
        db.session.commit()
        upgrade()
        rows = db.session.execute(text(scans.replace("client_scan_id", "scanner, client_scan_id"))).all()
        assert [tuple(row) for row in rows] == [(f"device:{device_ids[0]}", "X"), (f"device:{device_ids[1]}", "Y")]
        assert schema_differences(db.engine) == []
        db.session.remove()
        db.engine.dispose()


def test_0009_gives_existing_accounts_a_session_token_and_devices_an_expiry(empty_database_url):
    """Rows from before 0009: each account its own token, each device token an end 30 days on."""
    import datetime as dt

    from sqlalchemy import text

    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": empty_database_url})
    with app.app_context():
        upgrade(revision="0007_anonymised")
        with db.engine.begin() as connection:
            for number in (1, 2):
                connection.execute(
                    text(
                        "INSERT INTO staff_user (email, name, password_hash, role, active, created_at)"
                        " VALUES (:email, 'x', 'x', 'desk', true, :now)"
                    ),
                    {"email": f"u{number}@example.org", "now": dt.datetime(2026, 1, 1)},
                )
            connection.execute(
                text("INSERT INTO device_token (name, token_hash, created_at) VALUES ('old', :hash, :now)"),
                {"hash": "0" * 64, "now": dt.datetime(2026, 1, 1)},
            )
        upgrade(revision="0009_staff_tokens_sessions")
        with db.engine.connect() as connection:
            tokens = connection.execute(text("SELECT session_token FROM staff_user")).scalars().all()
            expires = connection.execute(text("SELECT expires_at FROM device_token")).scalar_one()
        assert len(set(tokens)) == 2 and all(len(token) >= 40 for token in tokens)
        expires = expires if isinstance(expires, dt.datetime) else dt.datetime.fromisoformat(expires)
        days = (expires.replace(tzinfo=None) - dt.datetime.now(dt.UTC).replace(tzinfo=None)).days
        assert days in (29, 30)
        downgrade(revision="0007_anonymised")
        assert "session_token" not in {c["name"] for c in inspect(db.engine).get_columns("staff_user")}
        db.engine.dispose()


def test_migrations_keep_what_refers_to_rebuilt_tables(empty_database_url):
    """SQLite rebuilds a table to change it: the rows pointing at it (choices, check-ins) must survive."""
    from sqlalchemy import func, select

    from eventapp.checkin.models import CheckIn
    from eventapp.demo.cli import register_demo_people
    from eventapp.events.models import Event
    from eventapp.registration.models import Choice, Registration
    from tests.conftest import load_demo

    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": empty_database_url})
    with app.app_context():
        upgrade()
        load_demo(app)
        register_demo_people(db.session.scalar(select(Event)), 12)
        first = db.session.scalar(select(Registration).order_by(Registration.id))
        db.session.add(CheckIn(registration_id=first.id, event_id=first.event_id, checked_in_at=first.created_at))
        db.session.commit()

        def counts():
            return [db.session.scalar(select(func.count()).select_from(m)) for m in (Registration, Choice, CheckIn)]

        before = counts()
        assert before == [12, 24, 1]
        db.session.commit()
        downgrade(revision="0007_anonymised")
        assert counts() == before
        db.session.commit()
        upgrade()
        assert counts() == before
        db.session.remove()
        db.engine.dispose()


def test_0030_keeps_one_mail_text_per_event_kind_and_language_and_going_back_drops_them(empty_database_url):
    """The organiser's mail texts: unique per event, kind and language, only known kinds; 0029 has none."""
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": empty_database_url})
    with app.app_context():
        upgrade(revision="0030_mail_texts")
        inspector = inspect(db.engine)
        uniques = [sorted(u["column_names"]) for u in inspector.get_unique_constraints("mail_text")]
        assert uniques == [["event_id", "kind", "language"]]
        checks = {c["name"] for c in inspector.get_check_constraints("mail_text")}
        assert checks == {"ck_mail_text_kind_known", "ck_mail_text_language_known"}
        (foreign,) = inspector.get_foreign_keys("mail_text")
        assert foreign["referred_table"] == "event" and foreign["options"].get("ondelete") == "CASCADE"
        downgrade(revision="0029_transfers")
        assert "mail_text" not in inspect(db.engine).get_table_names()
        db.engine.dispose()
