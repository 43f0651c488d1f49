"""The lists as organisers download them, read back with csv, openpyxl and calamine and compared with the database."""

import csv
import datetime as dt
import io

import openpyxl
import pytest
from python_calamine import CalamineWorkbook
from sqlalchemy import select

from eventapp.checkin import services as checkin_services
from eventapp.platform.db import utcnow
from eventapp.platform.extensions import db
from eventapp.platform.staff.access import Actor
from eventapp.registration.models import Registration
from tests.checkin.days import on_the_day
from tests.registration.helpers import sign_up

HOSTILE = [
    '=HYPERLINK("http://evil.example","x")',
    "+31 6 12345678",
    "-2+3",
    "@SUM(A1:A2)",
    "=SUM(A1)",
    "-5 people",
    "@home",
]
NAMES = ["Søren Ærø", "Sylvia Huis in 't Veld", "Ünal Yılmaz", *HOSTILE]


@pytest.fixture
def listed(app, make_event):
    """An event with awkward names and organisations; one person checked in; one waiting for the day."""
    with app.app_context():
        event = make_event(day_capacity=len(NAMES), theme=[3, 10], pilot=[10, 10])
        people = [sign_up(event, n, name=name, organisation=f"Org {name}", theme=0) for n, name in enumerate(NAMES)]
        sign_up(event, 99, name="Laat Aangemeld")  # the day is full: the day's waitlist
        desk = Actor(None, None, "desk 1")
        on_the_day(event)  # scans count on the event's day; people signed up before
        checkin_services.check_in(db.session, event, people[0], desk, utcnow())
        checkin_services.check_in(db.session, event, people[1], desk, utcnow())
        theme0 = event.agenda_items[1].sessions[0]
        checkin_services.admit_to_session(db.session, event, theme0, people[1], desk, utcnow())
        db.session.commit()
        return {"slug": event.slug, "date": event.date.isoformat(), "theme0": event.agenda_items[1].sessions[0].id}


@pytest.fixture
def organiser(client, make_user, login):
    login(*make_user("organiser"))
    return client


def read_csv(response) -> list[list[str]]:
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def read_xlsx(response) -> list[list]:
    workbook = openpyxl.load_workbook(io.BytesIO(response.data))
    try:
        sheet = workbook.active
        assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref.startswith("A1:")
        assert all(cell.font.bold for cell in sheet[1])
        return [[cell.value for cell in row] for row in sheet.iter_rows()]
    finally:
        workbook.close()


def test_attendance_list_in_both_formats(app, listed, organiser):
    base = f"/organiser/e/{listed['slug']}/export/attendance"
    as_csv = organiser.get(f"{base}.csv")  # a stream: read it before the next request
    assert f'filename="{listed["slug"]}-{listed["date"]}-attendance.csv"' in as_csv.headers["Content-Disposition"]
    csv_rows = read_csv(as_csv)
    as_xlsx = organiser.get(f"{base}.xlsx")
    assert as_xlsx.headers["Content-Disposition"].endswith('-attendance.xlsx"')
    xlsx_rows = read_xlsx(as_xlsx)
    assert (
        csv_rows[0]
        == xlsx_rows[0]
        == [
            "Name",
            "E-mail",
            "Organisation",
            "Kind of organisation",
            "Role",
            "Status",
            "Theme",
            "Pilot",
            "Registered at",
            "Checked in at",
            "Desk",
        ]
    )
    with app.app_context():
        names = db.session.scalars(select(Registration.name).order_by(Registration.sort_name, Registration.id)).all()
    assert [row[0] for row in xlsx_rows[1:]] == names  # a text cell in XLSX: shown as typed, never run
    assert [row[0] for row in csv_rows[1:]] == [("'" + n) if n.startswith(("=", "+", "-", "@")) else n for n in names]
    by_name = {row[0]: row for row in xlsx_rows[1:]}
    csv_by_name = {row[0]: row for row in csv_rows[1:]}
    for hostile in HOSTILE:  # CSV has no types: a quote in front keeps it from running
        assert csv_by_name["'" + hostile][0] == "'" + hostile
        assert by_name[hostile][2] == "Org " + hostile
    soren = by_name["Søren Ærø"]
    assert soren[3] == "Other" and soren[5:8] == ["confirmed", "Theme 0", "Pilot 0"]
    assert isinstance(soren[8], dt.datetime) and isinstance(soren[9], dt.datetime) and soren[10] == "desk 1"
    waiting_for_seat = by_name[HOSTILE[0]]  # the fourth to choose Theme 0 (three seats)
    assert waiting_for_seat[6] == "Theme 0 (waiting)"
    late = by_name["Laat Aangemeld"]
    assert late[5] == "on the waitlist" and late[9] is None
    assert {row[0]: row[9] for row in csv_rows[1:]}["Søren Ærø"] == soren[9].strftime("%Y-%m-%d %H:%M")


def test_session_list_and_print_page(listed, organiser):
    base = f"/organiser/e/{listed['slug']}/export/session/{listed['theme0']}"
    rows = read_xlsx(organiser.get(f"{base}.xlsx"))
    assert rows[0] == ["Name", "Organisation", "Role", "E-mail", "Checked in at", "Came to the session"]
    # Theme 0 has three seats: the first three to register have them
    assert sorted(row[0] for row in rows[1:]) == sorted(["Søren Ærø", "Sylvia Huis in 't Veld", "Ünal Yılmaz"])
    assert {row[0]: row[5] for row in rows[1:]}["Søren Ærø"] == "no"
    printed = organiser.get(f"{base}/print").get_data(as_text=True)
    assert "Signature" in printed and "Søren Ærø" in printed


def test_waitlists(listed, organiser):
    rows = read_csv(organiser.get(f"/organiser/e/{listed['slug']}/export/waitlists.csv"))
    assert rows[0][:3] == ["Waiting for", "Place", "Name"]
    assert rows[1][:3] == ["The day", "1", "Laat Aangemeld"]
    theme_line = [row for row in rows[1:] if row[0] == "Theme 0"]
    assert [row[1] for row in theme_line] == [str(n) for n in range(1, len(theme_line) + 1)]


def test_unknown_format_is_404(listed, organiser):
    assert organiser.get(f"/organiser/e/{listed['slug']}/export/attendance.pdf").status_code == 404


# What an organiser reads in each language: the attendance header, a status, a place in a session's line.
ATTENDANCE_HEADER = {
    "nl": ["Naam", "E-mail", "Organisatie", "Soort organisatie", "Functie", "Status", "Theme", "Pilot"]
    + ["Aangemeld op", "Ingecheckt om", "Balie"],
    "en": ["Name", "E-mail", "Organisation", "Kind of organisation", "Role", "Status", "Theme", "Pilot"]
    + ["Registered at", "Checked in at", "Desk"],
}
WORDS = {
    "nl": {"confirmed": "bevestigd", "waitlisted": "op de wachtlijst", "waiting": "Theme 0 (wachtlijst)"},
    "en": {"confirmed": "confirmed", "waitlisted": "on the waitlist", "waiting": "Theme 0 (waiting)"},
}
BOM = b"\xef\xbb\xbf"


def calamine_rows(response) -> list[list]:
    """An .xlsx download read by calamine, a reader that shares no code with the writer (openpyxl)."""
    return CalamineWorkbook.from_filelike(io.BytesIO(response.data)).get_sheet_by_index(0).to_python()


def csv_rows(response, delimiter: str) -> list[list[str]]:
    assert response.data.startswith(BOM)  # Excel reads the file as UTF-8 only with it
    return list(csv.reader(io.StringIO(response.data[len(BOM) :].decode("utf-8")), delimiter=delimiter))


@pytest.mark.parametrize(("language", "delimiter"), [("nl", ";"), ("en", ",")])
def test_attendance_speaks_the_organisers_language(listed, organiser, language, delimiter):
    organiser.environ_base["HTTP_ACCEPT_LANGUAGE"] = language
    base = f"/organiser/e/{listed['slug']}/export/attendance"
    words = WORDS[language]
    # The plain CSV link: ";" for Dutch Excel, which splits a double-clicked file only there; "," in English.
    as_csv = csv_rows(organiser.get(f"{base}.csv"), delimiter)
    as_xlsx = calamine_rows(organiser.get(f"{base}.xlsx"))
    assert as_csv[0] == as_xlsx[0] == ATTENDANCE_HEADER[language]
    for rows in (as_csv, as_xlsx):
        assert {row[0]: row[5] for row in rows}["Søren Ærø"] == words["confirmed"]
        assert {row[0]: row[5] for row in rows}["Laat Aangemeld"] == words["waitlisted"]
    xlsx_by_name = {row[0]: row for row in as_xlsx[1:]}
    assert xlsx_by_name[HOSTILE[0]][6] == words["waiting"]
    assert isinstance(xlsx_by_name["Søren Ærø"][8], dt.datetime)  # dates stay dates
    # XLSX shows each value as typed, without a quote; CSV, which has no types, keeps the quote in front.
    assert set(HOSTILE) <= set(xlsx_by_name)
    assert not any(name.startswith("'") for name in xlsx_by_name)
    assert {"'=SUM(A1)", "'-5 people", "'@home"} <= {row[0] for row in as_csv}


def test_the_csv_separator_can_be_chosen(listed, organiser):
    base = f"/organiser/e/{listed['slug']}/export/attendance.csv"
    organiser.environ_base["HTTP_ACCEPT_LANGUAGE"] = "nl"
    assert csv_rows(organiser.get(f"{base}?separator=comma"), ",")[0] == ATTENDANCE_HEADER["nl"]
    assert csv_rows(organiser.get(f"{base}?separator=semicolon"), ";")[0] == ATTENDANCE_HEADER["nl"]
    organiser.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    assert csv_rows(organiser.get(f"{base}?separator=semicolon"), ";")[0] == ATTENDANCE_HEADER["en"]
    assert organiser.get(f"{base}?separator=tab").status_code == 400


@pytest.mark.parametrize(
    ("language", "came", "yes", "no"),
    [("nl", "Naar de sessie gekomen", "ja", "nee"), ("en", "Came to the session", "yes", "no")],
)
def test_session_list_says_yes_and_no_in_the_organisers_language(listed, organiser, language, came, yes, no):
    organiser.environ_base["HTTP_ACCEPT_LANGUAGE"] = language
    base = f"/organiser/e/{listed['slug']}/export/session/{listed['theme0']}"
    as_csv = csv_rows(organiser.get(f"{base}.csv?separator=comma"), ",")
    as_xlsx = calamine_rows(organiser.get(f"{base}.xlsx"))
    for rows in (as_csv, as_xlsx):
        assert rows[0][5] == came
        assert {row[0]: row[5] for row in rows[1:]} == {
            "Søren Ærø": no,
            "Sylvia Huis in 't Veld": yes,
            "Ünal Yılmaz": no,
        }


def test_waitlists_name_the_day_in_the_organisers_language(listed, organiser):
    organiser.environ_base["HTTP_ACCEPT_LANGUAGE"] = "nl"
    rows = calamine_rows(organiser.get(f"/organiser/e/{listed['slug']}/export/waitlists.xlsx"))
    assert rows[0][:3] == ["Wacht op", "Plaats", "Naam"]
    assert rows[1][0] == "De dag" and rows[1][2] == "Laat Aangemeld"


def test_the_dashboard_offers_both_csv_files(listed, organiser):
    organiser.environ_base["HTTP_ACCEPT_LANGUAGE"] = "nl"
    page = organiser.get(f"/organiser/e/{listed['slug']}/").get_data(as_text=True)
    base = f"/organiser/e/{listed['slug']}/export/attendance"
    assert f'href="{base}.csv?separator=semicolon">CSV voor Nederlandse Excel (;)</a>' in page
    assert f'href="{base}.csv?separator=comma">CSV met komma' in page
    assert f'href="{base}.xlsx">Excel (XLSX)</a>' in page
