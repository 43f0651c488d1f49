"""Fixtures: an app per test on its own database, SQLite by default, PostgreSQL on request.

Mark a test `@pytest.mark.both_databases` to run it on SQLite and on PostgreSQL. The PostgreSQL
half runs when a server answers at TEST_POSTGRES_URL (default: the local one) and is skipped,
with a reason in the summary, when none does; REQUIRE_POSTGRES=1 (set by .ci/run) turns that
skip into a failure.
"""

import os
import shutil
import uuid

import psycopg
import pytest
from flask_migrate import upgrade
from sqlalchemy.engine import make_url

from eventapp import create_app
from eventapp.platform.extensions import db

POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
REQUIRE_POSTGRES = os.environ.get("REQUIRE_POSTGRES", "") not in ("", "0", "false", "no")
BACKENDS = ("sqlite", "postgresql")


def pytest_generate_tests(metafunc):
    """Run tests marked both_databases once per backend."""
    if metafunc.definition.get_closest_marker("both_databases") and "backend" in metafunc.fixturenames:
        metafunc.parametrize("backend", BACKENDS, indirect=True)


def pytest_report_header(config):
    """Say up front which PostgreSQL the suite will use."""
    mode = "required" if REQUIRE_POSTGRES else "optional (skipped when unreachable)"
    return f"PostgreSQL for the both_databases tests: {POSTGRES_URL} ({mode})"


@pytest.fixture
def backend(request) -> str:
    """The database kind of this test: 'sqlite' unless parametrised by both_databases."""
    return getattr(request, "param", "sqlite")


class PostgresAdmin:
    """Creates and drops throw-away databases on the test server."""

    def __init__(self, url: str):
        self.url = url

    def execute(self, sql: str) -> None:
        with psycopg.connect(self.url, autocommit=True, connect_timeout=3) as conn:
            conn.execute(sql)

    def database_url(self, name: str) -> str:
        """SQLAlchemy address of database `name` on the same server."""
        url = make_url(self.url).set(drivername="postgresql+psycopg", database=name)
        return url.render_as_string(hide_password=False)

    def create(self, template: str | None = None) -> str:
        name = f"eventapp_test_{uuid.uuid4().hex[:12]}"
        self.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
        return name

    def drop(self, name: str) -> None:
        self.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def postgres() -> PostgresAdmin:
    """The PostgreSQL test server, or a skip (a failure when REQUIRE_POSTGRES is set)."""
    admin = PostgresAdmin(POSTGRES_URL)
    try:
        admin.execute("SELECT 1")
    except psycopg.OperationalError as error:
        message = f"PostgreSQL half skipped: no server at {POSTGRES_URL} ({error.__class__.__name__})"
        if REQUIRE_POSTGRES:
            pytest.fail(message.replace("skipped", "required") + "; REQUIRE_POSTGRES is set", pytrace=False)
        pytest.skip(message + "; set REQUIRE_POSTGRES=1 to make this a failure")
    return admin


def migrate_database(url: str) -> None:
    """Bring the database at `url` to the newest schema with the project's migrations."""
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        db.engine.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> str:
    """A migrated SQLite file that each test copies (much faster than migrating every time)."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    migrate_database(f"sqlite:///{path}")
    return str(path)


@pytest.fixture(scope="session")
def postgres_template(request) -> str:
    """A migrated PostgreSQL database that each test clones."""
    admin = request.getfixturevalue("postgres")
    name = admin.create()
    request.addfinalizer(lambda: admin.drop(name))
    migrate_database(admin.database_url(name))
    return name


@pytest.fixture
def empty_database_url(backend, tmp_path, request) -> str:
    """An empty database of the test's backend (for migration tests)."""
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'empty.db'}"
    admin = request.getfixturevalue("postgres")
    name = admin.create()
    request.addfinalizer(lambda: admin.drop(name))
    return admin.database_url(name)


@pytest.fixture
def database_url(backend, tmp_path, request) -> str:
    """A migrated database of the test's backend, private to this test."""
    if backend == "sqlite":
        path = tmp_path / "eventapp.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    admin = request.getfixturevalue("postgres")
    name = admin.create(template=request.getfixturevalue("postgres_template"))
    request.addfinalizer(lambda: admin.drop(name))
    return admin.database_url(name)


@pytest.fixture
def app_settings() -> dict:
    """Extra settings for `app`; a test module overrides this fixture to change them."""
    return {}


@pytest.fixture
def app(database_url, app_settings):
    """The app in its testing settings on this test's database.

    No app context stays pushed: test-client requests get their own, as in production
    (a shared one would share the database session and its cached rows between requests).
    """
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": database_url, **app_settings})
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def app_context(app):
    """An app context for tests that call services and query the database directly."""
    with app.app_context():
        yield
        db.session.remove()


@pytest.fixture
def client(app):
    """A test client of `app`, as an English-speaking browser (the assertions are in English).

    Tests of the Dutch default make a client of their own that names no language.
    """
    test_client = app.test_client()
    test_client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return test_client


@pytest.fixture
def runner(app):
    """A CLI runner of `app`."""
    return app.test_cli_runner()


def load_demo(app) -> str:
    """Load the demo program day as `flask seed-demo` does; returns its slug."""
    from eventapp.demo.day import load_demo_day
    from eventapp.platform.db import utcnow

    with app.app_context():
        event = load_demo_day(db.session, utcnow(), app.config["EVENT_TIMEZONE"])
        db.session.commit()
        return event.slug


@pytest.fixture
def demo_slug(app) -> str:
    """The demo day in the database, for HTTP tests."""
    return load_demo(app)


@pytest.fixture
def demo_event(app, app_context):
    """The demo day in the database, as an Event in the current app context."""
    from sqlalchemy import select

    from eventapp.events.models import Event

    slug = load_demo(app)
    return db.session.scalar(select(Event).where(Event.slug == slug))


@pytest.fixture
def make_event(app):
    """A callable that adds a small event: two choice slots with the given seat counts.

    make_event(day_capacity=10, theme=[2, 2], pilot=[1, 3], opens_in=..., closes_in=...)
    Call it inside an app context (domain tests use the `app_context` fixture; HTTP tests open
    one of their own, so that the test client's requests do not share it).
    """
    import datetime as dt

    from eventapp.events.models import AgendaItem, Event, Session
    from eventapp.platform.db import utcnow

    counter = iter(range(1, 1_000_000))

    def make(
        day_capacity=10, theme=(2, 2), pilot=(2, 2), opens_in=dt.timedelta(days=-1), closes_in=dt.timedelta(days=20)
    ):
        number = next(counter)
        now = utcnow()
        event = Event(
            slug=f"test-day-{number}",
            title_nl=f"Testdag {number}",
            title_en=f"Test day {number}",
            date=(now + dt.timedelta(days=30)).date(),
            venue="Zwolle",
            capacity=day_capacity,
            registration_opens_at=now + opens_in,
            registration_closes_at=now + closes_in,
        )
        event.agenda_items.append(
            AgendaItem(
                starts_at=dt.time(13, 30), ends_at=dt.time(14), kind="plenary", title_nl="Inloop", title_en="Walk-in"
            )
        )
        for start, end, name, capacities in (
            (dt.time(14, 20), dt.time(15, 15), "Theme", theme),
            (dt.time(15, 30), dt.time(16, 20), "Pilot", pilot),
        ):
            slot = AgendaItem(starts_at=start, ends_at=end, kind="choice", title_nl=name, title_en=name)
            for position, capacity in enumerate(capacities):
                slot.sessions.append(
                    Session(
                        position=position,
                        title_nl=f"{name} {position}",
                        title_en=f"{name} {position}",
                        room=f"Room {position + 1}",
                        capacity=capacity,
                    )
                )
            event.agenda_items.append(slot)
        db.session.add(event)
        db.session.commit()
        return event

    return make


@pytest.fixture
def make_user(app):
    """A callable that creates a staff account and returns (email, password)."""
    from eventapp.platform.staff.services import create_user

    def make(role="desk", email=None, password="correct horse battery"):
        email = email or f"{role}-{uuid.uuid4().hex[:6]}@example.org"
        with app.app_context():
            create_user(db.session, email, role, password)
            db.session.commit()
        return email, password

    return make


@pytest.fixture
def make_device(app):
    """A callable that creates a scanner device token and returns the token."""
    from eventapp.platform.db import utcnow
    from eventapp.platform.staff.services import create_device_token

    def make(name=None):
        with app.app_context():
            _, token = create_device_token(db.session, name or f"scanner-{uuid.uuid4().hex[:6]}", None, utcnow())
            db.session.commit()
        return token

    return make


@pytest.fixture
def login(client):
    """A callable that logs the test client in as staff."""
    import re

    def do_login(email, password):
        page = client.get("/staff/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        return client.post("/staff/login", data={"csrf_token": token, "email": email, "password": password})

    return do_login


@pytest.fixture
def smtp_port():
    from tests.served import free_port

    return free_port()


@pytest.fixture
def smtp(smtp_port):
    """A real SMTP server on loopback (tests that use it point MAIL_PORT at `smtp_port` in their app_settings)."""
    from tests.mail.smtp import start_smtp

    controller, collector = start_smtp(smtp_port)
    yield collector
    controller.stop()


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory) -> str:
    """A Redis of the tests' own: a private redis-server on a free port when the binary is here, else
    TEST_REDIS_URL (default: the local one) if it answers. Tests still prefix their keys per run.
    Missing Redis skips, or fails when REQUIRE_POSTGRES is set (CI runs the production topology)."""
    import subprocess
    import time

    import redis

    from tests.served import free_port

    binary = shutil.which("redis-server")
    if binary:
        port = free_port()
        folder = tmp_path_factory.mktemp("redis")
        command = [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        process = subprocess.Popen(command, cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        url = f"redis://127.0.0.1:{port}/0"
        client = redis.Redis.from_url(url)
        for _ in range(100):
            try:
                client.ping()
                break
            except redis.ConnectionError:
                time.sleep(0.05)
        yield url
        process.terminate()
        process.wait(timeout=10)
        return
    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError as error:
        message = f"no redis-server binary and no Redis at {url} ({error.__class__.__name__})"
        if REQUIRE_POSTGRES:
            pytest.fail(message + "; REQUIRE_POSTGRES is set", pytrace=False)
        pytest.skip(message)
    yield url


@pytest.fixture(autouse=True)
def _fresh_vobject_time_zones():
    """vobject keeps the first VTIMEZONE it read under a TZID for the rest of the process, while each of our files
    carries its own, covering its own dates (as a calendar program reads it, per file). Without this, a winter-only
    Europe/Amsterdam read by an earlier test is applied to a summer date in a later one."""
    import vobject.icalendar

    zones = vars(vobject.icalendar)["__tzidMap"]
    kept = {tzid: zone for tzid, zone in zones.items() if tzid == "UTC"}
    zones.clear()
    zones.update(kept)
    yield


@pytest.fixture
def count_queries(app):
    """A context manager counting the SQL statements the app's engine runs inside it: `with count_queries() as n:`
    ... then `n.count`. Backs the docstrings that promise a fixed number of queries."""
    import contextlib

    from sqlalchemy import event as sa_event

    class Counted:
        count = 0

    @contextlib.contextmanager
    def counting():
        counted = Counted()

        def one_more(*_args, **_kwargs):
            counted.count += 1

        engine = db.engine
        sa_event.listen(engine, "before_cursor_execute", one_more)
        try:
            yield counted
        finally:
            sa_event.remove(engine, "before_cursor_execute", one_more)

    return counting
