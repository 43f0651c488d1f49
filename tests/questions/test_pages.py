"""Questions through HTTP: answering on the form and the personal page, the editor, the summary, the exports,
the desk that never sees sensitive answers, and the purge and erasure that remove them."""

import csv
import datetime as dt
import io
import re

import pytest
from sqlalchemy import func, select, update

from eventapp.events.models import Event
from eventapp.platform.audit import AuditEntry
from eventapp.platform.extensions import db
from eventapp.questions.models import Answer, Question
from eventapp.registration.models import Registration
from tests.checkin.days import slug_on_the_day
from tests.questions.helpers import answers_in_db, demo_questions, register_answering
from tests.registration.test_pages import csrf_token


@pytest.fixture
def organiser(app, make_user, login):
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    email, password = make_user("organiser")
    page = client.get("/staff/login").get_data(as_text=True)
    client.post("/staff/login", data={"csrf_token": csrf_token(page), "email": email, "password": password})
    return client


@pytest.fixture
def desk(app, make_user):
    client = app.test_client()
    email, password = make_user("desk")
    page = client.get("/staff/login").get_data(as_text=True)
    client.post("/staff/login", data={"csrf_token": csrf_token(page), "email": email, "password": password})
    return client


def test_the_form_asks_both_demo_questions_below_the_details_with_the_question_as_label(app, client, demo_slug):
    html = client.get(f"/e/{demo_slug}/register", headers={"Accept-Language": "en"}).get_data(as_text=True)
    diet_id, access_id = demo_questions(app)
    assert html.index('name="organisation"') < html.index(f'name="question_{diet_id}"') < html.index("consent")
    assert re.search(r"<legend>Dietary requirements[^<]*</legend>", html)
    assert f'<label for="question_{access_id}">Accessibility needs' in html
    assert html.count(f'name="question_{diet_id}" type="checkbox"') == 8  # seven diets and "other"
    assert f'name="question_{diet_id}_other"' in html


@pytest.mark.both_databases
def test_answers_given_on_the_form_are_kept_and_wrong_ones_are_refused(app, client, demo_slug):
    response, _ = register_answering(
        app, client, demo_slug, "a@example.org", diet=["vegan", "other"], other="No mushrooms", access="Wheelchair"
    )
    assert response.status_code == 302
    assert answers_in_db(app) == [
        ("Dietary requirements", "No mushrooms", ["vegan", "other"]),
        ("Accessibility needs", "Wheelchair", []),
    ]
    refused, _ = register_answering(app, client, demo_slug, "b@example.org", diet=["other"])
    assert refused.status_code == 422 and "Please say what you mean by other." in refused.get_data(as_text=True)
    unknown, _ = register_answering(app, client, demo_slug, "c@example.org", diet=["pizza"])
    assert unknown.status_code == 422
    assert len(answers_in_db(app)) == 2


def test_registering_again_with_a_known_address_does_not_change_its_answers(app, client, demo_slug):
    register_answering(app, client, demo_slug, "a@example.org", diet=["halal"])
    again, _ = register_answering(app, client, demo_slug, "a@example.org", diet=["vegan"], access="stairs")
    assert again.status_code == 302  # the same answer as always: the link went to the address
    assert answers_in_db(app) == [("Dietary requirements", "", ["halal"])]


def test_a_required_question_must_be_answered(app, client, demo_slug):
    diet_id, access_id = demo_questions(app)
    with app.app_context():
        db.session.execute(update(Question).where(Question.id == access_id).values(required=True))
        db.session.commit()
    response, token = register_answering(app, client, demo_slug, "a@example.org")
    assert response.status_code == 422 and token is None
    assert "Please answer this question." in response.get_data(as_text=True)


def test_the_personal_page_shows_the_answers_and_changes_them(app, client, demo_slug):
    diet_id, access_id = demo_questions(app)
    _, token = register_answering(app, client, demo_slug, "a@example.org", diet=["halal"], access="Ramp")
    html = client.get(f"/r/{token}").get_data(as_text=True)
    assert re.search(r'checked[^>]*value="halal"', html) and re.search(r">\s*Ramp</textarea>", html)
    data = {"csrf_token": csrf_token(html), f"question_{diet_id}": ["vegetarian", "gluten-free"]}
    assert client.post(f"/r/{token}/answers", data=data).status_code == 302
    assert answers_in_db(app) == [("Dietary requirements", "", ["vegetarian", "gluten-free"])]  # emptied: removed
    data[f"question_{diet_id}"] = ["other"]
    assert client.post(f"/r/{token}/answers", data=data).status_code == 422


def export(client, slug, **params) -> list[list[str]]:
    response = client.get(f"/organiser/e/{slug}/export/attendance.csv", query_string={"separator": "comma", **params})
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))


def test_sensitive_answers_are_exported_only_when_asked_for(app, client, organiser, demo_slug):
    register_answering(
        app, client, demo_slug, "a@example.org", diet=["halal", "other"], other="No pork", access="Hearing loop"
    )
    plain = export(organiser, demo_slug)
    assert "Dietary requirements" not in plain[0] and "Hearing loop" not in str(plain)
    rows = export(organiser, demo_slug, sensitive="yes")
    header, row = rows[0], rows[1]
    assert header[-2:] == ["Dietary requirements", "Accessibility needs"]
    assert row[-2:] == ["Halal; Other; No pork", "Hearing loop"]
    with app.app_context():
        sentences = [entry.details for entry in db.session.scalars(select(AuditEntry).order_by(AuditEntry.id))]
    assert sentences[-2:] == [{"format": "csv", "sensitive": False}, {"format": "csv", "sensitive": True}]
    audit = organiser.get(f"/organiser/e/{demo_slug}/audit").get_data(as_text=True)
    assert "Exported the attendance list (csv)" in audit
    assert "Exported the attendance list with the sensitive answers (csv)" in audit


def test_a_question_that_is_not_sensitive_is_always_exported(app, client, organiser, demo_slug):
    diet_id, _ = demo_questions(app)
    with app.app_context():
        db.session.execute(update(Question).where(Question.id == diet_id).values(sensitive=False))
        db.session.commit()
    register_answering(app, client, demo_slug, "a@example.org", diet=["vegan"])
    rows = export(organiser, demo_slug)
    assert rows[0][-1] == "Dietary requirements" and rows[1][-1] == "Vegan"


def test_the_summary_counts_only_people_confirmed_for_the_day(app, client, organiser, demo_slug):
    register_answering(app, client, demo_slug, "a@example.org", diet=["vegetarian"], access="A ramp, please")
    register_answering(app, client, demo_slug, "b@example.org", diet=["vegetarian", "halal"])
    _, cancelled = register_answering(app, client, demo_slug, "c@example.org", diet=["vegetarian"], access="Lift")
    with app.app_context():
        db.session.execute(
            update(Registration).where(Registration.manage_token == cancelled).values(status="cancelled")
        )
        db.session.commit()
    html = organiser.get(f"/organiser/e/{demo_slug}/questions/summary").get_data(as_text=True)
    assert re.search(r"<td>Vegetarian</td><td>2</td>", html) and re.search(r"<td>Halal</td><td>1</td>", html)
    assert re.search(r"<td>Kosher</td><td>0</td>", html)
    assert "A ramp, please" not in html and "Lift" not in html  # sensitive: only after ?sensitive=yes
    html = organiser.get(f"/organiser/e/{demo_slug}/questions/summary?sensitive=yes").get_data(as_text=True)
    assert "A ramp, please" in html and "Sylvia Huis in &#39;t Veld" in html and "Lift" not in html
    sheet = organiser.get(f"/organiser/e/{demo_slug}/questions/summary.csv?separator=comma").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(sheet.lstrip("\ufeff"))))
    assert ["Dietary requirements", "Vegetarian", "2", "", ""] in rows
    assert "A ramp, please" not in sheet  # a sensitive text with a name: only when asked for
    url = f"/organiser/e/{demo_slug}/questions/summary.csv?separator=comma&sensitive=yes"
    rows = list(csv.reader(io.StringIO(organiser.get(url).get_data(as_text=True).lstrip("\ufeff"))))
    assert ["Dietary requirements", "Vegetarian", "2", "", ""] in rows
    assert ["Accessibility needs", "A ramp, please", "", "Sylvia Huis in 't Veld", "Kennispunt Twente"] in rows
    assert organiser.get(f"/organiser/e/{demo_slug}/questions/summary.xlsx").status_code == 200


def test_the_summary_page_shows_sensitive_texts_with_names_only_after_the_recorded_step(
    app, client, organiser, demo_slug
):
    register_answering(app, client, demo_slug, "a@example.org", diet=["other"], other="Geen noten", access="Lift")
    summary = f"/organiser/e/{demo_slug}/questions/summary"
    html = organiser.get(summary).get_data(as_text=True)
    assert "Lift" not in html and "Geen noten" not in html and "Sylvia Huis in &#39;t Veld" not in html
    assert "1 text with a name is held back: this question is sensitive." in html
    assert f'href="{summary}?sensitive=yes"' in html
    with app.app_context():
        assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "export.answers")) is None
    shown = organiser.get(f"{summary}?sensitive=yes").get_data(as_text=True)
    assert "Lift" in shown and "Sylvia Huis in &#39;t Veld" in shown and "held back" not in shown
    with app.app_context():
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "export.answers"))
        assert entry.details == {"format": "html", "sensitive": True}
    log = organiser.get(f"/organiser/e/{demo_slug}/audit").get_data(as_text=True)
    assert "Exported the summary of the answers with the sensitive texts and names (html)" in log


def test_the_desk_never_sees_sensitive_answers(app, client, desk, demo_slug):
    _, token = register_answering(app, client, demo_slug, "a@example.org", diet=["other"], other="Zeewier-dieet")
    with app.app_context():
        registration_id = db.session.scalar(select(Registration.id).where(Registration.manage_token == token))
    slug_on_the_day(app, demo_slug)  # the desk searches on the day
    for path in ("questions", "questions/summary", "questions/summary.csv", f"people/{registration_id}"):
        assert desk.get(f"/organiser/e/{demo_slug}/{path}").status_code == 403, path
    assert desk.get(f"/organiser/e/{demo_slug}/export/attendance.csv?sensitive=yes").status_code == 403
    pages = [
        f"/staff/checkin?event={demo_slug}",
        f"/staff/checkin/not-arrived?event={demo_slug}&q=sylvia",
        f"/api/v1/checkin/search?event={demo_slug}&q=sylvia",
        f"/api/v1/checkin/offline?event={demo_slug}",
        f"/staff/checkin/walk-in?event={demo_slug}",
    ]
    for path in pages:
        response = desk.get(path)
        assert response.status_code == 200, path
        assert "Zeewier" not in response.get_data(as_text=True), path


def test_the_organisers_person_page_shows_the_answers(app, client, organiser, demo_slug):
    _, token = register_answering(app, client, demo_slug, "a@example.org", diet=["kosher"], access="Quiet room")
    with app.app_context():
        registration_id = db.session.scalar(select(Registration.id).where(Registration.manage_token == token))
    html = organiser.get(f"/organiser/e/{demo_slug}/people/{registration_id}").get_data(as_text=True)
    assert "<dd>Kosher</dd>" in html and "<dd>Quiet room</dd>" in html


@pytest.mark.both_databases
def test_erasing_and_the_retention_purge_remove_the_answers(app, client, runner, demo_slug):
    _, token = register_answering(app, client, demo_slug, "a@example.org", diet=["halal"], access="Wheelchair")
    _, other = register_answering(app, client, demo_slug, "b@example.org", diet=["vegan"], access="Lift")
    html = client.get(f"/r/{token}").get_data(as_text=True)
    assert client.post(f"/r/{token}/erase", data={"csrf_token": csrf_token(html), "confirm_erase": "y"}).status_code
    assert [text for _, text, _ in answers_in_db(app)] == ["", "Lift"]  # b's diet and access remain
    with app.app_context():
        db.session.execute(update(Event).values(date=dt.date.today() - dt.timedelta(days=91)))
        db.session.commit()
    assert "1 registrations anonymised" in runner.invoke(args=["purge-personal-data"]).output
    assert answers_in_db(app) == []


def test_the_organiser_adds_changes_orders_and_removes_questions(app, client, organiser, demo_slug):
    base = f"/organiser/e/{demo_slug}/questions"
    page = organiser.get(base).get_data(as_text=True)
    new = {
        "csrf_token": csrf_token(page),
        "label_nl": "Lunch?",
        "label_en": "Lunch?",
        "kind": "yes_no",
        "options_text": "ignored | for yes or no",
        "required": "y",
    }
    assert organiser.post(base, data=new).status_code == 302
    with app.app_context():
        lunch = db.session.scalar(select(Question).where(Question.label_en == "Lunch?"))
        assert (lunch.position, lunch.options, lunch.required, lunch.sensitive) == (3, [], True, False)
        lunch_id = lunch.id
    bad = {**new, "kind": "one_choice", "options_text": ""}
    assert organiser.post(base, data=bad).status_code == 422
    token = csrf_token(page)
    assert organiser.post(f"{base}/{lunch_id}/move", data={"csrf_token": token, "direction": "up"}).status_code == 302
    with app.app_context():
        order = [q.label_en for q in db.session.scalars(select(Question).order_by(Question.position))]
    assert order == ["Dietary requirements", "Lunch?", "Accessibility needs"]
    edit = {**new, "label_en": "Lunch with us?", "kind": "one_choice", "options_text": "Ja | Yes\nNee | No"}
    assert organiser.post(f"{base}/{lunch_id}", data=edit).status_code == 302
    with app.app_context():
        assert [o["key"] for o in db.session.get(Question, lunch_id).options] == ["yes", "no"]
    # Nobody answered it: removed at once. One with answers asks first, saying how many go.
    assert organiser.post(f"{base}/{lunch_id}/remove", data={"csrf_token": token}).status_code == 302
    register_answering(app, client, demo_slug, "a@example.org", diet=["halal"])
    diet_id, _ = demo_questions(app)
    asked = organiser.post(f"{base}/{diet_id}/remove", data={"csrf_token": token})
    assert asked.status_code == 200 and "1 person answered it" in asked.get_data(as_text=True)
    assert answers_in_db(app) != []
    done = organiser.post(f"{base}/{diet_id}/remove", data={"csrf_token": token, "confirm": "yes"})
    assert done.status_code == 302 and answers_in_db(app) == []
    audit = organiser.get(f"/organiser/e/{demo_slug}/audit").get_data(as_text=True)
    assert "Added the question Lunch?" in audit and "Removed the question Dietary requirements with 1 answers" in audit


def test_the_walk_in_form_asks_only_the_required_questions(app, desk, demo_slug):
    slug_on_the_day(app, demo_slug)  # walk-ins are registered on the event's day
    diet_id, access_id = demo_questions(app)
    with app.app_context():
        db.session.execute(update(Question).where(Question.id == diet_id).values(required=True))
        db.session.commit()
    html = desk.get(f"/staff/checkin/walk-in?event={demo_slug}").get_data(as_text=True)
    assert f'name="question_{diet_id}"' in html and f'name="question_{access_id}"' not in html
    from tests.registration.test_pages import session_ids, slot_ids

    sessions, slots = session_ids(app), slot_ids(app)
    data = {
        "csrf_token": csrf_token(html),
        "name": "Walk In",
        "email": "walk@example.org",
        "organisation": "Ede",
        "organisation_type": "municipality",
        "language": "nl",
        f"choice_{slots['Prevention']}": sessions["Prevention"],
        f"choice_{slots['Dashboard Twente']}": sessions["Dashboard Twente"],
    }
    assert desk.post(f"/staff/checkin/walk-in?event={demo_slug}", data=data).status_code == 422
    data[f"question_{diet_id}"] = ["vegan"]
    assert desk.post(f"/staff/checkin/walk-in?event={demo_slug}", data=data).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Answer)) == 1


def test_the_persons_own_data_download_holds_their_answers(app, client, demo_slug):
    _, token = register_answering(app, client, demo_slug, "a@example.org", diet=["other"], other="No figs", access="")
    data = client.get(f"/r/{token}/data.json").get_json()
    assert data["answers"] == [{"question": "Dietary requirements", "text": "No figs", "choices": ["other"]}]
