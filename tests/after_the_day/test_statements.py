"""Attendance statements: only for the people who came, the PDF names them and their sessions, and the
code verifies while the statement stands (unknown and revoked codes alike read "not a valid statement")."""

import io

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from eventapp.platform.audit import AuditEntry
from eventapp.platform.db import utcnow
from eventapp.platform.extensions import db
from eventapp.registration.models import Registration
from eventapp.statements import services
from eventapp.statements.models import AttendanceStatement
from tests.organiser.test_pages import csrf

EN = {"Accept-Language": "en"}


def pdf_text(body: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)


def statement_code(app, registration_id) -> str:
    with app.app_context():
        return db.session.scalar(
            select(AttendanceStatement.code).where(AttendanceStatement.registration_id == registration_id)
        )


def test_the_pdf_names_the_person_and_the_sessions_they_attended(app, client, past_day):
    response = client.get(f"/r/{past_day['tokens'][0]}/attendance.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = pdf_text(response.data)
    assert "Łucja Ëlbrink" in text and "Politie Oost" in text
    # The desk scanned at the theme doors: they went into Theme 1, not the Theme 0 they chose. No pilot
    # door was scanned, so their pilot seat counts.
    assert "Theme 1" in text and "Pilot 1" in text and "Theme 0" not in text
    assert "Statement of attendance" in text and "2 h 15 min" in text  # walk-in, theme and pilot (person's English)
    code = statement_code(app, past_day["people"][0])
    assert services.format_code(code) in text and f"/verify/{code}" in text.replace("\n", "")


def test_only_the_checked_in_get_one(app, client, past_day):
    page = client.get(f"/r/{past_day['tokens'][2]}/attendance.pdf", headers=EN)
    assert page.status_code == 403 and page.mimetype == "text/html"
    assert "you were not checked in" in page.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(AttendanceStatement.id)) is None
        with_statement = [
            services.statement_for(db.session, db.session.get(Registration, past_day["people"][1]), utcnow())
        ]
        assert with_statement[0].code not in (
            with_statement[0].registration.manage_token,
            with_statement[0].registration.ticket_code,
        )


def test_downloading_twice_keeps_one_statement_and_code(app, client, past_day):
    client.get(f"/r/{past_day['tokens'][0]}/attendance.pdf")
    first = statement_code(app, past_day["people"][0])
    client.get(f"/r/{past_day['tokens'][0]}/attendance.pdf")
    assert statement_code(app, past_day["people"][0]) == first and len(first) == 16


def test_verification_of_a_valid_an_unknown_and_a_revoked_code(app, client, past_day):
    client.get(f"/r/{past_day['tokens'][0]}/attendance.pdf")
    code = statement_code(app, past_day["people"][0])
    page = client.get(f"/verify/{services.format_code(code).lower()}", headers=EN)
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "Valid statement of attendance" in text
    assert "Łucja Ëlbrink" in text and "Theme 1" in text and "Pilot 1" in text
    assert "person1@example.org" not in text and past_day["tokens"][0] not in text  # nothing beyond the statement

    unknown = client.get("/verify/AAAABBBBCCCCDDDD", headers=EN)
    assert unknown.status_code == 404 and "Not a valid statement" in unknown.get_data(as_text=True)
    assert client.get("/verify/x", headers=EN).status_code == 404

    with app.app_context():
        statement = db.session.scalar(select(AttendanceStatement))
        services.revoke(db.session, statement, None, utcnow())
        db.session.commit()
    revoked = client.get(f"/verify/{code}", headers=EN)
    assert revoked.status_code == 404 and "Not a valid statement" in revoked.get_data(as_text=True)
    assert "Łucja" not in revoked.get_data(as_text=True)
    again = client.get(f"/r/{past_day['tokens'][0]}/attendance.pdf", headers=EN)
    assert again.status_code == 403 and "withdrawn" in again.get_data(as_text=True)


def test_an_organiser_issues_for_someone_the_desk_missed_and_revokes_with_audit_entries(app, organiser, past_day):
    person = f"/organiser/e/{past_day['slug']}/people/{past_day['people'][2]}"
    assert "Issue a statement" in organiser.get(person, headers=EN).get_data(as_text=True)
    token = csrf(organiser, person)
    assert organiser.post(f"{person}/statement/issue", data={"csrf_token": token}).status_code == 302
    response = organiser.get(f"/r/{past_day['tokens'][2]}/attendance.pdf")
    assert response.mimetype == "application/pdf" and "Person 3" in pdf_text(response.data)
    first = statement_code(app, past_day["people"][2])
    assert organiser.get(f"/verify/{first}").status_code == 200

    assert organiser.post(f"{person}/statement/revoke", data={"csrf_token": token}).status_code == 302
    assert organiser.get(f"/verify/{first}").status_code == 404
    organiser.post(f"{person}/statement/issue", data={"csrf_token": token})
    second = statement_code(app, past_day["people"][2])
    assert second != first and organiser.get(f"/verify/{second}").status_code == 200
    assert organiser.get(f"/verify/{first}").status_code == 404
    with app.app_context():
        actions = db.session.scalars(
            select(AuditEntry.action).where(AuditEntry.registration_id == past_day["people"][2]).order_by(AuditEntry.id)
        ).all()
    assert actions == ["statement.issued", "statement.revoked", "statement.issued"]
    history = organiser.get(person, headers=EN).get_data(as_text=True)
    assert "Revoked their statement of attendance" in history and "Issued their statement of attendance" in history


def test_the_personal_page_links_to_the_statement_after_the_day(client, past_day):
    page = client.get(f"/r/{past_day['tokens'][0]}", headers=EN).get_data(as_text=True)
    assert f"/r/{past_day['tokens'][0]}/attendance.pdf" in page and f"/r/{past_day['tokens'][0]}/feedback" in page


def test_erasure_takes_the_statement_and_the_feedback_words_keeps_the_scores(app, client, past_day):
    from eventapp.feedback import services as feedback
    from eventapp.feedback.models import FeedbackResponse
    from eventapp.privacy.services import erase

    client.get(f"/r/{past_day['tokens'][0]}/attendance.pdf")
    code = statement_code(app, past_day["people"][0])
    with app.app_context():
        registration = db.session.get(Registration, past_day["people"][0])
        answers = feedback.Answers(4, "Call me: 06-12345678", {past_day["theme1"]: (5, "Ask Łucja")})
        feedback.save(db.session, registration, answers, utcnow())
        erase(db.session, registration, utcnow(), remove_newsletter=True)
        db.session.commit()
        assert db.session.scalar(select(AttendanceStatement.id)) is None
        response = db.session.scalar(select(FeedbackResponse))
        assert (response.day_score, response.different) == (4, "")
        assert [(item.score, item.comment) for item in response.sessions] == [(5, "")]
    assert client.get(f"/verify/{code}").status_code == 404


@pytest.mark.parametrize("app_settings", [{"VERIFY_RATE_LIMIT": "2 per minute"}])
@pytest.mark.parametrize("path", ["/verify/AAAABBBBCCCCDDDD", "/verify/AAAABBBBCCCCDDDD.json"])
def test_verify_answers_are_never_stored_also_the_rate_limits(client, app_settings, path):
    """A shared cache must not keep a 429 (or any answer about a code) and hand it to the next person."""
    answers = [client.get(path, headers=EN) for _ in range(3)]
    assert [answer.status_code for answer in answers] == [404, 404, 429]
    assert all(answer.headers.get("Cache-Control") == "no-store" for answer in answers)
