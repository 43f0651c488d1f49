"""The audit log page: filtered by kind of action and by who did it; entries name the person, or say erased."""

import html
import re

import pytest
from sqlalchemy import select

from eventapp.platform.audit import audit
from eventapp.platform.db import utcnow
from eventapp.platform.extensions import db
from eventapp.platform.staff.models import User
from eventapp.privacy.services import anonymise
from eventapp.registration.models import Registration

pytestmark = pytest.mark.both_databases
NL = {"Accept-Language": "nl"}


@pytest.fixture
def logged(app, day, make_user):
    """Ann (another organiser) changed person 1 and exported; Ben changed person 2, who was erased since."""
    make_user("organiser", email="ann@example.org")
    make_user("organiser", email="ben@example.org")
    with app.app_context():
        ann, ben = (
            db.session.scalar(select(User).where(User.email == e)) for e in ("ann@example.org", "ben@example.org")
        )
        first, second = (db.session.get(Registration, rid) for rid in day["people"][:2])
        audit(db.session, ann, "person.changed", registration=first, changes={})
        audit(db.session, ann, "export.attendance", first.event, format="csv", sensitive=False)
        audit(db.session, ben, "person.cancelled", registration=second)
        anonymise(db.session, second, utcnow())
        db.session.commit()
        return {"slug": day["slug"], "ann": ann.id, "ben": ben.id, "first": first.name}


def rows(organiser, slug, **args) -> list[str]:
    response = organiser.get(f"/organiser/e/{slug}/audit", query_string=args)
    assert response.status_code == 200
    body = response.text.split("<tbody>")[1].split("</tbody>")[0]
    return [" ".join(html.unescape(re.sub(r"<[^>]+>", " ", row)).split()) for row in body.split("<tr>")[1:]]


def test_entries_name_the_person_or_say_erased(organiser, logged):
    entries = rows(organiser, logged["slug"])
    assert any("Changed their details" in row and logged["first"] in row for row in entries)
    assert any("Cancelled their registration" in row and "erased person" in row for row in entries)
    assert not any("the person" in row for row in entries)
    dutch = organiser.get(f"/organiser/e/{logged['slug']}/audit", headers=NL).text
    assert "gewiste persoon" in dutch


def test_filter_by_kind_of_action(organiser, logged):
    people = rows(organiser, logged["slug"], action="person")
    assert len(people) == 2 and all("their" in row for row in people)
    exports = rows(organiser, logged["slug"], action="export")
    assert len(exports) == 1 and "Exported the attendance list" in exports[0]
    assert rows(organiser, logged["slug"], action="bogus") == rows(organiser, logged["slug"])


def test_filter_by_actor_and_both(organiser, logged):
    by_ann = rows(organiser, logged["slug"], actor=logged["ann"])
    assert len(by_ann) == 2 and all("ann@example.org" in row for row in by_ann)
    assert len(rows(organiser, logged["slug"], actor=logged["ben"], action="person")) == 1
    assert rows(organiser, logged["slug"], actor=logged["ben"], action="export") == []
    assert rows(organiser, logged["slug"], actor="x") == rows(organiser, logged["slug"])


def test_the_form_keeps_its_choice(organiser, logged):
    page = organiser.get(f"/organiser/e/{logged['slug']}/audit?action=person&actor={logged['ann']}").text
    assert '<option value="person" selected>' in page
    assert f'<option value="{logged["ann"]}" selected>' in page
