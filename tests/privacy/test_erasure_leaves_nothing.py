"""Erasure on request, walked over the whole schema: every table with a column that refers to a registration either
holds no row of the erased person any more or is one that keeps counts on purpose (and then holds nothing that
names them), and no text anywhere in the database still says who they were."""

import datetime as dt

import pytest
from sqlalchemy import select

from eventapp.allocation import services as allocation
from eventapp.checkin import services as checkin
from eventapp.events.services import choice_slots
from eventapp.feedback import services as feedback
from eventapp.platform.audit import audit
from eventapp.platform.db import utcnow
from eventapp.platform.extensions import db
from eventapp.platform.staff.access import Actor
from eventapp.privacy import services as privacy
from eventapp.questions.models import Question, QuestionKind
from eventapp.questions.rules import Given
from eventapp.questions.services import save_answers
from eventapp.registration import services as registration_services
from eventapp.registration import transfers
from eventapp.registration.models import Registration
from eventapp.registration.record import details_changes
from eventapp.statements import services as statements
from tests.organiser.test_pages import csrf
from tests.registration.helpers import person

pytestmark = pytest.mark.both_databases

# Rows that stay, linked to the anonymised registration, because the day's figures count them: seats (also the
# seats held when the day began) and waitlists, who came, who went through which door, the scores of the
# feedback, the desks' scan log and the organisers' audit log (which keeps that a person was changed or erased,
# not what they were called).
KEPT_FOR_THE_COUNTS = {
    "choice",
    "day_seat",
    "check_in",
    "session_attendance",
    "feedback_response",
    "scan",
    "audit_entry",
}
# Rows that name the person or what they chose and said: gone with the erasure.
ERASED = {
    "preference",
    "answer",
    "contact_request",
    "transfer_request",
    "attendance_statement",
    "replaced_statement_code",
    "outgoing_mail",
}
SECRETS = {
    "name": "Wiske Wisbaar",
    "email": "wiske.wisbaar@example.org",
    "organisation": "Gemeente Vergeetdorp",
    "role": "Beleidsmedewerker Vergetelheid",
}
ANSWER = "Allergisch voor vergeten pinda's"
CORRECTED = "Wiske Wisbaar-Dewilde"


@pytest.fixture
def app_settings(smtp_port):
    return {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": smtp_port, "MAIL_SUPPRESS_SEND": False}


def references_to_registration() -> dict[str, list]:
    """table name -> its columns with a foreign key to registration.id."""
    tables: dict[str, list] = {}
    for table in db.metadata.sorted_tables:
        for column in table.columns:
            if any(key.column.table.name == "registration" for key in column.foreign_keys):
                tables.setdefault(table.name, []).append(column)
    return tables


def rows_referring_to(registration_id: int) -> dict[str, int]:
    counts = {}
    for name, columns in references_to_registration().items():
        table = db.metadata.tables[name]
        for column in columns:
            rows = db.session.execute(select(table).where(column == registration_id)).all()
            counts[name] = counts.get(name, 0) + len(rows)
    return counts


def texts_in_database() -> str:
    """Every value of every row of every table, as one text to search."""
    values = []
    for table in db.metadata.sorted_tables:
        for row in db.session.execute(select(table)):
            for value in row:
                values.append(value.decode("latin-1") if isinstance(value, bytes) else str(value))
    return "\n".join(values)


def a_ranked_person_who_came(app, make_event) -> tuple[str, int, int]:
    """Preference mode: a person who ranked sessions, answered a question, asked for the newsletter, was corrected
    by an organiser, came, has a statement and gave feedback; and another person who ranked too.
    Returns the slug and both registration ids."""
    with app.app_context():
        event = make_event(day_capacity=5, theme=[3, 3], pilot=[3, 3])
        allocation.switch_mode(db.session, event, "preferences", utcnow() + dt.timedelta(days=10), utcnow())
        question = Question(event_id=event.id, kind=QuestionKind.SHORT_TEXT, label_nl="Dieet", label_en="Diet")
        db.session.add(question)
        db.session.commit()
        theme, pilot = choice_slots(event)
        ranking = {theme.id: [theme.sessions[1].id, theme.sessions[0].id], pilot.id: [pilot.sessions[0].id]}
        people = [
            registration_services.register(
                db.session, event, details, {}, "v1", utcnow(), wants_newsletter=True, ranking=ranking
            )
            for details in (person(1, **SECRETS), person(2))
        ]
        save_answers(db.session, people[0].id, [question], {question.id: Given(text=ANSWER)}, utcnow())
        colleague = registration_services.PersonDetails("Kees Overnemer", "kees.overnemer@example.org", "Overdorp")
        transfers.request_transfer(db.session, people[0], colleague, utcnow())  # asked, never accepted
        corrected = person(1, **{**SECRETS, "name": CORRECTED})
        audit(db.session, None, "person.changed", registration=people[0], changes=details_changes(people[0], corrected))
        registration_services.update_details(people[0], corrected)
        event.date = (utcnow() - dt.timedelta(days=1)).date()
        db.session.commit()
        during_the_day = event.local_datetime(dt.time(14, 30))  # yesterday's day: scans count on the day only
        checkin.check_in(db.session, event, people[0], Actor(None, None, "desk 1"), during_the_day)
        db.session.commit()
        statements.statement_for(db.session, people[0], utcnow())
        feedback.save(db.session, people[0], feedback.Answers(4, "Meer over " + SECRETS["organisation"], {}), utcnow())
        db.session.commit()
        assert rows_referring_to(people[0].id)["preference"] == 3
        return event.slug, people[0].id, people[1].id


def test_erasure_leaves_no_row_that_names_the_person(app, client, make_event, make_user, login, smtp):
    slug, erased_id, other_id = a_ranked_person_who_came(app, make_event)
    with app.app_context():
        assert set(references_to_registration()) == KEPT_FOR_THE_COUNTS | ERASED  # a new table must be placed here
        before = rows_referring_to(erased_id)
        other_before = rows_referring_to(other_id)
    login(*make_user("organiser"))
    path = f"/organiser/e/{slug}/people/{erased_id}"
    data = {"csrf_token": csrf(client, path), "confirm": "yes", "remove_newsletter": "y"}
    assert client.post(f"{path}/erase", data=data).status_code == 302

    with app.app_context():
        after = rows_referring_to(erased_id)
        assert {name: after[name] for name in ERASED} == dict.fromkeys(ERASED, 0), after
        assert before["preference"] == 3 and before["answer"] == 1 and before["attendance_statement"] == 1
        assert before["transfer_request"] == 1
        assert after["check_in"] == 1 and after["feedback_response"] == 1  # still counted: came, scored 4
        assert rows_referring_to(other_id) == other_before  # the other person keeps their ranking
        assert db.session.get(Registration, erased_id).anonymised_at is not None
        everything = texts_in_database()
    for secret in [*SECRETS.values(), CORRECTED, ANSWER, "Wisbaar", "Vergeetdorp", "Vergetelheid", "Overnemer"]:
        assert secret not in everything, secret


def test_anonymising_after_the_retention_period_forgets_the_corrections_and_keeps_the_ranking(app, make_event):
    slug, anonymised_id, _other_id = a_ranked_person_who_came(app, make_event)
    with app.app_context():
        today = utcnow().date() + dt.timedelta(days=400)
        counts = privacy.purge_personal_data(db.session, today, 365, utcnow(), dry_run=False)
        db.session.commit()
        assert counts == {slug: 2}
        after = rows_referring_to(anonymised_id)
        # Nothing names them, but the ranking still counts in the edition's demand figures.
        assert after["preference"] == 3 and after["answer"] == 0
        everything = texts_in_database()
    for secret in [SECRETS["name"], SECRETS["organisation"], SECRETS["role"], CORRECTED, ANSWER]:
        assert secret not in everything, secret
