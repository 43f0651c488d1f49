"""Organiser pages: who may open them, set-up rules, people actions, messages, the audit log."""

import datetime as dt
import re

from sqlalchemy import func, select

from eventapp.events import hosts
from eventapp.events.models import AgendaItem, Event, Session
from eventapp.platform.audit import AuditEntry
from eventapp.platform.extensions import db
from eventapp.platform.mail.models import OutgoingMail
from eventapp.platform.staff.models import User
from eventapp.questions.services import questions_of
from eventapp.registration.models import Registration, RegistrationMail


def csrf(client, path="/staff/checkin"):
    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page).group(1)


def sample_url(rule, day, **overrides) -> str:
    values = {
        "slug": day["slug"],
        "registration_id": day["people"][0],
        "session_id": day["theme0"],
        "item_id": day["slot_id"],
        "slot_id": day["slot_id"],
        "fmt": "csv",
        "mail_id": 1,
        "index": 0,
        "device_id": day["device_id"],
        "question_id": day["question_id"],
        "user_id": 1,
        "invitation_id": 1,
        **overrides,
    }
    return rule.build({name: values[name] for name in rule.arguments}, append_unknown=False)[1]


def organiser_rules(app):
    return [rule for rule in app.url_map.iter_rules() if rule.rule.startswith("/organiser")]


def test_every_organiser_route_is_closed_to_anonymous_visitors_and_desk_staff(app, day, make_user, login, client):
    rules = organiser_rules(app)
    assert len(rules) >= 25
    anonymous = app.test_client()
    for rule in rules:
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            response = anonymous.open(sample_url(rule, day), method=method)
            if method == "GET":
                assert response.status_code == 302, (rule.rule, method)
                assert response.headers["Location"].startswith("/staff/login"), rule.rule
            else:  # a POST without a CSRF token is refused before anything else
                assert response.status_code == 400, (rule.rule, method)
    login(*make_user("desk"))
    token = csrf(client)
    for rule in rules:
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            response = client.open(sample_url(rule, day), method=method, data={"csrf_token": token})
            assert response.status_code == 403, (rule.rule, method, response.status_code)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == 0


def test_every_organiser_page_opens_for_an_organiser(app, day, organiser, make_user):
    make_user("desk", email="colleague@example.org")
    with app.app_context():
        colleague = db.session.scalar(select(User.id).where(User.email == "colleague@example.org"))
    for rule in organiser_rules(app):
        if "GET" in rule.methods and "mail_id" not in rule.arguments:
            # Another account than one's own: disabling oneself is refused with a redirect.
            response = organiser.get(sample_url(rule, day, user_id=colleague))
            assert response.status_code == 200, (rule.rule, response.status_code)
            response.close()


def test_dashboard_numbers(day, organiser):
    html = organiser.get(f"/organiser/e/{day['slug']}/").get_data(as_text=True)
    assert re.search(r'data-key="confirmed">3<', html) and re.search(r'data-key="waitlisted">1<', html)
    live = organiser.get(f"/organiser/e/{day['slug']}/live.json").get_json()
    assert live["sessions"][str(day["theme0"])] == {
        "taken": 1,
        "waiting": 2,
        "checked_in": 0,
        "attended": 0,
        "released": 0,
        "seated_from_door": 0,
        "waiting_at_door": 0,
        "standing": 0,
    }


def session_form(session_id, organiser, day, **changes):
    path = f"/organiser/e/{day['slug']}/sessions/{session_id}"
    data = {
        "csrf_token": csrf(organiser, path),
        "title_nl": "Thema 0",
        "title_en": "Theme 0",
        "capacity": "1",
        "position": "0",
    }
    data.update(changes)
    return organiser.post(path, data=data)


def test_the_organiser_allows_standing_at_a_sessions_door(app, day, organiser):
    page = organiser.get(f"/organiser/e/{day['slug']}/sessions/{day['theme0']}").get_data(as_text=True)
    assert 'name="standing_allowed"' in page
    assert session_form(day["theme0"], organiser, day, standing_allowed="y").status_code == 302
    with app.app_context():
        assert db.session.get(Session, day["theme0"]).standing_allowed
    assert session_form(day["theme0"], organiser, day).status_code == 302  # unticked: no standing
    with app.app_context():
        assert not db.session.get(Session, day["theme0"]).standing_allowed


def test_raising_a_capacity_promotes_and_lowering_below_taken_is_refused(app, day, organiser):
    response = session_form(day["theme0"], organiser, day, capacity="3")
    assert response.status_code == 302
    with app.app_context():
        session = db.session.get(Session, day["theme0"])
        assert (session.capacity, session.seats_taken) == (3, 3)
        promoted = db.session.scalars(
            select(OutgoingMail.registration_id).where(OutgoingMail.kind == RegistrationMail.PROMOTED)
        ).all()
        assert sorted(promoted) == day["people"][1:]
    refused = session_form(day["theme0"], organiser, day, capacity="1")
    assert refused.status_code == 422 and "3 seats are taken" in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Session, day["theme0"]).capacity == 3
        assert (
            db.session.scalar(
                select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "session.changed")
            )
            == 1
        )


def test_a_session_with_registrations_cannot_vanish(app, day, organiser):
    path = f"/organiser/e/{day['slug']}/sessions/{day['theme0']}/delete"
    token = csrf(organiser, f"/organiser/e/{day['slug']}/people")
    asked = organiser.get(path, headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "1 person has a seat in it, so it cannot be deleted" in asked and 'value="yes"' not in asked
    response = organiser.post(path, data={"csrf_token": token, "confirm": "yes"})
    assert response.status_code == 302
    assert "People chose this session" in organiser.get(response.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Session, day["theme0"]) is not None


def test_new_session_and_agenda_item(app, day, organiser):
    path = f"/organiser/e/{day['slug']}/slot/{day['slot_id']}/sessions/new"
    data = {
        "csrf_token": csrf(organiser, path),
        "title_nl": "Nieuw",
        "title_en": "New",
        "capacity": "25",
        "room": "Zaal 9",
        "position": "5",
    }
    assert organiser.post(path, data=data).status_code == 302
    agenda = f"/organiser/e/{day['slug']}/agenda/new"
    item = {
        "csrf_token": csrf(organiser, agenda),
        "starts_at": "17:00",
        "ends_at": "17:30",
        "kind": "plenary",
        "title_nl": "Borrel",
        "title_en": "Drinks",
    }
    asked = organiser.post(agenda, data=item, headers={"Accept-Language": "en"})  # the afternoon ends later
    assert asked.status_code == 200 and "calendar update to 3 people" in asked.get_data(as_text=True)
    assert organiser.post(agenda, data={**item, "send_calendar_update": "yes"}).status_code == 302
    bad = organiser.post(agenda, data={**item, "ends_at": "16:00"})
    assert bad.status_code == 422 and "ends after it starts" in bad.get_data(as_text=True)
    html = organiser.get(f"/e/{day['slug']}/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "New" in html and "25 seats left" in html and "Drinks" in html


def test_event_create_and_edit(app, day, organiser):
    data = {
        "csrf_token": csrf(organiser, "/organiser/events/new"),
        "slug": "jeugd-en-veiligheid-9",
        "edition": "9",
        "title_nl": "Programmadag 9",
        "title_en": "Program day 9",
        "date": "2027-10-07",
        "venue": "Deventer",
        "capacity": "120",
        "registration_opens_at": "2027-06-01T09:00",
        "registration_closes_at": "2027-10-06T23:59",
    }
    assert organiser.post("/organiser/events/new", data=data).status_code == 302
    with app.app_context():
        event = db.session.scalar(select(Event).where(Event.slug == "jeugd-en-veiligheid-9"))
        assert event.registration_opens_at == dt.datetime(2027, 6, 1, 7, 0, tzinfo=dt.UTC)  # 09:00 summer time
    taken = organiser.post("/organiser/events/new", data=data)
    assert taken.status_code == 422 and "is taken by another event" in taken.get_data(as_text=True)
    lower = organiser.post(f"/organiser/e/{day['slug']}/edit", data={**data, "slug": day["slug"], "capacity": "2"})
    assert lower.status_code == 422 and "3 people are confirmed" in lower.get_data(as_text=True)


def test_copy_for_the_next_edition(app, day, organiser):
    data = {"csrf_token": csrf(organiser, f"/organiser/e/{day['slug']}/"), "slug": "next-edition", "date": "2027-06-10"}
    assert organiser.post(f"/organiser/e/{day['slug']}/copy", data=data).status_code == 302
    with app.app_context():
        copy = db.session.scalar(select(Event).where(Event.slug == "next-edition"))
        original = db.session.get(Event, day["event_id"])
        assert copy.date == dt.date(2027, 6, 10) and copy.seats_taken == 0
        assert [(i.title_en, i.starts_at) for i in copy.agenda_items] == [
            (i.title_en, i.starts_at) for i in original.agenda_items
        ]
        sessions = db.session.scalars(select(Session).join(AgendaItem).where(AgendaItem.event_id == copy.id)).all()
        assert sorted((s.title_en, s.capacity, s.seats_taken) for s in sessions) == sorted(
            (s.title_en, s.capacity, 0) for i in original.agenda_items for s in i.sessions
        )
        assert (
            db.session.scalar(select(func.count()).select_from(Registration).where(Registration.event_id == copy.id))
            == 0
        )
        # The questions come along, without their answers.
        assert [(q.label_en, q.sensitive) for q in questions_of(db.session, copy.id)] == [("Diet", True)]


def test_copy_keeps_hosts_and_pilot_contacts_but_not_materials(app, day, organiser):
    with app.app_context():
        session = db.session.get(Session, day["theme0"])
        hosts.set_people_and_links(
            session,
            hosts.Parsed(
                [{"name": "Ann", "organisation": "Ede", "role": "lead"}],
                [{"name": "Bo", "organisation": "Epe", "email": "bo@example.org", "language": "en"}],
                [{"title": "Slides", "url": "https://example.org/s.pdf"}],
            ),
        )
        db.session.commit()
    data = {"csrf_token": csrf(organiser, f"/organiser/e/{day['slug']}/"), "slug": "next-edition", "date": "2027-06-10"}
    assert organiser.post(f"/organiser/e/{day['slug']}/copy", data=data).status_code == 302
    with app.app_context():
        copied = db.session.scalar(
            select(Session)
            .join(AgendaItem)
            .join(Event)
            .where(Event.slug == "next-edition", Session.title_en == "Theme 0")
        )
        assert [(h.name, h.role) for h in copied.hosts] == [("Ann", "lead")]
        assert [(c.name, c.email, c.language) for c in copied.contacts] == [("Bo", "bo@example.org", "en")]
        assert copied.materials == []


def test_people_list_filters(day, organiser):
    base = f"/organiser/e/{day['slug']}/people"
    assert "4 people" in organiser.get(base).get_data(as_text=True)
    assert "1 person" in organiser.get(f"{base}?status=waitlisted").get_data(as_text=True)
    assert "Person 2" in organiser.get(f"{base}?q=person+2").get_data(as_text=True)
    html = organiser.get(f"{base}?session={day['theme0']}&checked_in=no").get_data(as_text=True)
    assert "4 people" in html  # the day-waitlisted person wishes Theme 0 too


def test_move_over_capacity_needs_a_confirmation_that_is_recorded(app, day, organiser):
    person = day["people"][1]  # waits for Theme 0, has no seat there
    path = f"/organiser/e/{day['slug']}/people/{person}/slot/{day['slot_id']}"
    token = csrf(organiser, f"/organiser/e/{day['slug']}/people/{person}")
    prefix = f"slot{day['slot_id']}-"
    asked = organiser.post(path, data={"csrf_token": token, f"{prefix}session_id": day["theme0"]})
    assert asked.status_code == 409 and "Put them in anyway?" in asked.get_data(as_text=True)
    done = organiser.post(
        path, data={"csrf_token": token, f"{prefix}session_id": day["theme0"], f"{prefix}over_capacity": "y"}
    )
    assert done.status_code == 302
    with app.app_context():
        session = db.session.get(Session, day["theme0"])
        assert (session.seats_taken, session.capacity) == (2, 1)
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "person.moved"))
        assert entry.details["over_capacity"] is True and entry.registration_id == person
    history = organiser.get(f"/organiser/e/{day['slug']}/people/{person}", headers={"Accept-Language": "en"})
    history = history.get_data(as_text=True)
    assert "Moved them to Theme 0, over its capacity" in history and "Mail: registration confirmed" in history
    assert "person.moved" not in history and "registration_confirmed" not in history


def test_admit_cancel_and_resend(app, day, organiser):
    base = f"/organiser/e/{day['slug']}/people"
    token = csrf(organiser, f"{base}/{day['day_waiting']}")
    assert organiser.post(f"{base}/{day['day_waiting']}/admit", data={"csrf_token": token}).status_code == 302
    cancel = {"csrf_token": token, "confirm": "yes"}
    assert organiser.post(f"{base}/{day['people'][0]}/cancel", data=cancel).status_code == 302
    assert organiser.post(f"{base}/{day['people'][2]}/resend", data={"csrf_token": token}).status_code == 302
    with app.app_context():
        assert db.session.get(Registration, day["day_waiting"]).status == "confirmed"
        assert db.session.get(Event, day["event_id"]).seats_taken == 3  # one admitted over capacity, one cancelled
        assert db.session.get(Registration, day["people"][0]).status == "cancelled"
        resent = db.session.scalar(
            select(OutgoingMail)
            .where(OutgoingMail.registration_id == day["people"][2])
            .order_by(OutgoingMail.id.desc())
        )
        assert resent.kind == RegistrationMail.CONFIRMED and resent.payload == {"resent": True}
        actions = set(db.session.scalars(select(AuditEntry.action)))
        assert {"person.admitted", "person.cancelled", "person.confirmation_resent"} <= actions
