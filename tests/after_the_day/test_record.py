"""After the day the personal page is a record: changes are refused (409, in the person's language), nothing
changes, the verify page stays byte-identical; the organiser can still correct, audited with before and after."""

from sqlalchemy import select

from eventapp.platform.audit import AuditEntry
from eventapp.platform.extensions import db
from eventapp.registration.models import Choice, Registration, RegistrationStatus
from tests.after_the_day.test_statements import statement_code
from tests.organiser.test_pages import csrf

EN = {"Accept-Language": "en"}


def snapshot(app, registration_id):
    with app.app_context():
        registration = db.session.get(Registration, registration_id)
        choices = sorted(
            (c.session_id, c.status)
            for c in db.session.scalars(select(Choice).where(Choice.registration_id == registration_id))
        )
        return (registration.name, registration.organisation, registration.status, registration.language, choices)


def verify_pages(app, client, token, person):
    """The verify page and its JSON of the person's statement (issued on the first download)."""
    assert client.get(f"/r/{token}/attendance.pdf").status_code == 200
    code = statement_code(app, person)
    return client.get(f"/verify/{code}", headers=EN).data, client.get(f"/verify/{code}.json").data


def test_the_walk_after_the_day_changes_nothing(app, client, past_day):
    token, person = past_day["tokens"][0], past_day["people"][0]
    before, verified = snapshot(app, person), verify_pages(app, client, token, person)
    token_field = csrf(client, f"/r/{token}")
    attempts = {
        f"/r/{token}/slot/{_slot_id(app, past_day['theme0'])}": {
            f"slot{_slot_id(app, past_day['theme0'])}-session_id": past_day["theme0"]
        },
        f"/r/{token}/details": {
            "name": "Piet Pietersen",
            "organisation": "Ministerie van Justitie en Veiligheid",
            "organisation_type": "government",
            "role": "",
            "language": "en",
        },
        f"/r/{token}/cancel": {"confirm": "y"},
        f"/r/{token}/ranking": {},
        f"/r/{token}/answers": {},
        f"/r/{token}/transfer": {
            "name": "Cor Collega",
            "organisation": "Politie Oost",
            "organisation_type": "police",
            "email": "cor@example.org",
            "language": "en",
        },
    }
    for path, data in attempts.items():
        response = client.post(path, data={**data, "csrf_token": token_field}, headers=EN)
        assert response.status_code == 409, path
        assert "Nothing was changed." in response.get_data(as_text=True)
    assert snapshot(app, person) == before
    assert verify_pages(app, client, token, person) == verified


def _slot_id(app, session_id):
    from eventapp.events.models import Session

    with app.app_context():
        return db.session.get(Session, session_id).agenda_item_id


def test_the_refusal_speaks_the_persons_language(client, past_day):
    token = past_day["tokens"][1]  # registered in Dutch
    response = client.post(f"/r/{token}/cancel", data={"csrf_token": csrf(client, f"/r/{token}")}, headers=EN)
    assert response.status_code == 409
    assert "Er is niets gewijzigd." in response.get_data(as_text=True)


def test_the_page_is_a_record_without_forms_that_change_it(client, past_day):
    token = past_day["tokens"][0]
    page = client.get(f"/r/{token}", headers=EN).get_data(as_text=True)
    for action in ("/slot/", "/details", "/cancel", "/ranking", "/answers"):
        assert f'action="/r/{token}{action}' not in page, action
    assert "Show the QR code at the desk" not in page and "Your ticket" not in page
    assert "this page is the record of your registration" in page
    # What stays: the statement, feedback, the data download and erasure.
    for kept in ("/attendance.pdf", "/feedback", "/data.json", "/erase"):
        assert kept in page, kept


def test_the_organiser_corrects_after_the_day_audited_before_and_after(app, client, past_day, organiser):
    person = past_day["people"][0]
    path = f"/organiser/e/{past_day['slug']}/people/{person}"
    data = {
        "name": "Łucja Elbrink",
        "organisation": "Politie Oost",
        "organisation_type": "police",
        "role": "",
        "language": "en",
        "csrf_token": csrf(client, path),
    }
    assert client.post(f"{path}/details", data=data).status_code == 302
    with app.app_context():
        assert db.session.get(Registration, person).name == "Łucja Elbrink"
        assert db.session.get(Registration, person).status == RegistrationStatus.CONFIRMED
        entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "person.changed")).one()
        assert entry.details["changes"] == {"name": ["Łucja Ëlbrink", "Łucja Elbrink"]}


def test_staff_see_the_phase_of_a_past_day(client, past_day, organiser):
    page = client.get(f"/e/{past_day['slug']}/", headers=EN).get_data(as_text=True)
    assert 'data-phase="ended"' in page and "Phase: After the day" in page
