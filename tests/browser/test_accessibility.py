"""axe-core (WCAG 2.1 AA rules) on the pages people use: no serious or critical violations."""

import re
from pathlib import Path

import pytest
import requests
from sqlalchemy import select

from eventapp.extensions import db
from eventapp.registration.models import Registration
from tests.conftest import load_demo
from tests.served import served_app

AXE = (Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js").read_text("utf-8")
RUN_AXE = """async () => {
  const rules = {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}};
  const result = await axe.run(document, rules);
  return result.violations.filter(v => ["serious", "critical"].includes(v.impact))
    .map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map(n => n.target.join(" "))}));
}"""


def violations(page):
    page.evaluate(AXE)  # evaluated by the test, not loaded by the page: the page's CSP stays as it is
    return page.evaluate(RUN_AXE)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_no_serious_accessibility_violations(app, database_url, tmp_path, launch, make_user, language):
    slug = load_demo(app)
    email, password = make_user("desk")
    with served_app(database_url, tmp_path / "gunicorn.log", workers=1, threads=4) as base_url:
        browser = requests.Session()
        form = browser.get(f"{base_url}/e/{slug}/register").text
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form).group(1)
        slots = re.findall(r'name="(slot_\d+)"[^>]*type="radio" value="(\d+)"', form)
        data = {
            "csrf_token": token,
            "name": "Søren Ærø",
            "email": "a11y@example.org",
            "organisation": "HALT",
            "language": language,
            "consent": "y",
            **{name: value for name, value in dict(slots).items()},
        }
        mailed = browser.post(f"{base_url}/e/{slug}/register", data=data, allow_redirects=False).headers["Location"]
        with app.app_context():  # the personal link travels by mail
            token = db.session.scalar(select(Registration.manage_token).where(Registration.email == "a11y@example.org"))
        manage = f"/r/{token}"

        page = launch().new_page(viewport={"width": 390, "height": 844}, locale=language)
        found = {}
        public = ["/", f"/e/{slug}/", f"/e/{slug}/register", "/privacy", "/newsletter", mailed, manage]
        for path in [*public, "/staff/login"]:
            page.goto(base_url + path if path.startswith("/") else path)
            found[path] = violations(page)
        page.goto(f"{base_url}/staff/login")
        page.fill("#email", email)
        page.fill("#password", password)
        page.click("button[type=submit]")
        page.wait_for_selector("#code")
        found["/staff/checkin"] = violations(page)
        page.goto(f"{base_url}/staff/checkin/not-arrived")
        found["/staff/checkin/not-arrived"] = violations(page)
        page.goto(f"{base_url}/staff/checkin")
        page.wait_for_selector("#code")
        page.fill("#code", "a-forged-code")
        page.press("#code", "Enter")
        page.wait_for_selector("#card:not([hidden])")
        found["/staff/checkin (card)"] = violations(page)
    assert {path: items for path, items in found.items() if items} == {}
