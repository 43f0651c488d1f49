"""A tour of every page in a real browser: each page of tests/test_html_validity.py's PAGES, and a few states.

One served app on the demo day with people (the data of test_html_validity.make_data), one Chromium; per language a
browser context per role (visitor, organiser, desk). At each width every page is opened once and measured: its
width (`scrollWidth` against the window) and axe-core's findings (WCAG 2.1 A/AA and best practices, every impact).
"""

import shutil
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from eventapp import create_app
from eventapp.events.models import Event
from eventapp.events.services import choice_slots
from eventapp.platform.db import utcnow
from eventapp.platform.extensions import db
from eventapp.registration.services import PersonDetails, register
from eventapp.registration.waitlists import admit_to_day
from tests.browser.desk import DESK_READY
from tests.served import served_app
from tests.test_html_validity import LANGUAGES, PAGES, PASSWORD, make_data

WIDTHS = (375, 1280)
AXE = (Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js").read_text("utf-8")
RUN_AXE = """async () => {
  const tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"];
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags}});
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map(n => n.target.join(" "))}));
}"""
SCREEN_HEIGHT = 800  # a phone's window, in CSS pixels
WIDTH = "() => [document.documentElement.scrollWidth, window.innerWidth, document.documentElement.scrollHeight]"
# States a plain visit does not reach: name -> (who, address, what to do on the page).
STATES = {
    "desk scan page, settings open": ("desk", "/staff/checkin?event={slug}", "open_settings"),
    "desk scan page, a card shown": ("desk", "/staff/checkin?event={slug}", "show_card"),
    "registration form with errors": ("visitor", "/e/{slug}/register", "send_with_errors"),
    "personal page, in Dutch": ("visitor", "/r/{dutch}", None),
    "allocation mode, asking to confirm": ("organiser", "/organiser/e/{slug}/allocation", "ask_to_switch"),
    "personal page after the day, a change refused": ("visitor", "/r/{attendee}", "try_to_cancel"),
    "staff login, too many failures": ("visitor", "/staff/login", "fail_logins"),
    "desk scan page, search refused before the day": ("desk", "/staff/checkin?event={slug}", "search_refused"),
    "scan page, namesakes found, a second tap asked": ("organiser", "/staff/checkin?event={slug}", "arm_namesake"),
    "staff invitation, a weak password refused": ("visitor", "/staff/invite/{invitation_token}", "weak_password"),
    "staff accounts, an invitation with errors": ("organiser", "/organiser/staff/", "invite_with_errors"),
    "devices, a token just made with its pairing QR": ("organiser", "/organiser/devices/", "create_device"),
    "transfer, the colleague was mailed": ("visitor", "/r/{session_waiting}/transfer", "ask_a_colleague"),
    "transfer, an address already registered": ("visitor", "/r/{session_waiting}/transfer", "ask_a_registered"),
}


@dataclass
class Visit:
    """What the browser found on one page at one width in one language."""

    name: str
    language: str
    width: int
    page_width: int
    window_width: int
    page_height: int
    findings: list = field(default_factory=list)
    status: int | None = None  # the HTTP status the address answered (after redirects)


def fill_colleague(page, email: str):
    page.fill("#name", "Cor Collega")
    page.fill("#organisation", "Politie Oost")
    page.select_option("#organisation_type", "police")
    page.fill("#email", email)
    with page.expect_navigation():
        page.click("form.form button[type=submit]")


def ask_a_colleague(page):
    """The person gives their place away: the page says the colleague was mailed."""
    fill_colleague(page, "cor.tour@example.org")
    page.wait_for_selector("h1")


def ask_a_registered(page):
    """The colleague's address is registered already: refused (409) and said, the form shown again."""
    fill_colleague(page, "person1@example.org")
    page.wait_for_selector(".notice-bad[role=alert]")


def open_settings(page):
    page.wait_for_selector(DESK_READY)
    page.evaluate("() => document.querySelector('.scan-settings').open = true")


def show_card(page):
    page.wait_for_selector(DESK_READY)
    page.fill("#code", "a-forged-code")
    page.press("#code", "Enter")
    page.wait_for_selector("#card:not([hidden])")


def send_with_errors(page):
    page.evaluate("() => document.querySelector('form.form').noValidate = true")
    page.fill("#email", "no address")
    with page.expect_navigation():
        page.click("form.form button[type=submit]")


def ask_to_switch(page):
    """The seated day to preferences: the page asks first (nothing changes until its button is pressed)."""
    page.check("input[name=mode][value=preferences]")
    page.fill("#deadline", "2099-03-01T17:00")
    with page.expect_navigation():
        page.click("form[action$='/allocation/mode'] button[type=submit]")
    page.wait_for_selector("button[name=confirm][value=yes]")


def try_to_cancel(page):
    """An old tab's cancellation after the day: the page answers 409 and says nothing changed."""
    with page.expect_navigation():
        page.evaluate(
            """() => {
              const form = document.createElement("form");
              form.method = "post";
              form.action = location.pathname + "/cancel";
              const token = document.querySelector("input[name=csrf_token]").cloneNode();
              form.append(token);
              document.body.append(form);
              form.submit();
            }"""
        )
    page.wait_for_selector(".notice-bad[role=alert]")


def fail_logins(page):
    """Wrong passwords until the login is refused (the tour's app allows one failure an hour per account)."""
    for _ in range(2):
        page.fill("#email", "nobody@example.org")
        page.fill("#password", "not the password")
        with page.expect_navigation() as navigation:
            page.click("form.form button[type=submit]")
        if navigation.value.status == 429:
            return
    raise AssertionError("the login was never refused")


def search_refused(page):
    """Before the day the desk's search says it works on the day (the organiser's preview aside)."""
    page.wait_for_selector("#search")
    page.fill("#search", "anne")
    page.wait_for_selector("#search-results li")


def arm_namesake(page):
    """Two Mark Jansen (`namesakes`): the masked addresses and the hint, and a first tap that asks for a second."""
    page.wait_for_selector("#search")
    page.fill("#search", "mark jansen")
    page.wait_for_selector("#search-results li:nth-child(2) button")
    page.click("#search-results li button")
    page.wait_for_selector("#search-results .button-confirm")


def weak_password(page):
    """The invited person's password is too short: the form comes back with the reason (the link stays open)."""
    page.fill("#password", "short")
    page.fill("#password_confirm", "short")
    with page.expect_navigation():
        page.click("form.form button[type=submit]")
    page.wait_for_selector(".error[role=alert]")


def invite_with_errors(page):
    """An invitation without an address or name: the form comes back with its errors (nothing is sent)."""
    with page.expect_navigation():
        page.click("form.form button[type=submit]")
    page.wait_for_selector(".error[role=alert]")


def create_device(page):
    """A new device token for the demo day: the page shows its QR code, pairing link and token once."""
    page.fill("#name", f"Tablet {uuid.uuid4().hex[:6]}")
    with page.expect_navigation():
        page.click("form.form button[type=submit]")
    page.wait_for_selector("#pair-link")


ACTIONS = {
    "open_settings": open_settings,
    "show_card": show_card,
    "send_with_errors": send_with_errors,
    "ask_to_switch": ask_to_switch,
    "try_to_cancel": try_to_cancel,
    "fail_logins": fail_logins,
    "search_refused": search_refused,
    "arm_namesake": arm_namesake,
    "weak_password": weak_password,
    "invite_with_errors": invite_with_errors,
    "create_device": create_device,
    "ask_a_colleague": ask_a_colleague,
    "ask_a_registered": ask_a_registered,
}


def log_in(context, base_url: str, email: str):
    page = context.new_page()
    page.goto(f"{base_url}/staff/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.click("button[type=submit]")
    return page


def axe_findings(page) -> list[dict]:
    """Every axe finding on the page, best practices included."""
    page.evaluate(AXE)  # evaluated by the test, not loaded by the page: the page's CSP stays as it is
    return page.evaluate(RUN_AXE)


def measure(page, name: str, language: str, width: int, status: int | None) -> Visit:
    page_width, window_width, page_height = page.evaluate(WIDTH)
    return Visit(name, language, width, page_width, window_width, page_height, axe_findings(page), status)


def the_stops(data: dict) -> list[tuple[str, str, str, str | None]]:
    """(name, who, address, action) for every page and state of the tour."""
    stops = [(name, who, address.format(**data), None) for name, (who, address) in PAGES.items()]
    return stops + [(name, who, address.format(**data), act) for name, (who, address, act) in STATES.items()]


def tour(browser, base_url: str, data: dict) -> list[Visit]:
    """Visit every stop in each language at each width."""
    visits = []
    for language in LANGUAGES:
        pages = {}
        for who, email in (("visitor", None), ("organiser", "organiser@example.org"), ("desk", "desk@example.org")):
            context = browser.new_context(locale=language, viewport={"width": WIDTHS[0], "height": SCREEN_HEIGHT})
            pages[who] = log_in(context, base_url, email) if email else context.new_page()
        for width in WIDTHS:
            for page in pages.values():
                page.set_viewport_size({"width": width, "height": SCREEN_HEIGHT})
            for name, who, address, action in the_stops(data):
                page = pages[who]
                response = page.goto(base_url + address)
                if action:
                    ACTIONS[action](page)
                visits.append(measure(page, name, language, width, response.status if response else None))
        for page in pages.values():
            page.context.close()
    return visits


def dutch_speaker(app, slug: str) -> str:
    """The personal link of someone who reads Dutch (the personal page speaks the person's language)."""
    with app.app_context():
        event = db.session.scalar(select(Event).where(Event.slug == slug))
        choose = {slot.id: slot.sessions[-1].id for slot in choice_slots(event)}
        details = PersonDetails("Anne de Vries", "anne@example.org", "Gemeente Zwolle", "Jeugdzorg", "nl")
        registration = register(db.session, event, details, choose, "t", utcnow())
        db.session.commit()
        return registration.manage_token


def namesakes(app, slug: str) -> None:
    """Two Mark Jansen (other addresses), so the desk's search shows two people with this name. The day is full
    in this data: they are given a day place from the waitlist, as an organiser would."""
    with app.app_context():
        event = db.session.scalar(select(Event).where(Event.slug == slug))
        choose = {slot.id: slot.sessions[-1].id for slot in choice_slots(event)}
        for email, organisation in (("mark.jansen@example.org", "Gemeente Deventer"), ("mj@example.org", "GGD")):
            details = PersonDetails("Mark Jansen", email, organisation, "Jeugdzorg", "en")
            admit_to_day(db.session, register(db.session, event, details, choose, "t", utcnow()), utcnow())
        db.session.commit()


def served_tour(playwright, chromium: str, args: list[str], sqlite_template: str, tmp_path: Path) -> list[Visit]:
    """Make the data, serve the app, run the tour in one Chromium."""
    path = tmp_path / "eventapp.db"
    shutil.copyfile(sqlite_template, path)
    url = f"sqlite:///{path}"
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": url})
    data = make_data(app)
    data["dutch"] = dutch_speaker(app, data["slug"])
    namesakes(app, data["slug"])
    with app.app_context():
        db.engine.dispose()
    # Failed logins only count (successes never do): one per hour lets the tour reach the "too many" page at once.
    limits = {"EVENTAPP_LOGIN_ACCOUNT_RATE_LIMIT": "1 per hour"}
    with served_app(url, tmp_path / "gunicorn.log", workers=1, threads=4, env=limits) as base_url:
        browser = playwright.chromium.launch(executable_path=chromium, args=args)
        try:
            return tour(browser, base_url, data)
        finally:
            browser.close()
