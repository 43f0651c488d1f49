"""The release of no-show seats inside the web process, for `make run` (the dev server has no scheduler).

Production runs `flask release-no-shows --due` from the scheduler instead (eventapp/scheduler.py):
there are many web workers, and one clock is enough. Both call the same `release.release_due`.
"""

import datetime as dt
import logging
import threading

from flask import Flask

from eventapp.checkin import release
from eventapp.platform.db import utcnow, writing
from eventapp.platform.extensions import db
from eventapp.platform.settings import Settings, settings

log = logging.getLogger(__name__)
POLL_SECONDS = 60


def tick(app: Flask, now: dt.datetime | None = None) -> dict[str, release.Plan]:
    """One round: release what is due now at today's events, and commit."""
    with app.app_context(), writing():
        try:
            minutes = settings().release_minutes_before
            plans = release.release_due(db.session, now or utcnow(), minutes)
            db.session.commit()
            for slug, plan in plans.items():
                log.info("%s: %s seats released, %s seated from the door", slug, plan.released, plan.seated)
            return plans
        finally:
            db.session.remove()


class ReleaseClock:
    """A daemon thread that runs `tick` every minute, started by the first request."""

    def __init__(self, app: Flask):
        self.app = app
        self.stopping = threading.Event()
        self.thread: threading.Thread | None = None
        self.lock = threading.Lock()

    def start(self) -> None:
        with self.lock:
            if self.thread is None:
                self.thread = threading.Thread(target=self.run, name="release-clock", daemon=True)
                self.thread.start()

    def stop(self) -> None:
        self.stopping.set()
        if self.thread is not None:
            self.thread.join(timeout=30)

    def run(self) -> None:
        while not self.stopping.is_set():
            try:
                tick(self.app)
            except Exception:  # keep the clock going; the next minute tries again
                log.exception("release round failed")
            self.stopping.wait(timeout=POLL_SECONDS)


def init_app(app: Flask) -> None:
    """Under `make run` (RELEASE_IN_PROCESS), start the clock with the first request."""
    if Settings.from_config(app.config).release_in_process:
        clock = ReleaseClock(app)
        app.extensions["release_clock"] = clock
        app.before_request(clock.start)
