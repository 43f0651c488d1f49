"""Undoing a check-in revokes what followed from it (issue 31): the statement it issued no longer verifies (its
code says "revoked"), the door scans of that arrival are void, and a new check-in earns a new statement with a new
code; an organiser's revocation stands whatever the desk does."""

import datetime as dt

import pytest
from sqlalchemy import select

from eventapp.checkin import services as checkin
from eventapp.checkin.models import Scan, ScanMode, SessionAttendance
from eventapp.events.models import Event
from eventapp.platform.db import utcnow
from eventapp.platform.extensions import db
from eventapp.platform.staff.access import Actor
from eventapp.platform.staff.models import User
from eventapp.registration.models import Registration
from eventapp.statements import services
from tests.after_the_day.conftest import check_in

WINDOW = dt.timedelta(minutes=5)


def undo(registration: Registration) -> None:
    user = db.session.scalars(select(User)).one()
    checkin.undo_check_in(db.session, registration, Actor(user=user, device=None, desk="desk 1"), utcnow(), WINDOW)
    db.session.commit()


def door_scans(registration: Registration) -> list[Scan]:
    return list(db.session.scalars(select(Scan).where(Scan.registration_id == registration.id, Scan.mode == "session")))


@pytest.mark.both_databases
def test_undo_revokes_the_statement_and_voids_the_door_scans_a_new_check_in_issues_a_new_code(app, past_day, make_user):
    make_user("organiser")
    with app.app_context():
        registration = db.session.get(Registration, past_day["people"][0])
        first = services.statement_for(db.session, registration, utcnow()).code
        db.session.commit()
        assert [scan.undone_at for scan in door_scans(registration)] == [None]

        undo(registration)
        with pytest.raises(services.NoStatement) as refusal:
            services.statement_for(db.session, registration, utcnow())
        assert refusal.value.reason == "check_in_undone"
        verification = services.verify_code(db.session, first)
        assert verification.statement is None and verification.revoked and not verification.replaced
        assert all(scan.undone_at is not None for scan in door_scans(registration))
        assert door_scans(registration)[0].mode == ScanMode.DOOR
        attended = select(SessionAttendance).where(SessionAttendance.registration_id == registration.id)
        assert db.session.scalars(attended).all() == []

        check_in(db.session.get(Event, past_day["event_id"]), registration)
        second = services.statement_for(db.session, registration, utcnow())
        db.session.commit()
        assert second.code != first and second.is_valid
        assert second.snapshot["sessions"] != []  # the seats they hold; not the undone door scan of Theme 1
        assert services.find_valid(db.session, second.code) == second
        old = services.verify_code(db.session, first)
        assert old.statement is None and old.revoked and not old.replaced
        # Asking again keeps the new code.
        assert services.statement_for(db.session, registration, utcnow()).code == second.code


def test_an_organisers_revocation_stands_after_undo_and_a_new_check_in(app, past_day, make_user):
    make_user("organiser")
    with app.app_context():
        registration = db.session.get(Registration, past_day["people"][0])
        statement = services.statement_for(db.session, registration, utcnow())
        services.revoke(db.session, statement, db.session.scalars(select(User)).one(), utcnow())
        db.session.commit()
        undo(registration)
        check_in(db.session.get(Event, past_day["event_id"]), registration)
        with pytest.raises(services.NoStatement) as refusal:
            services.statement_for(db.session, registration, utcnow())
        assert refusal.value.reason == "revoked"


def test_the_verify_pages_say_an_undone_check_ins_statement_is_not_valid(app, client, past_day, make_user):
    make_user("organiser")
    token = past_day["tokens"][0]
    assert client.get(f"/r/{token}/attendance.pdf").status_code == 200
    with app.app_context():
        registration = db.session.get(Registration, past_day["people"][0])
        code = services.statement_of(db.session, registration).code
        undo(registration)
    body = client.get(f"/verify/{code}.json").get_json()
    assert body["valid"] is False and body["revoked"] is True and body["replaced"] is False
    assert {"name", "organisation", "event", "date", "sessions", "hours", "issued_at"} <= set(body)
    assert body["name"] == ""
    english = client.get(f"/verify/{code}", headers={"Accept-Language": "en"})
    assert english.status_code == 404 and "was withdrawn: it is not a valid statement" in english.text
    dutch = client.get(f"/verify/{code}", headers={"Accept-Language": "nl"})
    assert "is ingetrokken: het is geen geldige verklaring" in dutch.text and "Łucja" not in dutch.text
    pdf = client.get(f"/r/{token}/attendance.pdf", headers={"Accept-Language": "en"})
    assert pdf.status_code == 403 and "was undone" in pdf.text and "not a valid statement" in pdf.text
