"""Every page in Dutch reads as Dutch (issue 35): no English words, MIME types, slugs or status values.

The pages are the app's own GET routes (url_map), filled in from the demo day with people in it
(test_html_validity's data, plus a person whose details were erased), as an organiser, desk staff or
attendee with Accept-Language: nl. Downloads are skipped, each with its reason; every other route is walked,
so a new page is checked without being listed here.
"""

import enum
import re
import shutil
import sys
from html.parser import HTMLParser

import pytest
from flask import Flask
from sqlalchemy import select, update
from werkzeug.exceptions import HTTPException, default_exceptions

from eventapp import create_app
from eventapp.checkin.models import CheckIn, Scan
from eventapp.events.models import Event
from eventapp.platform.db import utcnow
from eventapp.platform.errors import render_http_error
from eventapp.platform.extensions import db
from eventapp.platform.staff.models import User
from eventapp.privacy.services import erase
from eventapp.registration.services import PersonDetails, register
from tests.test_html_validity import logged_in, make_data

DUTCH = {"Accept-Language": "nl"}

# Routes whose answer is not a page: a file, data for a script, or the mail exactly as its recipient reads it.
SKIPPED = {
    "static": "static files (CSS, scripts, fonts)",
    "events.agenda_ics": "download: calendar file",
    "registration.calendar_ics": "download: calendar file",
    "registration.sessions_ics": "download: calendar file",
    "registration.qr_image": "download: PNG image",
    "privacy.download_data": "download: JSON of the person's data",
    "statements.attendance_pdf": "download: PDF statement",
    "statements.verify_json": "JSON for machines",
    "doors.badges_pdf": "download: PDF badges",
    "door.badge_pdf": "download: PDF badge",
    "report.report_download": "download: PDF report",
    "people.export_attendance": "download: CSV/xlsx",
    "people.export_session": "download: CSV/xlsx",
    "people.export_waitlists": "download: CSV/xlsx",
    "feedback_results.export_feedback": "download: CSV/xlsx",
    "registration_admin.export_summary": "download: CSV/xlsx",
    "newsletter_admin.export_subscribers": "download: CSV/xlsx",
    "organiser.live_numbers": "JSON for the dashboard's script",
    "checkin_api.counts": "JSON API for scanner devices",
    "checkin_api.offline_list": "JSON API for scanner devices",
    "checkin_api.search": "JSON API for scanner devices",
    "desk.csrf_token": "JSON for the desk's script",
    "desk.manifest": "web app manifest (JSON)",
    "desk.service_worker": "JavaScript",
    "health.healthz": "health check for the load balancer",
    "metrics.metrics": "Prometheus metrics",
    "language.switch": "redirect: the language switch",
    "outbox.mail_html": "the mail itself, in its recipient's language (framed on the mail page, which is walked)",
    "outbox.mail_part": "a mail part as a download",
    "own_outbox.show_mine": "development tool: the mails sent to one's own address, in their language",
}

# Words that are English only (whole words, any case) — not Dutch words that look alike ("Door", "Dag", "Test").
ENGLISH = [
    "the",
    "and",
    "with",
    "your",
    "you",
    "please",
    "Too Many Requests",
    "Not Found",
    "Forbidden",
    "erased",
    "Organiser",
    "Desk",
    "Session",
    "Sessions",
    "Registration",
    "Download",
    "Submit",
    "Cancel",
    "Back",
    "Search",
    "Save",
    "Delete",
    "Edit",
    "Log out",
    "Waitlist",
    "Attendees",
    "Settings",
    "Loading",
    "Error",
]
ENGLISH_WORDS = re.compile(r"\b(" + "|".join(re.escape(word) for word in ENGLISH) + r")\b", re.IGNORECASE)
MIME_TYPE = re.compile(r"\b(text|application|image|multipart|audio|video)/[a-z0-9.+-]+", re.IGNORECASE)


def status_values() -> set[str]:
    """Every value of the app's StrEnums (statuses, kinds, roles): the database's words, not the reader's."""
    found, todo = set(), [enum.StrEnum]
    while todo:
        kind = todo.pop()
        todo.extend(kind.__subclasses__())
        if kind.__module__.startswith("eventapp.") and sys.modules.get(kind.__module__):
            found.update(member.value for member in kind)
    return found


class VisibleText(HTMLParser):
    """The text a reader sees or hears: element text, and the attributes a screen reader or hover shows."""

    SHOWN_ATTRIBUTES = ("alt", "title", "placeholder", "aria-label")
    # A textarea holds what is being edited (the English introduction has its own field), not the page's words.
    HIDDEN = ("script", "style", "template", "textarea")

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self.hidden += 1
        attributes = dict(attrs)
        self.parts += [attributes[name] or "" for name in self.SHOWN_ATTRIBUTES if name in attributes]
        if tag == "input" and attributes.get("type") in ("submit", "button"):
            self.parts.append(attributes.get("value") or "")

    def handle_endtag(self, tag):
        if tag in self.HIDDEN and self.hidden:
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    """The visible text, without e-mail addresses: "desk@example.org" is an address, not the word "desk"."""
    parser = VisibleText()
    parser.feed(html)
    text = re.sub(r"[\w.+-]+@[\w.-]+", "", " ".join(parser.parts))
    return re.sub(r"\s+", " ", text)


def faults(text: str, slugs: list[str], statuses: set[str]) -> list[str]:
    """What is not Dutch in a page's visible text, each with a little of the text around it."""
    found = []

    def around(match) -> str:
        return text[max(0, match.start() - 30) : match.end() + 30]

    for match in ENGLISH_WORDS.finditer(text):
        found.append(f"English {match.group(0)!r}: …{around(match)}…")
    for match in MIME_TYPE.finditer(text):
        found.append(f"MIME type {match.group(0)!r}: …{around(match)}…")
    for slug in slugs:
        for match in re.finditer(rf"(?<![\w/-]){re.escape(slug)}(?![\w-])", text):
            found.append(f"slug {slug!r}: …{around(match)}…")
    for match in re.finditer(r"\b[a-z]+(?:_[a-z]+)*\b", text):
        if match.group(0) in statuses:
            found.append(f"status value {match.group(0)!r}: …{around(match)}…")
    return found


def erased_person(slug: str) -> int:
    """A Dutch registration of the demo day whose details were erased: its pages must not show the placeholders."""
    event = db.session.scalar(select(Event).where(Event.slug == slug))
    slots = {slot.id: slot.sessions[1].id for slot in event.agenda_items if slot.is_choice and len(slot.sessions) > 1}
    details = PersonDetails("Els Gewist", "els@example.org", "Gemeente Enschede", "Jongerenwerker", "nl")
    registration = register(db.session, event, details, slots, "t", utcnow())
    erase(db.session, registration, utcnow(), remove_newsletter=True)
    return registration.id


def arguments(endpoint: str, data: dict) -> dict:
    """Every route argument, from the fixture's data; `token` depends on whose token the route wants."""
    tokens = {
        "newsletter.confirm": data["confirm_token"],
        "newsletter.unsubscribe": data["unsubscribe_token"],
        "registration.confirm_transfer": data["transfer_token"],
        "staff.invitation": data["invitation_token"],
        "feedback.give_feedback": data["attendee"],
    }
    previous = {"feedback_results.show_results", "report.show_report"}  # pages of a day that happened
    return {
        "slug": data["previous_slug"] if endpoint in previous else data["slug"],
        "token": tokens.get(endpoint, data["confirmed"]),
        "registration_id": data["confirmed_id"],
        "session_id": data["session_id"],
        "item_id": data["slot_id"],
        "device_id": data["device_id"],
        "question_id": data["question_id"],
        "user_id": data["desk_user_id"],
        "mail_id": data["mail_id"],
        "secret": data["pair_secret"],
        "code": data["statement_code"],
        "filename": "",
        "fmt": "csv",
        "index": 0,
    }


def who_asks(rule: str) -> str:
    if rule.startswith("/organiser"):
        return "organiser"
    if rule.startswith("/staff/checkin"):
        return "desk"
    if rule.startswith("/staff/account"):
        return "desk"
    return "visitor"


# The desk's pages open for an event (?event=); the not-arrived list only on the day, so the organiser's preview.
QUERIES = {
    "checkin.scan_page": "?event={slug}",
    "checkin.walk_in": "?event={slug}",
    "desk.not_arrived": "?event={slug}",
}
EXTRA = {
    "person erased": ("organiser", "/organiser/e/{slug}/people/{erased_id}"),
    "people, with the erased person": ("organiser", "/organiser/e/{slug}/people?q=gewist"),
    "audit, with the erasure": ("organiser", "/organiser/e/{slug}/audit?action=person"),
    "person at the door": ("desk", "/staff/checkin/person/{session_waiting_id}"),
    "personal page, waitlisted": ("visitor", "/r/{day_waiting}"),
    "personal page, after the day": ("visitor", "/r/{attendee}"),
    "not arrived, organiser's preview": ("organiser", "/staff/checkin/not-arrived?event={slug}"),
    "another day's dashboard": ("organiser", "/organiser/e/{ranked_slug}/"),
}


def addresses(app: Flask, data: dict) -> dict[str, tuple[str, str]]:
    """name -> (who asks, address) for every GET route that answers with a page."""
    found = {}
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint in SKIPPED:
            continue
        values = arguments(rule.endpoint, data)
        path = rule.build({name: values[name] for name in rule.arguments}, append_unknown=False)[1]
        found[rule.rule] = (who_asks(rule.rule), path + QUERIES.get(rule.endpoint, "").format(**data))
    for name, (who, address) in EXTRA.items():
        found[name] = (who, address.format(**data))
    return found


@pytest.fixture(scope="module")
def dutch_pages(sqlite_template, tmp_path_factory) -> tuple[dict[str, str], list[str]]:
    """Every page's visible text in Dutch (name -> text), and the slugs of the days in the data."""
    path = tmp_path_factory.mktemp("dutch") / "eventapp.db"
    shutil.copyfile(sqlite_template, path)
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"})
    data = make_data(app)
    with app.app_context():
        data["erased_id"] = erased_person(data["slug"])
        # As staff accounts are named: without a name the header shows the address's "organiser".
        for user in db.session.scalars(select(User)):
            user.name = STAFF_NAMES.get(user.email, user.name)
        for kind in (CheckIn, Scan):  # as a desk is named on the day (the data's "desk" is a placeholder)
            db.session.execute(update(kind).where(kind.desk == "desk").values(desk="Balie"))
        db.session.commit()
        slugs = list(db.session.scalars(select(Event.slug)))
    clients = {who: logged_in(app, email) for who, email in CLIENTS.items()}
    for client in clients.values():
        client.get("/language/nl")  # the switch: an attendee's own page is otherwise in their language
    texts = {}
    for name, (who, address) in addresses(app, data).items():
        response = clients[who].get(address, headers=DUTCH)
        assert response.status_code < 500, (name, address, response.status_code)
        if response.status_code in (301, 302, 303):
            continue  # the page it leads to is walked itself
        assert response.mimetype == "text/html", (name, address, response.mimetype)
        texts[f"{name} ({address})"] = visible_text(response.get_data(as_text=True))
    with app.app_context():
        db.engine.dispose()
    return texts, slugs


STAFF_NAMES = {"organiser@example.org": "Marieke de Boer", "desk@example.org": "Daan Visser"}
CLIENTS = {"visitor": None, "organiser": "organiser@example.org", "desk": "desk@example.org"}


def test_every_page_in_dutch_has_no_english_mime_types_slugs_or_status_values(dutch_pages):
    texts, slugs = dutch_pages
    assert len(texts) >= 60  # every page route, not a handful
    statuses = status_values() - DUTCH_STATUS_WORDS
    found = [f"{name}: {fault}" for name, text in texts.items() for fault in faults(text, slugs, statuses)]
    assert not found, "\n".join(found)


# Values that are Dutch words as well ("open", "test", "feedback" as Dutch uses it): in Dutch text they are the words.
DUTCH_STATUS_WORDS = {"open", "test", "door", "feedback"}


def test_the_erased_person_reads_as_such_without_the_placeholders(dutch_pages):
    texts, _ = dutch_pages
    erased = next(text for name, text in texts.items() if name.startswith("person erased"))
    assert "gewiste persoon" in erased and "@invalid" not in erased and "(erased)" not in erased


@pytest.mark.parametrize("code", [400, 403, 404, 405, 409, 413, 415, 429, 500, 503])
def test_every_http_error_page_is_dutch(app, code):
    error = default_exceptions[code]()
    with app.test_request_context("/", headers=DUTCH):
        page, status = render_http_error(error)
    text = visible_text(page)
    assert status == code and error.name not in text, text
    assert not faults(text, [], set()), faults(text, [], set())


def test_the_rate_limit_page_says_the_real_wait_in_words(app):
    error: HTTPException = default_exceptions[429](retry_after=3 * 3600)
    with app.test_request_context("/", headers=DUTCH):
        page, _ = render_http_error(error)
    assert "Wacht 3 uur" in visible_text(page) and "minuut" not in page
