"""The whole simulated day (`flask simulate-day`) in the bench: its figures per phase go into the bench table."""

import json
import subprocess
import sys
from pathlib import Path

from tests.served import PROJECT_ROOT

PEOPLE = 1000
REDIS_URL = "redis://127.0.0.1:6379/15"  # a database of its own on the machine's Redis


def simulate(people: int, database_url: str | None, workdir: Path) -> dict:
    """Play the day (four desks, preference mode) on SQLite, or on PostgreSQL with Redis; the run's JSON report."""
    report = workdir / f"day-{'postgresql' if database_url else 'sqlite'}.json"
    command = [sys.executable, "-m", "flask", "--app", "wsgi", "simulate-day", "--people", str(people)]
    command += ["--mode", "preferences", "--json", str(report)]
    if database_url:
        command += ["--database", database_url, "--redis", REDIS_URL]
    run = subprocess.run(command, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=3600)
    if not report.exists():
        raise RuntimeError(
            f"simulate-day wrote no report ({run.returncode}):\n{run.stdout[-3000:]}{run.stderr[-3000:]}"
        )
    return json.loads(report.read_text(encoding="utf-8"))


def phase_rows(report: dict) -> list[tuple[str, int, int, dict | None]]:
    """(phase, requests, mails, its slowest route by p99) per phase of the day, in the order played."""
    rows = []
    for phase, figures in report["phases"].items():
        routes = [route for route in report["routes"] if route["phase"] == phase]
        slowest = max(routes, key=lambda route: route["p99_ms"], default=None)
        rows.append((phase, figures["requests"], figures["mails"], slowest))
    return rows


def broken(report: dict) -> list[str]:
    """The invariants that did not hold, as `[phase] name: figure`."""
    return [f"[{c['phase']}] {c['name']}: {c['figure']}" for c in report["invariants"] if not c["held"]]
