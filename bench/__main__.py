"""`make bench`: serve the app as production does, run the rushes of a program day against it, print one table.

Every scenario runs against gunicorn with the README's settings on a fresh database seeded with the demo day, and
is driven by wrk. The ceiling (a bare WSGI app answering `ok`) is served and loaded the same way in the same run,
so each figure is also given as a fraction of what this machine can do at all.
"""

import argparse
import contextlib
import os
import platform
import secrets
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg
import requests

from bench import allocation, data, day, exports, wrk
from bench.table import Row, Table
from tests.served import PROJECT_ROOT, serving

WORKERS, THREADS = 2, 4  # the README's production command: gunicorn --workers 2 --threads 4
PAGE_LOAD = wrk.Load(threads=4, connections=64)
RUSH_LOAD = wrk.Load(threads=32, connections=32)  # a thread per browser: each one GETs the form, then POSTs it
DESK_LOAD = wrk.Load(threads=16, connections=16)  # a thread per desk, each with its own device token
PEOPLE = 500
SCANS, REPEATED, FORGED = 2000, 0.10, 0.05
BIG_DAY = 10_000
POSTGRES_ADMIN_URL = os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
POSTGRES_DATABASE = "eventapp_bench"


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--databases", default="sqlite,postgresql", help="comma-separated: sqlite, postgresql")
    parser.add_argument("--seconds", type=float, default=10, help="length of each timed run (default 10)")
    parser.add_argument("--only-allocation", action="store_true", help="the allocation's rows alone (no server)")
    parser.add_argument(
        "--day-people",
        type=int,
        default=day.PEOPLE,
        help=f"people of the simulated day (default {day.PEOPLE}; 0: none)",
    )
    options = parser.parse_args()
    if options.only_allocation:
        return allocation_only()
    if shutil.which("wrk") is None:
        sys.exit("bench: wrk is missing (make bench installs it from Debian's packages)")

    # Stopped from outside: unwind as on Ctrl-C, so the servers it started stop and its files go.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    workdir = Path(tempfile.mkdtemp(prefix="eventapp-bench-"))
    secret_key = secrets.token_urlsafe(48)
    bench = Bench(workdir, secret_key, options.seconds)
    try:
        print(machine_summary(), flush=True)
        bench.ceilings("before the scenarios")
        allocation_rows(bench.table)
        for database in options.databases.split(","):
            with database_url(database.strip(), workdir) as url:
                bench.program_day(database.strip(), url)
            if options.day_people:
                simulated_day(bench.table, database.strip(), options.day_people, workdir)
        bench.ceilings("after the scenarios")  # the machine is shared: its speed drifts
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print()
    bench.table.evaluate()
    print(bench.table.render())
    print()
    failures = bench.table.report_targets()
    return 1 if failures else 0


def allocation_rows(table: Table) -> None:
    print("allocation: 1,000, 5,000 and 20,000 people over 12 sessions, and an independent formulation", flush=True)
    for people in allocation.SIZES:
        measured = allocation.measure([people])[0]
        print(f"  {allocation.describe(measured)}", flush=True)
        table.allocation(measured)


def simulated_day(table: Table, database: str, people: int, workdir: Path) -> None:
    """The whole day played by `flask simulate-day`, on a fresh database of its own (PostgreSQL with Redis)."""
    print(f"{database}: the simulated day, {people:,} people, four desks", flush=True)
    server = POSTGRES_ADMIN_URL if database == "postgresql" else None
    report = day.simulate(people, server, workdir)
    print(f"  {report['summary']['result']} in {report['summary']['seconds']} s", flush=True)
    table.day(database, report)


def allocation_only() -> int:
    table = Table()
    allocation_rows(table)
    print()
    print(table.render())
    print()
    return 1 if table.report_targets() else 0


class Bench:
    def __init__(self, workdir: Path, secret_key: str, seconds: float):
        self.workdir, self.secret_key, self.seconds = workdir, secret_key, seconds
        self.table = Table()

    def environment(self) -> dict[str, str]:
        """Production settings, but: the per-address limits are raised, since every client here is 127.0.0.1, and
        cookies go over plain HTTP on loopback (a browser would not send a Secure cookie there)."""
        return {
            "EVENTAPP_SESSION_COOKIE_SECURE": "false",
            "EVENTAPP_ALLOW_INSECURE_COOKIES": "true",
            "EVENTAPP_ENV": "production",
            "EVENTAPP_SECRET_KEY": self.secret_key,
            "EVENTAPP_REGISTRATION_RATE_LIMIT": "1000000 per minute",
            "EVENTAPP_CHECKIN_RATE_LIMIT": "1000000 per minute",
            "EVENTAPP_LOGIN_RATE_LIMIT": "1000000 per minute",
            **data.PRODUCTION_ADDRESSES,
        }

    @contextlib.contextmanager
    def served(self, url: str, app: str = "wsgi:app"):
        log = self.workdir / "gunicorn.log"
        with serving(url, log, WORKERS, THREADS, self.environment(), app) as (base_url, process):
            yield base_url, process

    def step(self, text: str) -> None:
        print(f"  {text}", flush=True)

    def ceilings(self, when: str) -> None:
        print(f"ceiling, {when}: a bare WSGI app under the same gunicorn settings and wrk loads", flush=True)
        with self.served(f"sqlite:///{self.workdir / 'unused.db'}", "bench.ceiling:app") as (base_url, _):
            for load in (DESK_LOAD, RUSH_LOAD, PAGE_LOAD):
                result = wrk.run(base_url + "/", load, "page", self.workdir, self.seconds)
                self.table.ceiling(load, result)
                self.step(f"{load}: {result.per_second:,.0f} requests/s")

    def program_day(self, database: str, url: str) -> None:
        print(f"{database}: migrating and seeding the demo day", flush=True)
        flask = [sys.executable, "-m", "flask", "--app", "wsgi"]
        environment = {**os.environ, **self.environment(), "DATABASE_URL": url}
        for command in (["db", "upgrade"], ["seed-demo"]):
            subprocess.run([*flask, *command], cwd=PROJECT_ROOT, env=environment, check=True, capture_output=True)
        app = data.bench_app(url, self.secret_key)
        slots = data.prepare_day(app, registrations=10)
        page = f"/e/{data.DEMO_SLUG}/"

        with self.served(url) as (base_url, _):
            self.event_page(database, app, url, base_url, page, "10")
            self.step(f"registration rush: {PEOPLE} people, {data.RUSH_SEATS} seats per session")
            warm_up(base_url + f"/e/{data.DEMO_SLUG}/register")
            plan = {
                "path": f"/e/{data.DEMO_SLUG}/register",
                "people": PEOPLE,
                "clients": RUSH_LOAD.connections,
                "forms": [data.rush_form(number, slots) for number in range(PEOPLE)],
            }
            result = wrk.run(base_url + "/", RUSH_LOAD, "register", self.workdir, 600, plan)
            answers = {}
            for line in result.lines.get("answers", []):
                number, status, location = line.split(" ", 2)
                answers[int(number)] = (int(status), location)
            check = data.check_rush(app, answers, PEOPLE)
            self.table.add(
                Row("registration rush", database, RUSH_LOAD, result),
                rush=check,
                failed_forms=result.counts.get("no_form", 0),
            )

        self.step(f"growing the day to {BIG_DAY:,} registrations")
        data.fill_to(app, BIG_DAY)
        with self.served(url) as (base_url, _):
            self.event_page(database, app, url, base_url, page, f"{BIG_DAY:,}")
            self.step(f"walk-in: {SCANS:,} scans from {DESK_LOAD.connections} desks")
            plan = {"path": "/api/v1/checkin", **data.walk_in_plan(app, DESK_LOAD.connections, SCANS, REPEATED, FORGED)}
            # Scans are all recorded, so the warm-up asks for the desk counters instead.
            warm_up(base_url + "/api/v1/checkin/counts", {"Authorization": f"Bearer {plan['desks'][0]['token']}"})
            result = wrk.run(base_url + "/", DESK_LOAD, "checkin", self.workdir, 600, plan)
            self.table.add(
                Row("walk-in (check-in API)", database, DESK_LOAD, result),
                walk_in=data.check_walk_in(app),
                expected_arrivals=SCANS - round(SCANS * REPEATED) - round(SCANS * FORGED),
                scans=SCANS,
            )
            self.mixed_load(database, app, base_url, slots, alone=result)

        password = data.create_organiser(app)
        for fmt in ("csv", "xlsx"):
            self.step(f"export of {BIG_DAY:,} as {fmt.upper()}")
            with self.served(url) as (base_url, process):
                measured = exports.measure(base_url, process.pid, data.ORGANISER_EMAIL, password, data.DEMO_SLUG, fmt)
            self.table.export(database, fmt, measured, BIG_DAY + PEOPLE)  # the mixed load's rush too

    def mixed_load(self, database: str, app, base_url: str, slots: list[dict], alone: wrk.Result) -> None:
        """A registration rush and the desks at once, against one server: the desks must not queue behind it."""
        self.step(f"mixed: a rush of {PEOPLE} registrations while {DESK_LOAD.connections} desks scan {SCANS:,} codes")
        desks = data.walk_in_plan(app, DESK_LOAD.connections, SCANS, REPEATED, FORGED, seed=7, name="Mixed desk")
        rush = {
            "path": f"/e/{data.DEMO_SLUG}/register",
            "people": PEOPLE,
            "clients": RUSH_LOAD.connections,
            "forms": [data.rush_form(number, slots, prefix="mixed") for number in range(PEOPLE)],
        }
        before = data.check_walk_in(app)
        with ThreadPoolExecutor(max_workers=2) as pool:
            registering = pool.submit(wrk.run, base_url + "/", RUSH_LOAD, "register", self.workdir, 600, rush)
            scanning = pool.submit(
                wrk.run, base_url + "/", DESK_LOAD, "checkin", self.workdir, 600, {"path": "/api/v1/checkin", **desks}
            )
            rushed, scanned = registering.result(), scanning.result()
        answers = {}
        for line in rushed.lines.get("answers", []):
            number, status, location = line.split(" ", 2)
            answers[int(number)] = (int(status), location)
        after = data.check_walk_in(app)
        desks_row = Row("mixed: walk-in during a registration rush", database, DESK_LOAD, scanned)
        desks_row.notes.append(f"desks alone p99 {alone.p99_ms:.1f} ms; the rush's p99 {rushed.p99_ms:.1f} ms")
        self.table.add(
            desks_row,
            walk_in=data.WalkInCheck(after.arrivals - before.arrivals, after.scans_recorded - before.scans_recorded),
            expected_arrivals=SCANS - round(SCANS * REPEATED) - round(SCANS * FORGED),
            scans=SCANS,
            desks_alone=alone,
        )
        self.table.add(
            Row("mixed: registration rush beside the desks", database, RUSH_LOAD, rushed),
            rush=data.check_rush(app, answers, PEOPLE, prefix="mixed"),
            failed_forms=rushed.counts.get("no_form", 0),
        )

    def event_page(self, database: str, app, url: str, base_url: str, page: str, registrations: str) -> None:
        self.step(f"event page with {registrations} registrations")
        statements = data.statements_per_page(url, self.secret_key, page)
        result = wrk.run(base_url + page, PAGE_LOAD, "page", self.workdir, self.seconds)
        self.table.add(
            Row(f"event page, {registrations} registrations", database, PAGE_LOAD, result),
            statements=statements,
            kept_seconds=app.config["CACHE_DEFAULT_TIMEOUT"],
        )


def warm_up(url: str, headers: dict | None = None) -> None:
    """A server that has been up a while: every worker thread has loaded its templates and opened connections."""
    with ThreadPoolExecutor(max_workers=WORKERS * THREADS) as pool:
        answers = list(pool.map(lambda _: requests.get(url, headers=headers, timeout=30), range(4 * WORKERS * THREADS)))
    if any(answer.status_code != 200 for answer in answers):
        raise RuntimeError(f"warming up {url}: {sorted({answer.status_code for answer in answers})}")


@contextlib.contextmanager
def database_url(database: str, workdir: Path):
    """A fresh, empty database of the kind asked for; removed afterwards."""
    if database == "sqlite":
        yield f"sqlite:///{workdir / 'bench.db'}"
        return
    if database != "postgresql":
        sys.exit(f"bench: unknown database {database!r}")
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {POSTGRES_DATABASE} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {POSTGRES_DATABASE}")
    try:
        yield POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + "/" + POSTGRES_DATABASE
    finally:
        with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {POSTGRES_DATABASE} WITH (FORCE)")


def machine_summary() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if "model name" in line
        ),
        platform.processor(),
    )
    memory_kb = int(Path("/proc/meminfo").read_text().split()[1])
    wrk_version = subprocess.run(["wrk", "-v"], capture_output=True, text=True, check=False).stdout.split("[")[0]
    with psycopg.connect(POSTGRES_ADMIN_URL) as connection:
        postgres = connection.execute("SHOW server_version").fetchone()[0].split()[0]
    return (
        f"machine: {cpu}, {os.cpu_count()} cores, {memory_kb / 1024 / 1024:.0f} GiB, {platform.system()} "
        f"{platform.release()}\n"
        f"software: Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, PostgreSQL {postgres}, "
        f"{wrk_version.strip()}; gunicorn --workers {WORKERS} --threads {THREADS}, on loopback"
    )


if __name__ == "__main__":
    sys.exit(main())
