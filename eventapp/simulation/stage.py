"""The deployment the day is played against: gunicorn in production settings, a mail worker, an SMTP sink.

Every process gets the same environment, with the virtual clock's file (EVENTAPP_CLOCK_FILE), so the web
workers, the mail worker and each scheduler command agree on the time.
"""

import contextlib
import email
import email.policy
import os
import secrets
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests
from aiosmtpd.controller import Controller

PROJECT_ROOT = Path(__file__).resolve().parents[2]
PUBLIC_URL = "https://programmadag.jeugdenveiligheid.example.nl"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Delivered:
    recipient: str
    message: email.message.EmailMessage
    raw: bytes


@dataclass
class SmtpSink:
    """A real SMTP server on loopback (aiosmtpd) that keeps what it receives, per recipient."""

    delivered: list[Delivered] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            for recipient in envelope.rcpt_tos:
                self.delivered.append(Delivered(recipient.lower(), message, envelope.content))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[Delivered]:
        with self.lock:
            return [mail for mail in self.delivered if mail.recipient == address.lower()]

    def count(self) -> int:
        with self.lock:
            return len(self.delivered)


def deployment_environment(database_url: str, redis_url: str | None, smtp_port: int, clock_file: Path) -> dict:
    """Production settings, except that the site is served on loopback (plain http, behind no proxy)."""
    environment = {
        "EVENTAPP_ENV": "production",
        "EVENTAPP_SIMULATION": "1",
        "EVENTAPP_CLOCK_FILE": str(clock_file),
        "DATABASE_URL": database_url,
        "EVENTAPP_SECRET_KEY": secrets.token_urlsafe(48),
        "EVENTAPP_PUBLIC_URL": PUBLIC_URL,
        "EVENTAPP_ORGANIZER_EMAIL": "programma@jeugdenveiligheid.example.nl",
        "EVENTAPP_MAIL_SERVER": "127.0.0.1",
        "EVENTAPP_MAIL_PORT": str(smtp_port),
        "EVENTAPP_MAIL_SUPPRESS_SEND": "false",
        # Loopback has no TLS; in a deployment the proxy terminates it and the cookies stay secure.
        "EVENTAPP_SESSION_COOKIE_SECURE": "false",
        "EVENTAPP_REMEMBER_COOKIE_SECURE": "false",
        "EVENTAPP_ALLOW_INSECURE_COOKIES": "true",
        # Every simulated person and desk shares one client address; the limits per address and per prefix would stop
        # the run (the simulation measures the seat rules, not the limits, which have their own tests).
        "EVENTAPP_REGISTRATION_RATE_LIMIT": "100000 per minute",
        "EVENTAPP_REGISTRATION_PREFIX_RATE_LIMIT": "100000 per minute",
        "EVENTAPP_CHECKIN_RATE_LIMIT": "100000 per minute",
    }
    if redis_url:
        environment |= {
            "EVENTAPP_RATELIMIT_STORAGE_URI": redis_url,
            "EVENTAPP_CACHE_TYPE": "RedisCache",
            "EVENTAPP_CACHE_REDIS_URL": redis_url,
            "EVENTAPP_CACHE_KEY_PREFIX": f"simulation-{secrets.token_hex(4)}-",
        }
    else:
        environment["EVENTAPP_ALLOW_MEMORY_RATELIMIT"] = "true"
    return environment


class Stage:
    """Starts and stops the processes; runs the scheduler's commands with the deployment's environment."""

    def __init__(self, work: Path, database_url: str, redis_url: str | None, workers: int):
        self.work, self.workers = work, workers
        self.clock_file = work / "clock"
        self.smtp_port = free_port()
        self.environment = {
            **os.environ,
            **deployment_environment(database_url, redis_url, self.smtp_port, self.clock_file),
        }
        self.sink = SmtpSink()
        self.base = ""
        self._stack = contextlib.ExitStack()

    def flask(self, *command: str, check: bool = True) -> str:
        """`flask --app wsgi <command>` as the scheduler runs it; its output goes to the log of commands."""
        done = subprocess.run(
            [sys.executable, "-m", "flask", "--app", "wsgi", *command],
            cwd=PROJECT_ROOT,
            env=self.environment,
            capture_output=True,
            text=True,
            check=False,
        )
        with open(self.work / "commands.log", "a", encoding="utf-8") as log:
            log.write(f"$ flask {' '.join(command)} -> {done.returncode}\n{done.stdout}{done.stderr}\n")
        if check and done.returncode != 0:
            raise RuntimeError(f"flask {' '.join(command)} failed:\n{done.stdout}{done.stderr}")
        return done.stdout

    def __enter__(self) -> "Stage":
        controller = Controller(self.sink, hostname="127.0.0.1", port=self.smtp_port)
        controller.start()
        self._stack.callback(controller.stop)
        self.flask("db", "upgrade")
        port = free_port()
        self.base = f"http://127.0.0.1:{port}"
        gunicorn = [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            str(self.workers),
            "--threads",
            "4",
            "--bind",
            f"127.0.0.1:{port}",
            "--graceful-timeout",
            "5",
            "wsgi:app",
        ]
        web = self._process(gunicorn, "web.log")
        self._wait_until_up(web)
        self._process(
            [sys.executable, "-m", "flask", "--app", "wsgi", "send-mail", "--loop", "--interval", "0.5"],
            "mail-worker.log",
        )
        return self

    def __exit__(self, *exc) -> None:
        self._stack.close()

    def _process(self, command: list[str], log_name: str) -> subprocess.Popen:
        log = self._stack.enter_context(open(self.work / log_name, "ab"))
        process = subprocess.Popen(
            command,
            cwd=PROJECT_ROOT,
            env=self.environment,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self._stack.callback(stop_process, process)
        return process

    def _wait_until_up(self, process: subprocess.Popen, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"gunicorn exited:\n{(self.work / 'web.log').read_text(errors='replace')}")
            with contextlib.suppress(requests.RequestException):
                if requests.get(self.base + "/healthz", timeout=10).status_code < 500:
                    return
            time.sleep(0.2)
        raise RuntimeError("gunicorn did not answer")

    def logs(self) -> str:
        return "\n".join(path.read_text(errors="replace") for path in sorted(self.work.glob("*.log")))


def stop_process(process: subprocess.Popen) -> None:
    """Terminate, and kill what does not stop within 15 s."""
    if process.poll() is None:
        process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
