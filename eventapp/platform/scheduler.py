"""`flask run-scheduler`: the one process that runs the timed jobs of a deployment (APScheduler).

Run exactly one per deployment (deploy/: a systemd service, or the compose file's `scheduler`),
never inside the web workers, which are many. Each job is the same `flask` command a person
would type, run as a child process: a job that fails or hangs does not take the scheduler down,
and its output lands in the scheduler's log. Times are wall-clock times of EVENT_TIMEZONE; a job
missed while the scheduler was down runs once when it comes back (within the grace time).
The mail worker (`flask send-mail --loop`) is a process of its own, not a job.
"""

import logging
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

import click
from flask import current_app
from flask.cli import with_appcontext

from eventapp.platform.settings import settings

log = logging.getLogger(__name__)
GRACE_SECONDS = 6 * 3600
JOB_TIMEOUT_SECONDS = 3600


@dataclass(frozen=True)
class Job:
    """A flask command and the wall-clock time it runs every day, or (`every_minutes`) how often it runs."""

    command: tuple[str, ...]
    hour: int = 0
    minute: int = 0
    every_minutes: int = 0

    def trigger(self, zone: ZoneInfo):
        """Every day at hour:minute, or at every `every_minutes`-th minute of the hour (wall-clock, like the rest)."""
        from apscheduler.triggers.cron import CronTrigger

        if self.every_minutes:
            return CronTrigger(minute=f"*/{self.every_minutes}", timezone=zone)
        return CronTrigger(hour=self.hour, minute=self.minute, timezone=zone)

    @property
    def name(self) -> str:
        return " ".join(self.command)

    @property
    def when(self) -> str:
        return f"every {self.every_minutes} min" if self.every_minutes else f"{self.hour:02d}:{self.minute:02d}"


JOBS = (
    # The day-before reminder for tomorrow's events; the mail worker delivers them.
    Job(("send-reminders",), 9, 0),
    # After the day: a feedback request (with the statement's link) to everyone who came, once each.
    Job(("send-feedback-requests",), 18, 0),
    # AVG: personal data of events that ended RETENTION_DAYS ago, and newsletter sign-ups never confirmed.
    Job(("purge-personal-data",), 3, 30),
    Job(("purge-unconfirmed",), 3, 45),
    # On the day: seats of people who have not come go to the people at the door, at each slot's release moment.
    Job(("release-no-shows", "--due"), every_minutes=1),
    # Before the day: seats held longer than UNCONFIRMED_HOLD_HOURS by people who never opened their link go to
    # the waitlist (at most 15 min late).
    Job(("release-unclaimed",), every_minutes=15),
    # On the day: the session seats held at its start are written down (statements and feedback rest on them
    # where doors are not scanned; the first seat change of the day does it too, should this be late).
    Job(("freeze-day-seats",), every_minutes=15),
    # Preference mode: allocate the session seats of events whose ranking deadline passed (at most 10 min late).
    Job(("allocate", "--due"), every_minutes=10),
)


def run_job(job: Job, project_root: Path) -> int:
    """Run one job as `flask --app wsgi <command>`; log its outcome and output."""
    command = [sys.executable, "-m", "flask", "--app", "wsgi", *job.command]
    try:
        done = subprocess.run(
            command, cwd=project_root, capture_output=True, text=True, timeout=JOB_TIMEOUT_SECONDS, check=False
        )
    except subprocess.TimeoutExpired:
        log.error("job %s: no answer after %s s, stopped", job.name, JOB_TIMEOUT_SECONDS)
        return -1
    output = (done.stdout + done.stderr).strip()
    level = logging.INFO if done.returncode == 0 else logging.ERROR
    log.log(level, "job %s: exit %s %s", job.name, done.returncode, output[-2000:])
    return done.returncode


def build_scheduler(timezone: str, project_root: Path):
    """A blocking APScheduler with every job of JOBS at its time; one run at a time per job."""
    from apscheduler.schedulers.blocking import BlockingScheduler

    zone = ZoneInfo(timezone)
    scheduler = BlockingScheduler(
        timezone=zone, job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": GRACE_SECONDS}
    )
    for job in JOBS:
        scheduler.add_job(run_job, job.trigger(zone), args=(job, project_root), id=job.name, name=job.name)
    return scheduler


@click.command("run-scheduler")
@click.option("--list", "list_only", is_flag=True, help="Print the jobs and their times, and exit.")
@with_appcontext
def run_scheduler_command(list_only: bool) -> None:
    """Run the timed jobs (mails, purges, no-show and unclaimed seats, allocations); one per deployment."""
    timezone = settings().event_timezone
    for job in JOBS:
        click.echo(f"{job.when} {timezone}  flask {job.name}")
    if list_only:
        return
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    scheduler = build_scheduler(timezone, Path(current_app.root_path).parent)
    scheduler.start()
