"""HTTP as people and devices send it, timed per phase and route, every answer kept for the invariants."""

import re
import statistics
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import requests

from eventapp.simulation.forms import Form, form_to

# Route patterns: numbers and tokens in a path become placeholders, so figures group per route.
_PLACEHOLDERS = (
    (re.compile(r"/r/[^/]+"), "/r/<token>"),
    (re.compile(r"/verify/[^/.]+"), "/verify/<code>"),
    (re.compile(r"/e/[^/]+"), "/e/<slug>"),
    (re.compile(r"/\d+"), "/<id>"),
)


def route_of(url: str) -> str:
    path = urlsplit(url).path
    for pattern, placeholder in _PLACEHOLDERS:
        path = pattern.sub(placeholder, path)
    return path


@dataclass
class Answer:
    phase: str
    method: str
    route: str
    status: int
    seconds: float


@dataclass
class Traffic:
    """Every request of the run: the figures per phase and route, and the answers the invariants read."""

    phase: str = "setup"
    answers: list[Answer] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def note(self, answer: Answer) -> None:
        with self.lock:
            self.answers.append(answer)

    def server_errors(self) -> list[Answer]:
        return [answer for answer in self.answers if answer.status >= 500]

    def figures(self) -> list[dict]:
        """Per phase and route: requests, p50 and p99 in milliseconds, and the statuses seen."""
        groups = defaultdict(list)
        for answer in self.answers:
            groups[(answer.phase, answer.method, answer.route)].append(answer)
        rows = []
        for (phase, method, route), answers in groups.items():
            times = sorted(answer.seconds * 1000 for answer in answers)
            statuses = sorted({answer.status for answer in answers})
            rows.append(
                {
                    "phase": phase,
                    "route": f"{method} {route}",
                    "requests": len(times),
                    "p50_ms": round(statistics.median(times), 1),
                    "p99_ms": round(times[min(len(times) - 1, int(len(times) * 0.99))], 1),
                    "statuses": statuses,
                }
            )
        return rows


class Browser:
    """One person's (or desk's) browser: cookies, CSRF tokens read from the page, links of mails opened locally.

    Mails carry the deployment's public https address; the simulation serves on loopback, so a link is opened at
    the same path on the served address (as the reverse proxy in front of a deployment would).
    """

    def __init__(self, base: str, public_url: str, traffic: Traffic, language: str = "nl"):
        self.base, self.public_url, self.traffic = base, public_url, traffic
        self.http = requests.Session()
        self.login: tuple[str, str] | None = None  # staff: logs in again when the app asks (a session ended)
        self.http.headers["Accept-Language"] = language

    def url(self, path_or_link: str) -> str:
        if path_or_link.startswith(self.public_url):
            path_or_link = path_or_link[len(self.public_url) :]
        return (
            urljoin(self.base + "/", path_or_link.lstrip("/")) if not path_or_link.startswith("http") else path_or_link
        )

    def request(self, method: str, path: str, **options) -> requests.Response:
        url = self.url(path)
        options.setdefault("timeout", 120)
        options.setdefault("allow_redirects", False)
        started = time.monotonic()
        response = self.http.request(method, url, **options)
        self.traffic.note(
            Answer(self.traffic.phase, method, route_of(url), response.status_code, time.monotonic() - started)
        )
        return response

    def get(self, path: str, **options) -> requests.Response:
        return self.request("GET", path, **options)

    def post(self, path: str, **options) -> requests.Response:
        return self.request("POST", path, **options)

    def form(self, page: str, action_part: str = "") -> tuple[Form, str]:
        """The form on `page` whose action contains `action_part`, and where it posts to."""
        response = self.page(page)
        if response.status_code != 200:
            raise SimulationError(f"GET {page}: {response.status_code} {response.headers.get('Location', '')}")
        found = form_to(response.text, action_part, response.url)
        return found, urljoin(response.url, found.action) if found.action else response.url

    def page(self, path: str, **options) -> requests.Response:
        """GET a page; staff whose session ended (the app sends them to the login) log in again first."""
        response = self.get(path, **options)
        if self.login and response.status_code == 302 and "/staff/login" in response.headers.get("Location", ""):
            self.log_in(*self.login)
            response = self.get(path, **options)
        return response

    def log_in(self, email: str, password: str) -> None:
        self.login = None
        self.submit("/staff/login", "", email=email, password=password)
        self.login = (email, password)

    def submit(self, page: str, action_part: str = "", expect=(302, 303), **values) -> requests.Response:
        """Fill the form as the page offers it, change `values`, send it; anything but `expect` stops the run."""
        found, target = self.form(page, action_part)
        response = self.post(target, data=found.filled(**values))
        if response.status_code not in expect:
            raise SimulationError(f"POST {route_of(target)} answered {response.status_code}: {_gist(response.text)}")
        return response


class SimulationError(RuntimeError):
    """The app did something the day does not allow: the run stops here."""


def _gist(html: str) -> str:
    errors = re.findall(r'class="[^"]*(?:error|invalid-feedback|alert)[^"]*"[^>]*>([^<]{1,200})', html)
    return "; ".join(error.strip() for error in errors[:5]) or re.sub(r"\s+", " ", re.sub("<[^>]+>", " ", html))[:300]
