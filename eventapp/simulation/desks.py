"""Four desks at walk-in, in parallel: two scanners at USB speed, one that loses its network for a while and
catches up, and one logged-in desk whose login is ended mid-shift (it keeps its queue and sends it after logging
in again). Every scan carries its own id, so the invariants can find each exactly once."""

import datetime as dt
import re
import threading
import uuid
from collections import Counter
from dataclasses import dataclass, field

import requests

from eventapp.checkin.models import ScanStatus
from eventapp.checkin.test_scans import NOT_TODAY
from eventapp.simulation.traffic import Browser, SimulationError

CSRF = re.compile(r'"csrf_token":\s*"([^"]+)"')
VERDICTS = {status.value for status in ScanStatus} | {NOT_TODAY}  # not_today: a verdict, recorded nowhere


@dataclass
class Scan:
    code: str
    scan_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    scanned_at: str | None = None
    session: int | None = None


@dataclass
class Desk:
    """One desk: a device token (Bearer) or a staff login (cookie and CSRF), and its offline queue."""

    name: str
    browser: Browser
    token: str = ""
    login: tuple[str, str] | None = None
    queue: list[Scan] = field(default_factory=list)
    verdicts: Counter = field(default_factory=Counter)
    sent: list[Scan] = field(default_factory=list)
    not_sent: Counter = field(default_factory=Counter)  # answers that were no verdict: the scan stayed queued
    csrf: str = ""
    last: dict = field(default_factory=dict)  # the last answer's body

    def headers(self) -> dict:
        headers = {"X-Desk": self.name}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        elif self.csrf:
            headers["X-CSRFToken"] = self.csrf
        return headers

    def log_in(self) -> None:
        if self.login is None:
            raise SimulationError(f"desk {self.name} has a device token, no staff login")
        email, password = self.login
        self.browser.submit("/staff/login", "", email=email, password=password)
        answer = self.browser.get("/staff/checkin/csrf.json")
        self.csrf = answer.json().get("csrf", "")

    def send(self, scan: Scan, slug: str) -> str | None:
        """One scan to the API; the verdict, or None when the answer was no verdict and the scan stays queued."""
        body: dict[str, str | int] = {"code": scan.code, "scan_id": scan.scan_id, "event": slug}
        if scan.scanned_at:
            body["scanned_at"] = scan.scanned_at
        if scan.session:
            body |= {"mode": "session", "session_id": scan.session}
        try:
            answer = self.browser.post("/api/v1/checkin", json=body, headers=self.headers())
        except requests.RequestException:
            self.not_sent["no network"] += 1
            return None
        status = (
            answer.json().get("status")
            if answer.headers.get("Content-Type", "").startswith("application/json")
            else None
        )
        if answer.status_code == 200 and status in VERDICTS:
            self.verdicts[status] += 1
            self.sent.append(scan)
            return status
        if answer.status_code >= 500:
            raise SimulationError(f"the scan API answered {answer.status_code} at {self.name}")
        self.not_sent[str(answer.status_code)] += 1
        return None

    def scan(self, scan: Scan, slug: str, offline: bool = False) -> None:
        """Scan now, or queue (offline, or the server gave no verdict) and send the queue once it answers."""
        if offline:
            self.queue.append(scan)
            return
        if self.send(scan, slug) is None:
            self.queue.append(scan)
            if self.login:
                self.log_in()  # "Not sent yet: log in again": the volunteer logs in, the queue goes
            self.flush(slug)

    def flush(self, slug: str) -> None:
        waiting, self.queue = self.queue, []
        for scan in waiting:
            if self.send(scan, slug) is None:
                self.queue.append(scan)


def queue_time(now: dt.datetime) -> str:
    return now.astimezone(dt.UTC).isoformat()


def run_desks(
    desks: list[Desk], codes: list[list[Scan]], slug: str, offline_desk: int, clock_now, interrupt=None
) -> None:
    """Each desk scans its own line of arrivals in its thread; `interrupt` (a callable) runs halfway at desk 3."""
    failures: list[BaseException] = []

    def work(number: int) -> None:
        desk, line = desks[number], codes[number]
        try:
            for index, scan in enumerate(line):
                offline = number == offline_desk and len(line) // 4 <= index < len(line) // 2
                if offline:
                    scan.scanned_at = queue_time(clock_now())
                elif desk.queue and number == offline_desk:
                    desk.flush(slug)  # back online: the queue goes first
                if interrupt and number == 3 and index == len(line) // 2:
                    interrupt()
                desk.scan(scan, slug, offline)
            desk.flush(slug)
        except BaseException as error:  # noqa: BLE001 - reported by the main thread
            failures.append(error)

    threads = [threading.Thread(target=work, args=(number,)) for number in range(len(desks))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise failures[0]
    stuck = {desk.name: len(desk.queue) for desk in desks if desk.queue}
    if stuck:
        raise SimulationError(f"scans left in desk queues: {stuck}")
