"""Serving the app for real (gunicorn, as in production) to tests that need a network stack."""

import contextlib
import os
import subprocess
import sys
import time
from pathlib import Path

import requests

from eventapp.simulation.stage import free_port, stop_process

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@contextlib.contextmanager
def served_app(database_url: str, log_path: Path, workers: int = 3, threads: int = 8, env: dict | None = None):
    """Run gunicorn on a free loopback port against `database_url`; yields the base URL."""
    with serving(database_url, log_path, workers, threads, env) as (base_url, _process):
        yield base_url


@contextlib.contextmanager
def serving(
    database_url: str,
    log_path: Path,
    workers: int = 3,
    threads: int = 8,
    env: dict | None = None,
    app: str = "wsgi:app",
):
    """Like served_app, yielding (base URL, the gunicorn process): its own process group, so a test can kill it all.

    `app` is the WSGI application gunicorn loads; the benchmark also serves its bare ceiling app this way.
    """
    port = free_port()
    # Races measure the seat rules, not the rate limits: one client address sends every request here.
    limits = {
        "EVENTAPP_REGISTRATION_RATE_LIMIT": "100000 per minute",
        "EVENTAPP_REGISTRATION_PREFIX_RATE_LIMIT": "100000 per minute",
        "EVENTAPP_CHECKIN_RATE_LIMIT": "100000 per minute",
    }
    environment = {**os.environ, "EVENTAPP_ENV": "testing", "DATABASE_URL": database_url, **limits, **(env or {})}
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--bind",
        f"127.0.0.1:{port}",
        "--graceful-timeout",
        "5",
        app,
    ]
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            command, cwd=PROJECT_ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        base_url = f"http://127.0.0.1:{port}"
        try:
            wait_until_up(base_url, process, log_path)
            yield base_url, process
        finally:
            stop_process(process)


def wait_until_up(base_url: str, process: subprocess.Popen, log_path: Path, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited:\n{log_path.read_text(errors='replace')}")
        with contextlib.suppress(requests.ConnectionError, requests.Timeout):
            if requests.get(base_url + "/", timeout=10).status_code == 200:
                return
        time.sleep(0.1)
    raise RuntimeError(f"gunicorn did not answer within {timeout}s:\n{log_path.read_text(errors='replace')}")
