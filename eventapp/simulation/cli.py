"""`flask simulate-day`: a fresh database, the deployment started, the day played, the report printed."""

import contextlib
import os
import shutil
import sys
import tempfile
import time
import uuid
from pathlib import Path

import click
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from eventapp.platform.settings import normalise_database_url
from eventapp.simulation import report
from eventapp.simulation.invariants import InvariantBroken
from eventapp.simulation.run import DayScript, Plan
from eventapp.simulation.stage import Stage
from eventapp.simulation.traffic import SimulationError


@click.command("simulate-day")
@click.option("--people", default=400, show_default=True, type=click.IntRange(20, 20_000))
@click.option("--mode", type=click.Choice(["fcfs", "preferences"]), default="fcfs", show_default=True)
@click.option(
    "--database",
    "database",
    default=None,
    help="A PostgreSQL server (postgresql://...): the day gets a fresh database there. Default: DATABASE_URL"
    " when it is PostgreSQL, else a fresh SQLite file.",
)
@click.option("--redis", "redis_url", default=None, help="Redis for rate limits and the page cache (redis://...).")
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 16), help="gunicorn workers.")
@click.option("--seed", default=7, show_default=True, type=int)
@click.option("--json", "json_path", type=click.Path(dir_okay=False, path_type=Path), help="Write the report here.")
@click.option(
    "--keep",
    "keep",
    type=click.Path(file_okay=False, path_type=Path),
    help="Keep the logs, the clock and the SQLite database in this folder.",
)
def simulate_day_command(people, mode, database, redis_url, workers, seed, json_path, keep) -> None:
    """Play a whole program day against the app served as in production; fail on the first broken invariant."""
    work = Path(keep) if keep else Path(tempfile.mkdtemp(prefix="eventapp-day-"))
    work.mkdir(parents=True, exist_ok=True)
    server = database or (os.environ.get("DATABASE_URL") if "postgres" in os.environ.get("DATABASE_URL", "") else None)
    started = time.monotonic()
    with fresh_database(server, work) as database_url:
        stage = Stage(work, database_url, redis_url, workers)
        script = DayScript(stage, Plan(people, mode, seed), database_url)
        broken = None
        try:
            with stage:
                script.play()
        except (InvariantBroken, SimulationError) as error:
            broken = error
        summary = {
            "people": people,
            "mode": mode,
            "database": make_url(database_url).get_backend_name(),
            "seconds": round(time.monotonic() - started, 1),
            "result": "broken" if broken else "held",
        }
        result = report.as_json(script.checks.checks, script.traffic.figures(), script.phase_figures, summary)
    report.write(result, json_path)
    click.echo(report.table(result))
    if not keep:
        shutil.rmtree(work, ignore_errors=True)
    if broken is not None:
        click.echo(f"\nBROKEN: {broken}\nlogs: {work if keep else '(use --keep DIR to keep them)'}", err=True)
        sys.exit(1)


@contextlib.contextmanager
def fresh_database(server: str | None, work: Path):
    """A new, empty database for the day: a SQLite file in the work folder, or a database on the PostgreSQL server."""
    if server is None:
        yield f"sqlite:///{work / 'day.db'}"
        return
    url = make_url(normalise_database_url(server))
    name = f"eventapp_day_{uuid.uuid4().hex[:10]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
