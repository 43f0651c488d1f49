"""Feedback after the day: one response per person, a second sending replaces the first, closed means closed,
the request mail goes once to each person who came, and the results show no names."""

import datetime as dt
import io
import re

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from eventapp.events.models import Event, Session
from eventapp.feedback import services
from eventapp.feedback.mails import queue_requests
from eventapp.feedback.models import FeedbackMail, FeedbackResponse, SessionFeedback
from eventapp.platform.db import utcnow
from eventapp.platform.extensions import db
from eventapp.platform.mail.kinds import compose
from eventapp.platform.mail.models import OutgoingMail
from eventapp.platform.mail.sender import sending_context
from eventapp.registration.models import Registration
from tests.after_the_day.conftest import check_in, through_door

EN = {"Accept-Language": "en"}


def form_token(client, path) -> str:
    page = client.get(path, headers=EN).get_data(as_text=True)
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def give(client, day, person=0, **answers):
    path = f"/r/{day['tokens'][person]}/feedback"
    return client.post(path, data={"csrf_token": form_token(client, path), **answers}, headers=EN)


def test_the_form_asks_about_the_sessions_they_attended(client, past_day):
    page = client.get(f"/r/{past_day['tokens'][0]}/feedback", headers=EN)
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert f'name="score_{past_day["theme1"]}"' in text and f'name="score_{past_day["pilot1"]}"' in text
    assert f'name="score_{past_day["theme0"]}"' not in text  # chose it, went through another door
    assert 'name="day_score"' in text and 'name="different"' in text


def test_one_response_per_person_and_edits_replace(app, client, past_day):
    t1, p1 = past_day["theme1"], past_day["pilot1"]
    first = give(
        client,
        past_day,
        **{
            f"score_{t1}": "4",
            f"comment_{t1}": "Good cases",
            f"score_{p1}": "2",
            "day_score": "4",
            "different": "More time",
        },
    )
    assert first.status_code == 302
    second = give(client, past_day, **{f"score_{t1}": "5", "day_score": "3"})
    assert second.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count(FeedbackResponse.id))) == 1
        response = db.session.scalar(select(FeedbackResponse))
        assert (response.day_score, response.different) == (3, "")
        assert [(s.session_id, s.score, s.comment) for s in response.sessions] == [(t1, 5, "")]
    again = client.get(f"/r/{past_day['tokens'][0]}/feedback", headers=EN).get_data(as_text=True)
    assert re.search(r'value="5"[^>]*checked|checked[^>]*value="5"', again)


def test_scores_outside_one_to_five_and_strangers_sessions_are_refused(app, client, past_day):
    assert give(client, past_day, day_score="6").status_code == 422
    with app.app_context():
        registration = db.session.get(Registration, past_day["people"][0])
        answers = services.Answers(3, "", {past_day["theme0"]: (4, "")})
        with pytest.raises(ValueError):
            services.save(db.session, registration, answers, utcnow())


def test_only_the_people_who_came_and_only_after_the_day(app, client, past_day):
    stayed_away = client.get(f"/r/{past_day['tokens'][2]}/feedback", headers=EN)
    assert stayed_away.status_code == 403 and "not checked in" in stayed_away.get_data(as_text=True)
    with app.app_context():
        event = db.session.get(Event, past_day["event_id"])
        event.date = (utcnow() + dt.timedelta(days=2)).date()
        db.session.commit()
    early = client.get(f"/r/{past_day['tokens'][0]}/feedback", headers=EN)
    assert early.status_code == 403 and "once the day is over" in early.get_data(as_text=True)


def test_closed_means_closed(app, client, organiser, past_day):
    give(client, past_day, day_score="4")
    results = f"/organiser/e/{past_day['slug']}/feedback"
    token = form_token(organiser, results)
    assert organiser.post(f"{results}/close", data={"csrf_token": token}).status_code == 302
    closed = client.post(f"/r/{past_day['tokens'][0]}/feedback", data={"csrf_token": token, "day_score": "1"})
    assert closed.status_code == 403
    with app.app_context():
        assert db.session.scalar(select(FeedbackResponse.day_score)) == 4
        registration = db.session.get(Registration, past_day["people"][1])
        with pytest.raises(services.FeedbackRefused):
            services.save(db.session, registration, services.Answers(2, "", {}), utcnow())
        assert queue_requests(db.session, utcnow()) == 0  # no requests for a closed day
    assert "Closed the feedback" in organiser.get(f"/organiser/e/{past_day['slug']}/audit", headers=EN).get_data(
        as_text=True
    )


def test_the_request_goes_once_to_each_person_who_came_in_their_language(app, past_day):
    with app.app_context():
        assert queue_requests(db.session, utcnow()) == 2
        assert queue_requests(db.session, utcnow()) == 0
        db.session.commit()
        mails = db.session.scalars(select(OutgoingMail).where(OutgoingMail.kind == FeedbackMail.REQUEST)).all()
        assert sorted(m.registration_id for m in mails) == past_day["people"][:2]
        dutch = next(m for m in mails if m.registration_id == past_day["people"][1])
        with sending_context(app):
            message = compose(dutch)
        text = message.get_body(("plain",)).get_content()
        assert "feedback" in text and f"/r/{past_day['tokens'][1]}/feedback" in text
        assert f"/r/{past_day['tokens'][1]}/attendance.pdf" in text
        assert "Bedankt" in message["Subject"] or "Dank" in message["Subject"]


def test_the_command_queues_the_requests(app, runner, past_day):
    assert "2 feedback requests queued" in runner.invoke(args=["send-feedback-requests"]).output
    assert "0 feedback requests queued" in runner.invoke(args=["send-feedback-requests"]).output


def test_results_and_exports_show_no_names(app, client, organiser, past_day):
    app.config["FEEDBACK_MIN_RESPONDENTS"] = 2  # the two who came both answer, so the day's answers are shown
    t1 = past_day["theme1"]
    give(
        client,
        past_day,
        **{f"score_{t1}": "4", f"comment_{t1}": "Sharp cases", "day_score": "5", "different": "Coffee"},
    )
    give(client, past_day, person=1, **{f"score_{past_day['theme0']}": "2", "day_score": "3"})
    page = organiser.get(f"/organiser/e/{past_day['slug']}/feedback", headers=EN)
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "2 responses" in text and "Average score for the day: 4.0" in text
    assert "Coffee" in text and "data:image/svg+xml;base64," in text
    for secret in ("Łucja", "Person 2", "person1@example.org", "Politie Oost"):
        assert secret not in text
    # One person answered about Theme 1: what they said would point to them.
    assert "Sharp cases" not in text and "Too few answers to show" in text and "too few answers to show" in text
    assert "answers on the day would point" not in text
    csv = organiser.get(f"/organiser/e/{past_day['slug']}/feedback.csv?separator=comma", headers=EN)
    assert csv.status_code == 200 and "Coffee" in csv.get_data(as_text=True)
    assert "Sharp cases" not in csv.get_data(as_text=True)
    assert "Łucja" not in csv.get_data(as_text=True) and "Person" not in csv.get_data(as_text=True)
    xlsx = organiser.get(f"/organiser/e/{past_day['slug']}/feedback.xlsx", headers=EN)
    rows = list(load_workbook(io.BytesIO(xlsx.data)).active.iter_rows(values_only=True))
    assert rows[0] == ("About", "Score", "Comment")
    assert ("The day", 5, "Coffee") in rows and not [row for row in rows if row[0] == "Theme 1"]
    with app.app_context():
        assert db.session.scalar(select(func.count(SessionFeedback.id))) == 2


def test_a_session_fewer_than_the_minimum_answered_about_shows_no_scores_or_comments(app, past_day):
    with app.app_context():
        event = db.session.get(Event, past_day["event_id"])
        person0, person2 = (db.session.get(Registration, past_day["people"][n]) for n in (0, 2))
        theme1 = past_day["theme1"]
        check_in(event, person2)  # came after all, and went to Theme 1 too
        through_door(event, db.session.get(Session, theme1), person2)
        services.save(db.session, person0, services.Answers(5, "", {theme1: (4, "Sharp cases")}), utcnow())
        services.save(db.session, person2, services.Answers(None, "", {theme1: (2, "Too fast")}), utcnow())
        db.session.commit()

        withheld = next(r for r in services.results(db.session, event, 3).sessions if r.session.id == theme1)
        assert withheld.withheld and withheld.respondents == 2
        assert withheld.comments == [] and withheld.scores.count == 0 and withheld.scores.average is None
        assert not [row for row in services.answer_rows(db.session, event, 3) if row[0] and row[0].id == theme1]
        assert services.results(db.session, event, 2).day.count == 1  # the day's scores are not a session's

        shown = next(r for r in services.results(db.session, event, 2).sessions if r.session.id == theme1)
        assert not shown.withheld and shown.comments == ["Sharp cases", "Too fast"] and shown.scores.average == 3.0
        rows = [row for row in services.answer_rows(db.session, event, 2) if row[0] and row[0].id == theme1]
        assert [(score, comment) for _session, score, comment in rows] == [(2, "Too fast"), (4, "Sharp cases")]


def test_a_day_fewer_than_the_minimum_answered_shows_none_of_its_answers(app, past_day):
    with app.app_context():
        event = db.session.get(Event, past_day["event_id"])
        person0 = db.session.get(Registration, past_day["people"][0])
        services.save(db.session, person0, services.Answers(2, "Shorter breaks", {}), utcnow())
        db.session.commit()

        alone = services.results(db.session, event, 2)
        assert alone.day_withheld and alone.responses == 1
        assert alone.day.count == 0 and alone.different == []
        assert services.answer_rows(db.session, event, 2) == []

        counted = services.results(db.session, event, 1)
        assert not counted.day_withheld and counted.day.average == 2.0 and counted.different == ["Shorter breaks"]
        assert services.answer_rows(db.session, event, 1) == [(None, 2, "Shorter breaks")]


def test_the_results_page_says_the_day_is_withheld(app, client, organiser, past_day):
    give(client, past_day, day_score="5", different="Coffee")  # one of the two who came; the minimum is 3
    text = organiser.get(f"/organiser/e/{past_day['slug']}/feedback", headers=EN).get_data(as_text=True)
    assert "1 response." in text and "answers on the day would point to who gave them" in text
    assert "Coffee" not in text and "Average score for the day" not in text
    csv = organiser.get(f"/organiser/e/{past_day['slug']}/feedback.csv?separator=comma", headers=EN)
    assert csv.status_code == 200 and "Coffee" not in csv.get_data(as_text=True)
