"""Backups that restore: the README's commands, round trip, on SQLite and PostgreSQL."""

import shutil
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.engine import make_url

from eventapp import create_app
from eventapp.events.models import Event
from eventapp.platform.extensions import db
from eventapp.registration.models import Registration
from tests.registration.helpers import sign_up


def figures(url: str) -> tuple:
    """What the restore must bring back: events, registrations, and the schema's version."""
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        found = (
            db.session.scalar(select(func.count()).select_from(Event)),
            sorted(db.session.scalars(select(Registration.email))),
            db.session.execute(db.text("SELECT version_num FROM alembic_version")).scalar(),
        )
        db.session.remove()
        db.engine.dispose()
    return found


def lose_everything(app) -> None:
    with app.app_context():
        for table in reversed(db.metadata.sorted_tables):
            db.session.execute(delete(table))
        db.session.commit()
        db.engine.dispose()


def test_sqlite_backup_and_restore(app, runner, make_event, database_url, tmp_path):
    with app.app_context():
        event = make_event(day_capacity=5)
        for number in range(3):
            sign_up(event, number)
    before = figures(database_url)
    backup = tmp_path / "eventapp-backup.db"
    assert runner.invoke(args=["backup", str(backup)]).exit_code == 0
    lose_everything(app)
    assert figures(database_url)[0] == 0

    # The README's restore: stop the app, put the copy in place, remove the old WAL beside it.
    live = Path(make_url(database_url).database)
    shutil.copyfile(backup, live)
    for leftover in (live.with_name(live.name + "-wal"), live.with_name(live.name + "-shm")):
        leftover.unlink(missing_ok=True)
    assert figures(database_url) == before and before[0] == 1 and len(before[1]) == 3


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_postgresql_dump_and_restore(app, make_event, database_url, postgres, request, tmp_path):
    for tool in ("pg_dump", "pg_restore"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} is not installed (Debian: postgresql-client)")
    with app.app_context():
        event = make_event(day_capacity=5)
        for number in range(3):
            sign_up(event, number)
        db.engine.dispose()
    before = figures(database_url)
    libpq_url = make_url(database_url).set(drivername="postgresql").render_as_string(hide_password=False)
    dump = tmp_path / "eventapp.dump"
    subprocess.run(["pg_dump", "--format=custom", f"--file={dump}", libpq_url], check=True, timeout=120)
    lose_everything(app)
    assert figures(database_url)[0] == 0

    # Into the same database (undoing a mistake) ...
    subprocess.run(
        ["pg_restore", "--clean", "--if-exists", "--no-owner", f"--dbname={libpq_url}", str(dump)],
        check=True,
        timeout=120,
    )
    assert figures(database_url) == before and len(before[1]) == 3
    # ... and into a new, empty one (a new server after losing the old).
    fresh = postgres.create()
    request.addfinalizer(lambda: postgres.drop(fresh))
    fresh_url = make_url(postgres.database_url(fresh))
    fresh_libpq = fresh_url.set(drivername="postgresql").render_as_string(hide_password=False)
    subprocess.run(["pg_restore", "--no-owner", f"--dbname={fresh_libpq}", str(dump)], check=True, timeout=120)
    assert figures(fresh_url.render_as_string(hide_password=False)) == before
