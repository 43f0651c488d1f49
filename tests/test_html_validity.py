"""Every main page is valid HTML: html5lib parses it strictly, no id is used twice, the Nu HTML checker finds no error.

The pages are rendered once per module, in Dutch and in English, from the demo day with people in it.
The Nu checker (vnu.jar from the npm registry's vnu-jar, unpacked by `make install-test`) needs Java;
it runs once over all pages (it is slow to start).
"""

import datetime as dt
import json
import os
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import html5lib
import pytest
from sqlalchemy import select

from eventapp import create_app
from eventapp.allocation.services import set_mode
from eventapp.checkin.models import CheckIn
from eventapp.checkin.services import check_in
from eventapp.demo.cli import register_demo_people
from eventapp.demo.day import build_demo_event, read_demo_day
from eventapp.demo.history import load_previous_edition
from eventapp.events.models import Event
from eventapp.events.services import choice_slots
from eventapp.newsletter import services as newsletter
from eventapp.newsletter.models import SubscriberStatus
from eventapp.platform.db import utcnow
from eventapp.platform.extensions import db
from eventapp.platform.mail.models import OutgoingMail
from eventapp.platform.staff import invitations, pairing
from eventapp.platform.staff.access import Actor
from eventapp.platform.staff.services import create_device_token, create_user
from eventapp.questions.services import questions_of
from eventapp.registration import contacts, transfers
from eventapp.registration.models import Registration
from eventapp.registration.services import PersonDetails, cancel, register
from eventapp.statements import services as statements
from tests.conftest import load_demo
from tests.served import PROJECT_ROOT

LANGUAGES = ("nl", "en")
PASSWORD = "correct horse battery"

# name -> (who asks, address); {names} are filled in from the data the fixture makes.
PAGES = {
    "event list": ("visitor", "/"),
    "event page": ("visitor", "/e/{slug}/"),
    "registration form": ("visitor", "/e/{slug}/register"),
    "check-mail page": ("visitor", "/e/{slug}/register/check-mail"),
    "personal page, confirmed": ("visitor", "/r/{confirmed}"),
    "personal page, waiting for a session": ("visitor", "/r/{session_waiting}"),
    "personal page, waitlisted": ("visitor", "/r/{day_waiting}"),
    "personal page, cancelled": ("visitor", "/r/{cancelled}"),
    "newsletter sign-up": ("visitor", "/newsletter"),
    "newsletter check-mail": ("visitor", "/newsletter/check-mail"),
    "newsletter confirm": ("visitor", "/newsletter/confirm/{confirm_token}"),
    "newsletter unsubscribe": ("visitor", "/newsletter/unsubscribe/{unsubscribe_token}"),
    "privacy": ("visitor", "/privacy"),
    "not found": ("visitor", "/e/no-such-day/"),
    "staff login": ("visitor", "/staff/login"),
    "organiser dashboard": ("organiser", "/organiser/"),
    "organiser event": ("organiser", "/organiser/e/{slug}/"),
    "set-up": ("organiser", "/organiser/e/{slug}/setup"),
    "event edit form": ("organiser", "/organiser/e/{slug}/edit"),
    "new event form": ("organiser", "/organiser/events/new"),
    "agenda item form": ("organiser", "/organiser/e/{slug}/agenda/{slot_id}"),
    "new agenda item form": ("organiser", "/organiser/e/{slug}/agenda/new"),
    "session form": ("organiser", "/organiser/e/{slug}/sessions/{session_id}"),
    "new session form": ("organiser", "/organiser/e/{slug}/slot/{slot_id}/sessions/new"),
    "session cancel": ("organiser", "/organiser/e/{slug}/sessions/{session_id}/cancel"),
    "session print": ("organiser", "/organiser/e/{slug}/export/session/{session_id}/print"),
    "people": ("organiser", "/organiser/e/{slug}/people"),
    "people, by organisation descending": ("organiser", "/organiser/e/{slug}/people?sort=organisation&dir=desc"),
    "person, confirmed": ("organiser", "/organiser/e/{slug}/people/{confirmed_id}"),
    "person, waitlisted": ("organiser", "/organiser/e/{slug}/people/{day_waiting_id}"),
    "person erase, asking to confirm": ("organiser", "/organiser/e/{slug}/people/{confirmed_id}/erase"),
    "person cancel, asking to confirm": ("organiser", "/organiser/e/{slug}/people/{confirmed_id}/cancel"),
    "agenda item delete, asking to confirm": ("organiser", "/organiser/e/{slug}/agenda/{slot_id}/delete"),
    "session delete, people chose it": ("organiser", "/organiser/e/{slug}/sessions/{session_id}/delete"),
    "message": ("organiser", "/organiser/e/{slug}/message"),
    "mail texts": ("organiser", "/organiser/e/{slug}/texts"),
    "outbox": ("organiser", "/organiser/mail/"),
    "outbox, filtered": ("organiser", "/organiser/outbox?event={slug}&kind=registration_confirmed&status=pending&q=e"),
    "outbox mail": ("organiser", "/organiser/mail/{mail_id}"),
    "audit": ("organiser", "/organiser/e/{slug}/audit"),
    "test scans, asking to confirm the clearing": ("organiser", "/organiser/e/{slug}/test-scans"),
    "audit, people's entries": ("organiser", "/organiser/e/{slug}/audit?action=person"),
    "devices": ("organiser", "/organiser/devices/"),
    "device revoke": ("organiser", "/organiser/devices/{device_id}/revoke"),
    "device pairing, asking to confirm": ("visitor", "/staff/pair/{pair_secret}"),
    "device pairing, link used": ("visitor", "/staff/pair/{gone_secret}"),
    "staff accounts": ("organiser", "/organiser/staff/"),
    "staff account log out everywhere, asking to confirm": (
        "organiser",
        "/organiser/staff/{desk_user_id}/logout-everywhere",
    ),
    "staff account disable, asking to confirm": ("organiser", "/organiser/staff/{desk_user_id}/disable"),
    "staff invitation, choose a password": ("visitor", "/staff/invite/{invitation_token}"),
    "staff invitation, expired": ("visitor", "/staff/invite/{expired_invitation_token}"),
    "own account": ("desk", "/staff/account"),
    "own account log out everywhere, asking to confirm": ("desk", "/staff/account/logout-everywhere"),
    "newsletter for organisers": ("organiser", "/organiser/newsletter"),
    "questions": ("organiser", "/organiser/e/{slug}/questions"),
    "question form": ("organiser", "/organiser/e/{slug}/questions/{question_id}"),
    "question remove, asking to confirm": ("organiser", "/organiser/e/{slug}/questions/{question_id}/remove"),
    "questions summary": ("organiser", "/organiser/e/{slug}/questions/summary"),
    "pilot contact requests": ("organiser", "/organiser/e/{slug}/pilots"),
    "allocation, first come": ("organiser", "/organiser/e/{slug}/allocation"),
    "allocation, demand and preview": ("organiser", "/organiser/e/{ranked_slug}/allocation?seed=1"),
    "allocation, asking to confirm": ("organiser", "/organiser/e/{ranked_slug}/allocation/run?seed=1"),
    "registration form, preferences": ("visitor", "/e/{ranked_slug}/register"),
    "personal page, ranking": ("visitor", "/r/{ranked}"),
    "desk scan page": ("desk", "/staff/checkin?event={slug}"),
    "walk-in": ("desk", "/staff/checkin/walk-in?event={slug}"),
    # Before the day the list is the organiser's preview; the desk is told it opens on the day.
    "not arrived": ("organiser", "/staff/checkin/not-arrived?event={slug}"),
    "not arrived, before the day": ("desk", "/staff/checkin/not-arrived?event={slug}"),
    "person at the door, waiting": ("desk", "/staff/checkin/person/{session_waiting_id}"),
    "person at the door, not come": ("desk", "/staff/checkin/person/{confirmed_id}"),
    "release preview, asking to confirm": ("organiser", "/organiser/e/{slug}/release"),
    "personal page, after the day": ("visitor", "/r/{attendee}"),
    "feedback form": ("visitor", "/r/{attendee}/feedback"),
    "feedback, not checked in": ("visitor", "/r/{confirmed}/feedback"),
    "no statement, not checked in": ("visitor", "/r/{confirmed}/attendance.pdf"),
    "statement verified": ("visitor", "/verify/{statement_code}"),
    "not a valid statement": ("visitor", "/verify/AAAABBBBCCCCDDDD"),
    "statement replaced by a newer one": ("visitor", "/verify/{replaced_code}"),
    "feedback results": ("organiser", "/organiser/e/{previous_slug}/feedback"),
    "report beside the previous edition": ("organiser", "/organiser/e/{slug}/report"),
    "report of a day that happened": ("organiser", "/organiser/e/{previous_slug}/report"),
    "person, with a statement": ("organiser", "/organiser/e/{previous_slug}/people/{attendee_id}"),
    "transfer to a colleague": ("visitor", "/r/{confirmed}/transfer"),
    "transfer, the colleague accepts": ("visitor", "/r/transfer/{transfer_token}"),
    "transfer, an expired link": ("visitor", "/r/transfer/{expired_transfer_token}"),
    "person, transfer to a colleague": ("organiser", "/organiser/e/{slug}/people/{confirmed_id}/transfer"),
}
STATUS = {"not found": 404, "not a valid statement": 404, "feedback, not checked in": 403}
STATUS["no statement, not checked in"] = 403
STATUS["not arrived, before the day"] = 403
STATUS["statement replaced by a newer one"] = 404
STATUS["staff invitation, expired"] = 410
STATUS["device pairing, link used"] = 410
STATUS["transfer, an expired link"] = 410
# Pages that answer a POST: a form sent back with errors, a full session offering its waitlist.
ANSWERS = (
    "registration form with errors",
    "personal page, a full session offered",
    "a change asking to confirm",
    "message preview",
    "allocation mode, asking to confirm",
)
NAMES = [f"{name} [{language}]" for name in (*PAGES, *ANSWERS) for language in LANGUAGES]


def person(number: int) -> PersonDetails:
    return PersonDetails(f"Person {number}", f"person{number}@example.org", "Gemeente Ede", "Wijkagent", "en")


def make_data(app) -> dict:
    """The demo day with people: confirmed, waiting for a session, waiting for the day; staff, a device, mail."""
    slug = load_demo(app)
    with app.app_context():
        event = db.session.scalar(select(Event).where(Event.slug == slug))
        register_demo_people(event, 6)
        slots = choice_slots(event)
        full = slots[0].sessions[0]
        full.capacity = full.seats_taken
        db.session.flush()
        choose = {slot.id: slot.sessions[0].id for slot in slots}
        confirmed = register(
            db.session, event, person(1), {**choose, slots[0].id: slots[0].sessions[1].id}, "t", utcnow()
        )
        session_waiting = register(db.session, event, person(2), choose, "t", utcnow())
        cancelled = register(db.session, event, person(4), choose, "t", utcnow())
        cancel(db.session, cancelled, utcnow())
        event.capacity = event.seats_taken
        db.session.flush()
        day_waiting = register(db.session, event, person(3), choose, "t", utcnow())
        pending = newsletter.sign_up(db.session, "pending@example.org", "Ann", "en", "form", utcnow())
        reader = newsletter.sign_up(db.session, "reader@example.org", "Bob", "nl", "form", utcnow())
        reader.status, reader.confirmed_at = SubscriberStatus.CONFIRMED, utcnow()
        organiser = create_user(db.session, "organiser@example.org", "organiser", PASSWORD)
        desk_user = create_user(db.session, "desk@example.org", "desk", PASSWORD)
        device, _ = create_device_token(db.session, "Door", organiser, utcnow())
        _open, invitation_token = invitations.invite(
            db.session, "new.desk@example.org", "Nieuwe Collega", "desk", organiser, utcnow(), "nl"
        )
        week_ago = utcnow() - invitations.VALIDITY - dt.timedelta(hours=1)
        _old, expired_token = invitations.invite(db.session, "late@example.org", "", "desk", organiser, week_ago, "en")
        pair_secret, gone_secret = pairing_links(event, organiser)
        pilot = slots[1].sessions[0]
        contacts.ask(db.session, confirmed, pilot, "Graag!", "I agree (test)", utcnow())
        # At the door, waiting for the full session: the dashboard previews a release, the desk shows the number.
        # During the day's walk-in (a scan counts on the day only); before it, a test scan at the desk.
        at_the_desk = Actor(user=organiser, device=None, desk="desk")
        check_in(db.session, event, session_waiting, at_the_desk, event.local_datetime(event.day_starts_at))
        check_in(db.session, event, confirmed, at_the_desk, utcnow(), test=True)
        ranked = preference_day(event.timezone)
        previous = load_previous_edition(db.session, event, 8, utcnow())
        attendee = db.session.scalar(
            select(Registration).join(CheckIn).where(Registration.event_id == previous.id).order_by(Registration.id)
        )
        statement = statements.statement_for(db.session, attendee, utcnow())
        replaced = replaced_statement_code(previous, attendee, organiser)
        transfer_token, expired_transfer_token = transfer_links(day_waiting, confirmed)
        db.session.commit()
        return {
            "ranked_slug": ranked.event.slug,
            "ranked": ranked.manage_token,
            "slug": slug,
            "confirmed": confirmed.manage_token,
            "confirmed_id": confirmed.id,
            "session_waiting": session_waiting.manage_token,
            "session_waiting_id": session_waiting.id,
            "day_waiting": day_waiting.manage_token,
            "day_waiting_id": day_waiting.id,
            "cancelled": cancelled.manage_token,
            "confirm_token": newsletter.confirmation_token(app.config["SECRET_KEY"], pending),
            "unsubscribe_token": reader.unsubscribe_token,
            "slot_id": slots[0].id,
            "session_id": full.id,
            "device_id": device.id,
            "pair_secret": pair_secret,
            "gone_secret": gone_secret,
            "desk_user_id": desk_user.id,
            "invitation_token": invitation_token,
            "expired_invitation_token": expired_token,
            "mail_id": db.session.scalar(select(OutgoingMail.id).order_by(OutgoingMail.id)),
            "question_id": questions_of(db.session, event.id)[0].id,
            "previous_slug": previous.slug,
            "attendee": attendee.manage_token,
            "attendee_id": attendee.id,
            "statement_code": statement.code,
            "replaced_code": replaced,
            "transfer_token": transfer_token,
            "expired_transfer_token": expired_transfer_token,
        }


def pairing_links(event, organiser) -> tuple[str, str]:
    """A pairing link for the demo day to confirm, and one already used (its page says it no longer works)."""
    now = utcnow()
    tablet, token = create_device_token(db.session, "Tablet 3", organiser, now, event_id=event.id)
    waiting, secret = pairing.start_pairing(db.session, tablet, token, now)
    waiting.expires_at = now + dt.timedelta(days=1)  # a pairing lasts 15 minutes; this one lasts the whole tour
    phone, phone_token = create_device_token(db.session, "Phone 1", organiser, now, event_id=event.id)
    _used, gone = pairing.start_pairing(db.session, phone, phone_token, now)
    pairing.use_pairing(db.session, gone, now)
    return secret, gone


def transfer_links(waiting, confirmed) -> tuple[str, str]:
    """The link a colleague accepts a place with (from the person waiting for the day), and one past its 48 hours."""
    colleague = PersonDetails("Cor Collega", "cor@example.org", "Politie Oost", "", "nl", "police")
    _, mail = transfers.request_transfer(db.session, waiting, colleague, utcnow())
    old, old_mail = transfers.request_transfer(db.session, confirmed, colleague, utcnow())
    old.expires_at = utcnow() - dt.timedelta(minutes=1)
    return mail.payload["token"], old_mail.payload["token"]


def replaced_statement_code(previous, attendee, organiser) -> str:
    """The old code of a statement an organiser's correction replaced (another attendee of the previous day)."""
    other = db.session.scalar(
        select(Registration)
        .join(CheckIn)
        .where(Registration.event_id == previous.id, Registration.id != attendee.id)
        .order_by(Registration.id)
    )
    old = statements.statement_for(db.session, other, utcnow()).code
    statements.replace_after_correction(db.session, other, organiser, utcnow())
    return old


def preference_day(timezone: str):
    """A copy of the demo day in preference mode, with people who ranked; returns one of them."""
    data = read_demo_day()
    data["event"]["slug"] = "voorkeurendag"
    event = build_demo_event(data, utcnow(), timezone)
    db.session.add(event)
    db.session.flush()
    set_mode(event, "preferences", utcnow() + dt.timedelta(days=3))
    register_demo_people(event, 6)
    return db.session.scalar(select(Registration).where(Registration.event_id == event.id).limit(1))


def csrf_of(client, address: str, prefix: str = "") -> str:
    """The CSRF token in the page at `address` (of the form whose fields have `prefix`)."""
    page = client.get(address).get_data(as_text=True)
    return re.search(rf'name="{prefix}csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def logged_in(app, email: str | None):
    client = app.test_client()
    if email:
        token = csrf_of(client, "/staff/login")
        response = client.post("/staff/login", data={"csrf_token": token, "email": email, "password": PASSWORD})
        assert response.status_code == 302, email
    return client


@pytest.fixture(scope="module")
def pages(sqlite_template, tmp_path_factory) -> dict[str, str]:
    """Every page of PAGES in each language, as served: name -> HTML."""
    path = tmp_path_factory.mktemp("html") / "eventapp.db"
    shutil.copyfile(sqlite_template, path)
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"})
    data = make_data(app)
    clients = {
        "visitor": logged_in(app, None),
        "organiser": logged_in(app, "organiser@example.org"),
        "desk": logged_in(app, "desk@example.org"),
    }
    rendered = {}
    for name, (who, address) in PAGES.items():
        for language in LANGUAGES:
            response = clients[who].get(address.format(**data), headers={"Accept-Language": language})
            expected = STATUS.get(name, 200)
            assert response.status_code == expected, (name, response.status_code)
            assert response.mimetype == "text/html", name
            rendered[f"{name} [{language}]"] = response.get_data(as_text=True)
    visitor = clients["visitor"]
    for language in LANGUAGES:
        headers = {"Accept-Language": language}
        token = csrf_of(visitor, f"/e/{data['slug']}/register")
        sent = visitor.post(
            f"/e/{data['slug']}/register", data={"csrf_token": token, "email": "no address"}, headers=headers
        )
        assert sent.status_code == 422
        rendered[f"registration form with errors [{language}]"] = sent.get_data(as_text=True)
        prefix = f"slot{data['slot_id']}-"
        token = csrf_of(visitor, f"/r/{data['confirmed']}", prefix)
        offered = visitor.post(
            f"/r/{data['confirmed']}/slot/{data['slot_id']}",
            data={f"{prefix}csrf_token": token, f"{prefix}session_id": data["session_id"]},
            headers=headers,
        )
        assert offered.status_code == 409
        rendered[f"personal page, a full session offered [{language}]"] = offered.get_data(as_text=True)
        agenda = f"/organiser/e/{data['slug']}/agenda/{data['slot_id']}"
        moved = {"csrf_token": csrf_of(clients["organiser"], agenda), "starts_at": "14:25", "ends_at": "15:15"}
        moved |= {"kind": "choice", "title_nl": "Thema", "title_en": "Theme"}
        asked = clients["organiser"].post(agenda, data=moved, headers=headers)
        assert asked.status_code == 200 and 'value="yes"' in asked.get_data(as_text=True)
        rendered[f"a change asking to confirm [{language}]"] = asked.get_data(as_text=True)
        message = f"/organiser/e/{data['slug']}/message"
        written = {"csrf_token": csrf_of(clients["organiser"], message), "audience": "confirmed", "action": "preview"}
        written |= {"subject": "Zaal 5", "body": "We zitten in zaal 5.\nTot dan!"}
        previewed = clients["organiser"].post(message, data=written, headers=headers)
        assert previewed.status_code == 200 and "Tot dan!" in previewed.get_data(as_text=True)
        rendered[f"message preview [{language}]"] = previewed.get_data(as_text=True)
        mode = f"/organiser/e/{data['slug']}/allocation"
        switch = {
            "csrf_token": csrf_of(clients["organiser"], mode),
            "mode": "preferences",
            "deadline": "2099-03-01T17:00",
        }
        switching = clients["organiser"].post(f"{mode}/mode", data=switch, headers=headers)
        assert switching.status_code == 200 and 'value="yes"' in switching.get_data(as_text=True)
        rendered[f"allocation mode, asking to confirm [{language}]"] = switching.get_data(as_text=True)
    with app.app_context():
        db.engine.dispose()
    return rendered


def line_of(html: str, line: int) -> str:
    lines = html.splitlines()
    return lines[line - 1].strip()[:200] if 0 < line <= len(lines) else ""


@pytest.mark.parametrize("name", NAMES)
def test_the_page_parses_without_error_and_uses_each_id_once(pages, name):
    html = pages[name]
    parser = html5lib.HTMLParser(strict=False, tree=html5lib.getTreeBuilder("etree"))
    tree = parser.parse(html)
    errors = [f"line {line}: {code} {data or ''}: {line_of(html, line)}" for (line, _), code, data in parser.errors]
    assert not errors, "\n".join(errors)
    html5lib.HTMLParser(strict=True).parse(html)  # strict mode: raises on the first parse error
    ids = Counter(element.get("id") for element in tree.iter() if element.get("id") is not None)
    assert not [id_ for id_, count in ids.items() if count > 1], {id_: n for id_, n in ids.items() if n > 1}


def vnu_jar() -> Path:
    """The checker `make install-test` unpacked from the npm registry's vnu-jar (or the one VNU_JAR names)."""
    if os.environ.get("VNU_JAR"):
        return Path(os.environ["VNU_JAR"])
    jars = sorted((PROJECT_ROOT / ".venv" / "vnu").glob("vnu-*.jar"))
    assert jars, "the Nu HTML checker is missing: `make install-test` puts it in .venv/vnu/"
    return jars[-1]


def test_the_nu_html_checker_finds_no_error_on_any_page(pages, tmp_path):
    java = shutil.which("java")
    if java is None:
        reason = "Java is not installed: the Nu HTML checker (vnu.jar) cannot run"
        if os.environ.get("REQUIRE_HTML_CHECK", "") not in ("", "0", "false", "no"):
            pytest.fail(reason + " (REQUIRE_HTML_CHECK is set)")
        pytest.skip(reason)
    names = {}
    for number, (name, html) in enumerate(sorted(pages.items())):
        path = tmp_path / f"page{number:03d}.html"
        path.write_text(html, encoding="utf-8")
        names[path.name] = name
    paths = sorted(str(path) for path in tmp_path.glob("page*.html"))
    result = subprocess.run(
        [java, "-jar", str(vnu_jar()), "--errors-only", "--format", "json", *paths],
        capture_output=True,
        text=True,
        timeout=300,
    )
    output = result.stderr or result.stdout
    report = json.loads(output[output.find("{") :])  # the JSON report, after anything Java printed first
    problems = [describe(message, names) for message in report["messages"] if message["type"] != "info"]
    assert not problems, f"{len(problems)} errors:\n" + "\n".join(problems)
    assert result.returncode == 0, output[-2000:]


def describe(message: dict, names: dict[str, str]) -> str:
    """One of the checker's messages, with the page's name instead of its file."""
    page = names.get(message.get("url", "").rpartition("/")[2], message.get("url"))
    extract = " ".join(message.get("extract", "").split())[:160]
    return f"{page}, line {message.get('lastLine')}: {message['message']} [{extract}]"


# What an organiser or desk user must never read on a Dutch page: internal codes and English status words.
INTERNAL_WORDS = re.compile(
    r"\b(confirmed|waitlisted|cancelled|pending|superseded|failed|sent|erased|unsubscribed|your seat"
    r"|registration_confirmed|registration_waitlisted|choice_changed|promoted|manage_link|organiser_message"
    r"|calendar_update|already_checked_in|wrong_room|waitlisted_here|no_seat|invalid|newsletter_confirm"
    r"|(event|session|agenda|person|export|message)\.[a-z_]+)\b",
    re.IGNORECASE,
)
STAFF_PAGES = [name for name, (who, _) in PAGES.items() if who in ("organiser", "desk")]


def visible_text(html: str) -> str:
    """The text a reader sees: element text and tails, without scripts and styles."""
    tree = html5lib.parse(html, treebuilder="etree", namespaceHTMLElements=False)
    hidden = {"script", "style", "template"}
    parts = []
    for element in tree.iter():
        if element.tag not in hidden and element.text:
            parts.append(element.text)
        if element.tail:
            parts.append(element.tail)
    return " ".join(" ".join(parts).split())


@pytest.mark.parametrize("name", STAFF_PAGES)
def test_dutch_staff_pages_show_no_internal_code_or_english_status(pages, name):
    text = re.sub(r"\S+@\S+", "", visible_text(pages[f"{name} [nl]"]))  # addresses are what people typed
    found = sorted({match.group(0) for match in INTERNAL_WORDS.finditer(text)})
    assert not found, f"{name}: {found}"
