"""The declarative base, shared column types and per-database connection settings."""

import contextlib
import datetime as dt
import fcntl
import functools
import os
from contextvars import ContextVar
from typing import Any

from flask import has_request_context, request
from sqlalchemy import DateTime, MetaData, String, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import CursorResult, Engine, Result
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from sqlalchemy.orm import DeclarativeBase, Session, scoped_session
from sqlalchemy.types import TypeDecorator
from werkzeug.routing import IntegerConverter

# Constraint names that stay the same on every database, so migrations can name them.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


# The largest id a primary key can hold on both databases: SQLite's are 64-bit, but PostgreSQL's `integer`
# columns are 32-bit. A larger number names no row, and the databases refuse to compare it (PostgreSQL: integer
# out of range, sqlite3: OverflowError beyond 64 bits), so it is turned away before any query.
MAX_ID = 2**31 - 1
_MAX_ID_DIGITS = len(str(MAX_ID))


def id_from_text(text: str | None) -> int | None:
    """The row id written in `text` (a query argument), or None when no row can have it: not plain ASCII digits
    (str.isdigit also takes "²", which int() refuses), 0, or beyond MAX_ID."""
    if not text or len(text) > _MAX_ID_DIGITS or not (text.isascii() and text.isdigit()):
        return None
    value = int(text)
    return value if 0 < value <= MAX_ID else None


def is_database_id(value) -> bool:
    """Whether `value` (from a JSON body) could be the id of a row; bool is an int in Python, but no id."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_ID


def storable_text(text: str) -> bool:
    """Whether the databases can take `text`: PostgreSQL refuses NUL, both refuse lone surrogates
    (which JSON can spell as "\\ud800" but UTF-8 cannot encode)."""
    if "\x00" in text:
        return False
    try:
        text.encode()
    except UnicodeEncodeError:
        return False
    return True


#: What a rule takes as its database session: a plain Session (commands, tests, the simulation) or the app's
#: scoped session (`db.session` in a view), which hands each call to the session of the current context.
DbSession = Session | scoped_session[Any]


def rowcount(result: Result[*tuple[Any, ...]]) -> int:
    """The rows an UPDATE or DELETE matched. Its result is a CursorResult, which has the count; Session.execute is
    typed to return any Result, whose rows a SELECT may not know the number of."""
    if not isinstance(result, CursorResult):
        raise TypeError(f"no row count in a {type(result).__name__}: not the result of an UPDATE or DELETE")
    return result.rowcount


class DatabaseIdConverter(IntegerConverter):
    """`<id:name>` in a route: a row id, so a number no row can have is a 404 before any query."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("min", 1)
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


class Base(DeclarativeBase):
    """Base class of every model."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UTCDateTime(TypeDecorator):
    """A moment in time: stored in UTC, always returned timezone-aware.

    SQLite has no timezone-aware type, so naive values read back are UTC by construction.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("UTCDateTime needs a timezone-aware datetime")
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


class StatusText(TypeDecorator):
    """A status column: stored as its text, read back as the area's StrEnum (so templates can ask its label)."""

    impl = String
    cache_ok = True

    def __init__(self, enum: type, length: int = 16):
        super().__init__(length)
        self.enum = enum

    def process_bind_param(self, value, dialect):
        return None if value is None else str(value)

    def process_result_value(self, value, dialect):
        return None if value is None else self.enum(value)


def insert_unless_present(db_session, model, values: dict):
    """INSERT ... ON CONFLICT DO NOTHING RETURNING id: the new row's id, or None when a unique key was taken.

    One statement instead of a savepoint around an INSERT that may fail: the savepoint's extra round trips
    were a quarter of a check-in's time (make bench).
    """
    statement = _insert_unless_present(db_session.get_bind().dialect.name, model)
    return db_session.execute(statement, values).scalar()


@functools.cache
def _insert_unless_present(dialect_name: str, model):
    """Built once per table: building it anew each time cost half as much again as running it."""
    dialect = postgresql if dialect_name == "postgresql" else sqlite
    return dialect.insert(model).on_conflict_do_nothing().returning(model.id)


def sql_values(values) -> str:
    """Known values for a CHECK constraint: `'a', 'b'` (statuses are StrEnums, their values plain words)."""
    return ", ".join(f"'{value}'" for value in values)


CLOCK_FILE_VARIABLE = "EVENTAPP_CLOCK_FILE"


def utcnow() -> dt.datetime:
    """The current moment, timezone-aware; under `flask simulate-day` the virtual clock's (see virtual_now)."""
    real = dt.datetime.now(dt.UTC)
    clock_file = os.environ.get(CLOCK_FILE_VARIABLE)
    return virtual_now(clock_file, real) if clock_file else real


def virtual_now(clock_file: str, real: dt.datetime) -> dt.datetime:
    """The simulation's clock: the file holds a virtual moment and the real moment it was set; time runs on from it.

    Every process of a simulated deployment (web workers, mail worker, scheduler commands) reads the same file, so
    they agree on the time; the script moves it forward instead of sleeping through weeks.
    """
    with open(clock_file, encoding="ascii") as file:
        virtual, set_at = file.read().split()
    return dt.datetime.fromisoformat(virtual) + (real - dt.datetime.fromisoformat(set_at))


_WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_writing: ContextVar[bool] = ContextVar("writing", default=False)


@contextlib.contextmanager
def writing():
    """Transactions begun inside take SQLite's write lock at BEGIN, as write requests do.

    For work outside a POST request (the mail sender, commands) that reads and then writes in one
    transaction: without it, SQLite refuses the upgrade from reader to writer at once ("database
    is locked") while another writer is busy, instead of waiting its turn.
    """
    token = _writing.set(True)
    try:
        yield
    finally:
        _writing.reset(token)


def writes(command):
    """A command that writes: its transactions take the write lock at BEGIN and wait their turn, as requests do.

    Without it, a command that reads and then writes fails at once with "database is locked" on
    SQLite while the served app writes (PostgreSQL's row locks already wait).
    """

    @functools.wraps(command)
    def in_turn(*args, **kwargs):
        with writing():
            return command(*args, **kwargs)

    return in_turn


def configure_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    """WAL, foreign keys and a busy timeout on every SQLite connection.

    A request that writes (and code inside `writing()`) starts its transaction with BEGIN
    IMMEDIATE: it takes the write lock up front and waits its turn, instead of failing with
    "database is locked" when a read transaction tries to become a write transaction while
    another writer is busy.

    Writers wait their turn on a lock file beside the database (flock), which the kernel hands
    over as soon as it is free. SQLite's own busy handler polls with sleeps of up to 100 ms, so
    under a rush some writers waited over a second while others came and went (make bench: p99
    of a check-in 0.6-1.4 s). The busy timeout stays as the backstop for writers that bypass the
    lock (migrations, the sqlite3 shell). A thread must not begin a second writing transaction
    while it holds one: it would wait for itself.
    """
    lock_path = writer_lock_path(engine)

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN itself, below
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        # Deleted and overwritten content is zeroed, not left in free pages where a copy of the file would keep it.
        cursor.execute("PRAGMA secure_delete=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection):
        writes = _writing.get() or (has_request_context() and request.method in _WRITE_METHODS)
        if writes and lock_path is not None:
            _take_writer_lock(connection.info, lock_path)
        try:
            connection.exec_driver_sql("BEGIN IMMEDIATE" if writes else "BEGIN")
        except BaseException:
            _release_writer_lock(connection.info)
            raise

    @event.listens_for(engine, "commit")
    @event.listens_for(engine, "rollback")
    def on_end(connection):
        _release_writer_lock(connection.info)

    @event.listens_for(engine.pool, "reset")
    def on_return(_dbapi_connection, record, _reset_state):
        _release_writer_lock(record.info)

    @event.listens_for(engine.pool, "close")
    def on_close(_dbapi_connection, record):
        _release_writer_lock(record.info)
        if "writer_lock_fd" in record.info:
            os.close(record.info.pop("writer_lock_fd"))


def checkpoint_erased(engine: Engine) -> bool:
    """After an erase is committed on SQLite: copy the WAL into the database file and empty it.

    Until a checkpoint the erased values still sit in the `-wal` file. Best effort: while another
    connection reads, SQLite answers "busy" and the rest waits for the next checkpoint (SQLite's
    automatic one, or the next erase). Returns True when the WAL was emptied. PostgreSQL keeps
    old row versions until VACUUM, which autovacuum runs on its own; nothing to do here.
    """
    if engine.dialect.name != "sqlite":
        return True
    connection = engine.raw_connection()  # outside SQLAlchemy's BEGIN: a checkpoint cannot run in a transaction
    try:
        busy, _log, _moved = connection.cursor().execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    finally:
        connection.close()
    return busy == 0


def writer_lock_path(engine: Engine) -> str | None:
    """The lock file beside a SQLite database file (none for an in-memory database)."""
    database = engine.url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return database + "-writer.lock"


def _take_writer_lock(info: dict, lock_path: str) -> None:
    """Block until this connection is the one writer; each connection has its own file description."""
    if "writer_lock_fd" not in info:
        info["writer_lock_fd"] = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(info["writer_lock_fd"], fcntl.LOCK_EX)
    info["writer_lock_held"] = True


def _release_writer_lock(info: dict) -> None:
    if info.pop("writer_lock_held", False):
        fcntl.flock(info["writer_lock_fd"], fcntl.LOCK_UN)


# The database is out of reach (refused or dropped connections, a server shutting down, locks or the pool waited on
# too long): the same request or round may succeed later, so pages answer 503 and workers wait and try again.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError, PoolTimeoutError)
