"""Nothing by accident: erasing, cancelling on someone's behalf and deleting ask first, name what they touch,
and change nothing until the organiser confirms."""

from sqlalchemy import select

from eventapp.events.models import AgendaItem, Session
from eventapp.platform.audit import AuditEntry
from eventapp.platform.extensions import db
from eventapp.registration.models import Registration
from tests.organiser.test_pages import csrf

EN = {"Accept-Language": "en"}


def actions(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEntry.action)))


def test_erase_asks_first_naming_the_person_and_changes_nothing_until_confirmed(app, day, organiser):
    path = f"/organiser/e/{day['slug']}/people/{day['people'][0]}/erase"
    person = organiser.get(f"/organiser/e/{day['slug']}/people/{day['people'][0]}", headers=EN).get_data(as_text=True)
    assert f'href="{path}"' in person and "Their seat" in person and "Your seat" not in person
    asked = organiser.get(path, headers=EN).get_data(as_text=True)
    assert "Erase Person 1's details?" in asked and "This cannot be undone." in asked
    assert 'name="confirm" value="yes"' in asked
    token = csrf(organiser, path)
    unconfirmed = organiser.post(path, data={"csrf_token": token, "remove_newsletter": "y"}, headers=EN)
    assert unconfirmed.status_code == 200 and "Erase Person 1's details?" in unconfirmed.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Registration, day["people"][0]).name == "Person 1"
    assert "person.erased" not in actions(app)
    done = organiser.post(path, data={"csrf_token": token, "remove_newsletter": "y", "confirm": "yes"})
    assert done.status_code == 302
    with app.app_context():
        assert db.session.get(Registration, day["people"][0]).name == "(erased)"
    assert "person.erased" in actions(app)
    assert organiser.get(path).status_code == 302  # nothing left to erase: back to the person


def test_cancel_on_their_behalf_asks_first(app, day, organiser):
    path = f"/organiser/e/{day['slug']}/people/{day['people'][0]}/cancel"
    asked = organiser.get(path, headers=EN).get_data(as_text=True)
    assert "Cancel Person 1's registration?" in asked and "Their seats: Theme 0, Pilot 0." in asked
    token = csrf(organiser, path)
    assert organiser.post(path, data={"csrf_token": token}).status_code == 200
    with app.app_context():
        assert db.session.get(Registration, day["people"][0]).status == "confirmed"
    assert organiser.post(path, data={"csrf_token": token, "confirm": "yes"}).status_code == 302
    with app.app_context():
        assert db.session.get(Registration, day["people"][0]).status == "cancelled"
    assert actions(app) == ["person.cancelled"]


def test_resend_stays_one_click(app, day, organiser):
    base = f"/organiser/e/{day['slug']}/people/{day['people'][0]}"
    assert organiser.post(f"{base}/resend", data={"csrf_token": csrf(organiser, base)}).status_code == 302
    assert actions(app) == ["person.confirmation_resent"]


def test_deleting_an_agenda_item_asks_first(app, day, organiser):
    setup = f"/organiser/e/{day['slug']}/setup"
    path = f"/organiser/e/{day['slug']}/agenda/{day['plenary_id']}/delete"
    assert f'href="{path}"' in organiser.get(setup).get_data(as_text=True)
    asked = organiser.get(path, headers=EN).get_data(as_text=True)
    assert "Delete the agenda item" in asked and "This cannot be undone." in asked
    token = csrf(organiser, path)
    assert organiser.post(path, data={"csrf_token": token}).status_code == 200
    with app.app_context():
        assert db.session.get(AgendaItem, day["plenary_id"]) is not None
    assert organiser.post(path, data={"csrf_token": token, "confirm": "yes"}).status_code == 302
    with app.app_context():
        assert db.session.get(AgendaItem, day["plenary_id"]) is None


def test_deleting_a_session_asks_first(app, day, organiser):
    path = f"/organiser/e/{day['slug']}/sessions/{day['theme1']}/delete"  # nobody has a seat in it
    asked = organiser.get(path, headers=EN).get_data(as_text=True)
    assert "Delete the session Theme 1?" in asked and "Yes, delete the session" in asked
    token = csrf(organiser, path)
    assert organiser.post(path, data={"csrf_token": token}).status_code == 200
    with app.app_context():
        assert db.session.get(Session, day["theme1"]) is not None
    assert organiser.post(path, data={"csrf_token": token, "confirm": "yes"}).status_code == 302
    with app.app_context():
        assert db.session.get(Session, day["theme1"]) is None
