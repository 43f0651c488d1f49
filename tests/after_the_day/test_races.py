"""Two requests at once for the same person: one statement with one code, one feedback response (both databases)."""

import threading

import pytest
from sqlalchemy import func, select

from eventapp.feedback import services as feedback
from eventapp.feedback.models import FeedbackResponse, SessionFeedback
from eventapp.platform.db import utcnow, writing
from eventapp.platform.extensions import db
from eventapp.registration.models import Registration
from eventapp.statements import services as statements
from eventapp.statements.models import AttendanceStatement


def at_once(app, work, count=4):
    """Run `work(registration)` in `count` threads, each with its own app context and connection, at once."""
    barrier, errors, results = threading.Barrier(count), [], []

    def run(registration_id):
        with app.app_context(), writing():  # as the request does: SQLite's writers wait their turn
            try:
                barrier.wait(timeout=10)
                registration = db.session.get(Registration, registration_id)
                results.append(work(registration))
                db.session.commit()
            except Exception as error:  # noqa: BLE001 - reported below
                db.session.rollback()
                errors.append(error)
            finally:
                db.session.remove()

    return barrier, errors, results, run


@pytest.mark.both_databases
def test_one_statement_when_asked_at_once(app, past_day):
    _, errors, results, run = at_once(app, lambda r: statements.statement_for(db.session, r, utcnow()).code)
    threads = [threading.Thread(target=run, args=(past_day["people"][0],)) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with app.app_context():
        assert db.session.scalar(select(func.count(AttendanceStatement.id))) == 1
        assert set(results) == {db.session.scalar(select(AttendanceStatement.code))}


@pytest.mark.both_databases
def test_one_response_when_sent_at_once(app, past_day):
    theme1 = past_day["theme1"]

    def send(registration):
        answers = feedback.Answers(4, "", {theme1: (5, f"from {threading.get_ident()}")})
        return feedback.save(db.session, registration, answers, utcnow()).id

    _, errors, results, run = at_once(app, send)
    threads = [threading.Thread(target=run, args=(past_day["people"][0],)) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with app.app_context():
        assert db.session.scalar(select(func.count(FeedbackResponse.id))) == 1
        assert db.session.scalar(select(func.count(SessionFeedback.id))) == 1
