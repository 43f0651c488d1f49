"""Database helpers: INSERT unless present, and SQLite's queue of writers."""

import threading
import time

import pytest
from sqlalchemy import create_engine, select, text

from eventapp.checkin.models import CheckIn
from eventapp.platform.db import configure_sqlite, insert_unless_present, utcnow, writer_lock_path, writing
from eventapp.platform.extensions import db
from tests.test_schema_constraints import make_registration


@pytest.mark.both_databases
def test_insert_unless_present_inserts_once_and_then_reports_the_conflict(demo_event):
    registration = make_registration(demo_event)
    db.session.flush()
    values = {"registration_id": registration.id, "event_id": demo_event.id, "checked_in_at": utcnow(), "desk": "A"}
    first = insert_unless_present(db.session, CheckIn, values)
    again = insert_unless_present(db.session, CheckIn, {**values, "desk": "B"})
    db.session.commit()
    assert isinstance(first, int) and again is None
    assert db.session.scalars(select(CheckIn.desk)).all() == ["A"]  # the second desk changed nothing


def test_sqlite_writers_take_turns_on_the_lock_file(tmp_path):
    """A second writer waits for the first to commit (no "database is locked", no polling), then goes on."""
    engine = create_engine(f"sqlite:///{tmp_path / 'turns.db'}")
    configure_sqlite(engine, busy_timeout_ms=100)  # far shorter than the first writer's transaction
    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE counter (n INTEGER)")
        connection.exec_driver_sql("INSERT INTO counter VALUES (0)")
    assert writer_lock_path(engine) == str(tmp_path / "turns.db") + "-writer.lock"
    order = []

    def write(name, hold):
        with writing(), engine.begin() as connection:
            order.append(f"{name} in")
            connection.execute(text("UPDATE counter SET n = n + 1"))
            time.sleep(hold)
            order.append(f"{name} out")

    first = threading.Thread(target=write, args=("first", 0.5))
    first.start()
    while not order:
        time.sleep(0.01)
    write("second", 0)  # SQLite's busy timeout alone (0.1 s) would fail here
    first.join()
    assert order == ["first in", "first out", "second in", "second out"]
    with engine.connect() as connection:
        assert connection.execute(text("SELECT n FROM counter")).scalar() == 2
    engine.dispose()


def test_a_failed_write_releases_the_lock(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'failed.db'}")
    configure_sqlite(engine, busy_timeout_ms=100)
    with pytest.raises(Exception, match="no such table"), writing(), engine.begin() as connection:
        connection.exec_driver_sql("INSERT INTO missing VALUES (1)")
    done = threading.Event()

    def write():
        with writing(), engine.begin() as connection:
            connection.exec_driver_sql("CREATE TABLE later (n INTEGER)")
        done.set()

    threading.Thread(target=write, daemon=True).start()
    assert done.wait(10), "the lock was still held after the rollback"
    engine.dispose()
