"""Every CSV an organiser can download, read with either separator: no cell starts with a formula character.

A spreadsheet does not always split a file on the separator it was written with (Dutch Excel cuts on ";", the
English one and most tools on ","), so a value holding the other separator must not start a formula there.
"""

import csv
import datetime as dt
import io

import pytest
from flask import url_for
from werkzeug.routing.converters import AnyConverter

from eventapp.checkin import services as checkin
from eventapp.feedback import services as feedback
from eventapp.newsletter import services as newsletter
from eventapp.newsletter.models import SubscriberStatus
from eventapp.platform.db import utcnow
from eventapp.platform.exports import Column, csv_chunks
from eventapp.platform.extensions import db
from eventapp.platform.staff.access import Actor
from eventapp.questions.models import Question, QuestionKind
from eventapp.questions.rules import Given
from eventapp.questions.services import save_answers
from tests.registration.helpers import sign_up

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
HOSTILE = [
    "Jan,=2+3",
    "Org;=4+5",
    "@SUM(1)",
    "-1+2",
    "\t=1+1",
    "\r=1+1",
    "Piet; -3+4",
    'Kees,"=5+6"',
    "Anna\n=7+8",
    "Ria\r\n@A1",
    '=HYPERLINK("http://evil.example";"x")',
]
# The CSV downloads this test knows how to fill in; a new one fails the test until it is added here.
CSV_EXPORTS = {
    "people.export_attendance",
    "people.export_session",
    "people.export_waitlists",
    "registration_admin.export_summary",
    "feedback_results.export_feedback",
    "newsletter_admin.export_subscribers",
}
DESK = Actor(None, None, "desk 1")


@pytest.fixture
def hostile_day(app, make_event):
    """A day that is over, with hostile names, organisations, roles, answers, a session title, feedback and a
    newsletter subscriber; one person waits for the day."""
    with app.app_context():
        event = make_event(day_capacity=len(HOSTILE), theme=[len(HOSTILE), 5], pilot=[len(HOSTILE), 5])
        theme0 = event.agenda_items[1].sessions[0]
        theme0.title_en = theme0.title_nl = "Thema,=9+9"
        questions = [
            Question(event_id=event.id, kind=QuestionKind.SHORT_TEXT, label_nl="Dieet", label_en="Diet"),
            Question(event_id=event.id, kind=QuestionKind.LONG_TEXT, label_nl="Zorg", label_en="Care", sensitive=True),
        ]
        db.session.add_all(questions)
        db.session.commit()
        people = []
        for n, text in enumerate(HOSTILE):
            person = sign_up(event, n, name=text, organisation=text, role=text, email=f"-{n}+x@example.org")
            save_answers(db.session, person.id, questions, {q.id: Given(text=text) for q in questions}, utcnow())
            people.append(person)
        sign_up(event, 99, name="=0+0;Laat", organisation="@late")  # the day is full: waits for the day
        subscriber = newsletter.sign_up(db.session, "=s@example.org", "Lees,=1+2", "en", "form", utcnow())
        subscriber.status, subscriber.confirmed_at = SubscriberStatus.CONFIRMED, utcnow()
        event.date = (utcnow() - dt.timedelta(days=1)).date()
        db.session.commit()
        during_the_day = event.local_datetime(dt.time(14, 30))  # scans count on the day only
        for person in people:
            checkin.check_in(db.session, event, person, DESK, during_the_day)
            checkin.admit_to_session(db.session, event, theme0, person, DESK, during_the_day)
        db.session.commit()
        for person, text in zip(people, HOSTILE, strict=True):
            answers = feedback.Answers(day_score=4, different=text, sessions={theme0.id: (5, text)})
            feedback.save(db.session, person, answers, utcnow())
        db.session.commit()
        return {"slug": event.slug, "sessions": [s.id for item in event.agenda_items for s in item.sessions]}


@pytest.fixture
def organiser(client, make_user, login):
    login(*make_user("organiser"))
    return client


def csv_download_urls(app, hostile_day) -> dict[str, list[str]]:
    """Every organiser route with a .csv form, filled in for the day (each of its sessions for a per-session one)."""
    urls: dict[str, list[str]] = {}
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            converter = rule._converters.get("fmt")
            if not isinstance(converter, AnyConverter) or "csv" not in converter.items:
                continue
            assert rule.arguments <= {"fmt", "slug", "session_id"}, rule.rule
            values = [{}]
            if "session_id" in rule.arguments:
                values = [{"session_id": session_id} for session_id in hostile_day["sessions"]]
            slug = {"slug": hostile_day["slug"]} if "slug" in rule.arguments else {}
            urls[rule.endpoint] = [
                url_for(rule.endpoint, fmt="csv", sensitive="yes", **slug, **value) for value in values
            ]
    return urls


def cells(text: str, delimiter: str) -> list[str]:
    assert text.startswith("\ufeff")
    return [cell for row in csv.reader(io.StringIO(text[1:], newline=""), delimiter=delimiter) for cell in row]


def test_every_csv_export_is_safe_read_with_either_separator(app, hostile_day, organiser):
    urls = csv_download_urls(app, hostile_day)
    assert set(urls) == CSV_EXPORTS
    seen = ""
    for endpoint, addresses in urls.items():
        for address in addresses:
            for separator in ("comma", "semicolon"):
                response = organiser.get(f"{address}&separator={separator}")
                assert response.status_code == 200, (endpoint, address)
                text = response.get_data(as_text=True)
                seen += text
                for delimiter in (",", ";"):
                    dangerous = [cell for cell in cells(text, delimiter) if cell.startswith(FORMULA_START)]
                    assert dangerous == [], (address, separator, delimiter)
    # The hostile texts did reach the files: the names, the answers, the feedback, the subscriber, the title.
    assert "Jan,'=2+3" in seen and "Org;'=4+5" in seen and "Lees,'=1+2" in seen and "Thema,'=9+9" in seen


def test_a_cell_with_the_other_separator_is_quoted_and_stays_whole():
    for delimiter, other in ((",", ";"), (";", ",")):
        text = "".join(csv_chunks([Column("a"), Column("b")], [[f"x{other}y", "plain"], ["-1", 2]], delimiter))
        assert f'"x{other}y"{delimiter}plain\r\n' in text
        assert f'"\'-1"{delimiter}2\r\n' in text
        rows = list(csv.reader(io.StringIO(text[1:], newline=""), delimiter=delimiter))
        assert rows == [["a", "b"], [f"x{other}y", "plain"], ["'-1", "2"]]
        # Read with the other separator, the quoted cell is not cut at its separator.
        assert cells(text, other)[1].startswith(f"x{other}y")


def test_formula_characters_after_a_separator_or_line_break_inside_a_cell_get_a_quote():
    text = "".join(csv_chunks([Column("a")], [[value] for value in HOSTILE]))
    assert cells(text, ",")[1:] == [
        "Jan,'=2+3",
        "Org;'=4+5",
        "'@SUM(1)",
        "'-1+2",
        "'\t=1+1",
        "'\r'=1+1",
        "Piet; '-3+4",
        'Kees,"\'=5+6"',
        "Anna\n'=7+8",
        "Ria\r\n'@A1",
        '\'=HYPERLINK("http://evil.example";"x")',
    ]
