"""The people list sorts as Dutch lists do, by every column, served; the exports and the print list follow."""

import csv
import datetime as dt
import html
import io
import re

import openpyxl
import pytest

from eventapp.platform.db import utcnow
from eventapp.platform.extensions import db
from eventapp.privacy.services import anonymise
from eventapp.registration.models import Registration
from eventapp.registration.names import sort_key
from tests.after_the_day.conftest import check_in
from tests.registration.helpers import sign_up

pytestmark = pytest.mark.both_databases

PEOPLE = [  # name, organisation, kind of organisation
    ("Jan de Vries", "Politie Oost", "police"),
    ("Denise van der Plaat", "gemeente Zwolle", "municipality"),
    ("Bram de Vries", "Halt Nederland", "halt"),
    ("Sylvia Huis in 't Veld", "Reclassering", "probation"),
    ("Kees 't Hart", "Attero", "other"),
    ("Anouk de Vries", "Bureau Jeugdzorg", "youth_care"),
]
BY_SURNAME = [
    "Kees 't Hart",
    "Sylvia Huis in 't Veld",
    "Denise van der Plaat",
    "Anouk de Vries",
    "Bram de Vries",
    "Jan de Vries",
]


@pytest.fixture
def people_day(app, make_event):
    """Six people; the day holds five, so Anouk (the last to register) waits; Bram came first, then Jan."""
    with app.app_context():
        event = make_event(day_capacity=5, theme=[10, 10], pilot=[10, 10])
        registrations = [
            sign_up(event, n, name=name, organisation=org, organisation_type=kind)
            for n, (name, org, kind) in enumerate(PEOPLE, start=1)
        ]
        by_name = {r.name: r for r in registrations}
        # Scanned during the day's walk-in (a scan counts on the day only).
        check_in(event, by_name["Bram de Vries"], at=event.local_datetime(dt.time(13, 30)))
        check_in(event, by_name["Jan de Vries"], at=event.local_datetime(dt.time(13, 45)))
        return {"slug": event.slug, "session_id": event.agenda_items[1].sessions[0].id}


def listed(organiser, slug, **args) -> list[str]:
    response = organiser.get(f"/organiser/e/{slug}/people", query_string=args)
    assert response.status_code == 200
    return [html.unescape(name) for name in re.findall(r'/people/\d+">([^<]+)</a>', response.text)]


def test_the_list_sorts_on_the_surname_by_default(organiser, people_day):
    assert listed(organiser, people_day["slug"]) == BY_SURNAME
    assert listed(organiser, people_day["slug"], sort="surname", dir="asc") == BY_SURNAME
    assert listed(organiser, people_day["slug"], sort="surname", dir="desc") == BY_SURNAME[::-1]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        (
            "organisation",
            [
                "Kees 't Hart",
                "Anouk de Vries",
                "Denise van der Plaat",
                "Bram de Vries",
                "Jan de Vries",
                "Sylvia Huis in 't Veld",
            ],
        ),
        # the kinds in the form's order: municipality, police, youth care, HALT, probation, other
        (
            "type",
            [
                "Denise van der Plaat",
                "Jan de Vries",
                "Anouk de Vries",
                "Bram de Vries",
                "Sylvia Huis in 't Veld",
                "Kees 't Hart",
            ],
        ),
        # registered first, then the day's waitlist; within each by surname
        ("status", [*[n for n in BY_SURNAME if n != "Anouk de Vries"], "Anouk de Vries"]),
        # who came, in order of arrival, then the others by surname
        (
            "arrival",
            [
                "Bram de Vries",
                "Jan de Vries",
                "Kees 't Hart",
                "Sylvia Huis in 't Veld",
                "Denise van der Plaat",
                "Anouk de Vries",
            ],
        ),
    ],
)
def test_each_column_sorts_both_ways(organiser, people_day, sort, expected):
    assert listed(organiser, people_day["slug"], sort=sort) == expected
    descending = listed(organiser, people_day["slug"], sort=sort, dir="desc")
    if sort == "arrival":  # who has not come stays after who has
        assert descending == ["Jan de Vries", "Bram de Vries", *expected[2:][::-1]]
    else:
        assert descending == expected[::-1]


@pytest.mark.parametrize(
    "args",
    [{"sort": "name"}, {"sort": "' OR 1=1"}, {"sort": "surname", "dir": "sideways"}, {"dir": "desc"}, {"sort": ""}],
)
def test_an_unknown_order_is_the_default(organiser, people_day, args):
    assert listed(organiser, people_day["slug"], **args) == BY_SURNAME


def test_headers_are_sort_links_with_aria_sort(organiser, people_day):
    page = organiser.get(f"/organiser/e/{people_day['slug']}/people?sort=organisation&dir=desc&status=confirmed").text
    assert page.count("aria-sort=") == 1
    header = re.search(r'<th scope="col" aria-sort="descending">\s*<a class="sort-link" href="([^"]+)"', page)
    assert header and "sort=organisation" in html.unescape(header.group(1))
    assert "dir=asc" in html.unescape(header.group(1)) and "status=confirmed" in html.unescape(header.group(1))
    links = [html.unescape(link) for link in re.findall(r'class="sort-link" href="([^"]+)"', page)]
    assert len(links) == 5 and all("status=confirmed" in link for link in links)
    assert 'aria-sort="ascending"' in organiser.get(f"/organiser/e/{people_day['slug']}/people").text


def test_paging_keeps_the_order(organiser, people_day, monkeypatch):
    from eventapp.organiser import people

    monkeypatch.setattr(people, "PER_PAGE", 4)
    first = organiser.get(f"/organiser/e/{people_day['slug']}/people?sort=surname&dir=desc").text
    next_link = html.unescape(re.search(r'<a href="([^"]+)">(?:Next page|Volgende pagina)</a>', first).group(1))
    assert "sort=surname" in next_link and "dir=desc" in next_link and "page=2" in next_link
    second = organiser.get(next_link).text
    names = [html.unescape(n) for n in re.findall(r'/people/\d+">([^<]+)</a>', first + second)]
    assert names == BY_SURNAME[::-1]


def test_the_exports_and_the_print_list_follow_the_surname(organiser, people_day):
    slug = people_day["slug"]
    text = organiser.get(f"/organiser/e/{slug}/export/attendance.csv?separator=comma").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert [row[0] for row in rows[1:]] == BY_SURNAME
    workbook = openpyxl.load_workbook(io.BytesIO(organiser.get(f"/organiser/e/{slug}/export/attendance.xlsx").data))
    assert [row[0] for row in workbook.active.iter_rows(min_row=2, values_only=True)] == BY_SURNAME
    session = f"/organiser/e/{slug}/export/session/{people_day['session_id']}"
    seated = [n for n in BY_SURNAME if n != "Anouk de Vries"]  # waiting for the day: no seat
    text = organiser.get(f"{session}.csv?separator=comma").get_data(as_text=True)
    assert [row[0] for row in list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))[1:]] == seated
    printed = html.unescape(organiser.get(f"{session}/print").text)
    assert [printed.index(name) for name in seated] == sorted(printed.index(name) for name in seated)


def test_the_sort_name_follows_corrections_and_is_cleared_on_erasure(app, people_day):
    with app.app_context():
        registration = db.session.scalar(db.select(Registration).where(Registration.name == "Jan de Vries"))
        assert registration.sort_name == sort_key("Jan de Vries")
        registration.name = "Jan van Aalst"
        db.session.commit()
        assert registration.sort_name.startswith("aalst")
        anonymise(db.session, registration, utcnow())
        db.session.commit()
        assert registration.sort_name == ""


def test_a_page_by_surname_reads_the_index_not_every_row(app, people_day, backend):
    """The default order is served by ix_registration_event_id_sort_name: a page of 50 out of 10,000 reads 50 rows,
    with no sort of the whole list (SQLite's plan would say USE TEMP B-TREE FOR ORDER BY)."""
    if backend != "sqlite":
        pytest.skip("the plan is read from SQLite's EXPLAIN QUERY PLAN")
    from eventapp.events.models import Event
    from eventapp.organiser.services import PeopleFilter, people_query

    with app.app_context():
        event = db.session.scalar(db.select(Event).where(Event.slug == people_day["slug"]))
        statement = people_query(event, PeopleFilter()).limit(50).offset(100)
        compiled = statement.compile(db.engine, compile_kwargs={"literal_binds": True})
        plan = " ".join(str(row[-1]) for row in db.session.execute(db.text(f"EXPLAIN QUERY PLAN {compiled}")))
    assert "ix_registration_event_id_sort_name" in plan, plan
    assert "TEMP B-TREE" not in plan, plan
