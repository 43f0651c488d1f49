"""The organiser changes the day: told how many calendars it reaches, confirms, and each person gets one update."""

import datetime as dt

import pytest
from sqlalchemy import func, select

from eventapp.events.models import AgendaItem, Session
from eventapp.platform.db import utcnow
from eventapp.platform.extensions import db
from eventapp.platform.mail.kinds import compose
from eventapp.platform.mail.models import OutgoingMail
from eventapp.platform.mail.sender import sending_context
from eventapp.registration.models import Choice, Registration, RegistrationMail
from tests.organiser.test_pages import csrf
from tests.registration.helpers import sign_up

pytestmark = pytest.mark.both_databases  # a change is tried in a savepoint under the event lock


@pytest.fixture
def day(app, make_event):
    """Three people: two in Theme 0 (Room 1), one in Theme 1; and one waiting for the full day."""
    with app.app_context():
        event = make_event(day_capacity=3, theme=[3, 3], pilot=[3, 3])
        people = [sign_up(event, 1), sign_up(event, 2), sign_up(event, 3, theme=1)]
        waiting = sign_up(event, 4)
        theme = event.agenda_items[1]
        return {
            "slug": event.slug,
            "people": [person.id for person in people],
            "waiting": waiting.id,
            "theme_slot": theme.id,
            "theme0": theme.sessions[0].id,
            "theme1": theme.sessions[1].id,
            "sequences": [person.calendar_sequence for person in people],
        }


def updates(app) -> dict[int, int]:
    """Calendar updates in the outbox: how many per registration."""
    with app.app_context():
        rows = db.session.execute(
            select(OutgoingMail.registration_id, func.count())
            .where(OutgoingMail.kind == RegistrationMail.CALENDAR_UPDATE)
            .group_by(OutgoingMail.registration_id)
        ).all()
        return dict(rows)


def update_of(registration_id: int) -> OutgoingMail:
    return db.session.scalar(
        select(OutgoingMail).where(
            OutgoingMail.registration_id == registration_id, OutgoingMail.kind == RegistrationMail.CALENDAR_UPDATE
        )
    )


def move_theme_slot(organiser, day, starts_at: str, **extra):
    path = f"/organiser/e/{day['slug']}/agenda/{day['theme_slot']}"
    data = {"csrf_token": csrf(organiser, path), "starts_at": starts_at, "ends_at": "15:15", "kind": "choice"}
    data |= {"title_nl": "Thema", "title_en": "Theme", **extra}
    return organiser.post(path, data=data, headers={"Accept-Language": "en"})


def test_a_time_change_asks_first_then_sends_one_update_per_person(app, day, organiser):
    asked = move_theme_slot(organiser, day, "14:30")
    html = asked.get_data(as_text=True)
    assert asked.status_code == 200 and "This sends a calendar update to 3 people." in html
    assert 'name="send_calendar_update" value="yes"' in html
    with app.app_context():
        assert db.session.get(AgendaItem, day["theme_slot"]).starts_at == dt.time(14, 20)  # nothing changed yet
    assert updates(app) == {}

    assert move_theme_slot(organiser, day, "14:30", send_calendar_update="yes").status_code == 302
    with app.app_context():
        assert db.session.get(AgendaItem, day["theme_slot"]).starts_at == dt.time(14, 30)
        sequences = [db.session.get(Registration, rid).calendar_sequence for rid in day["people"]]
    assert updates(app) == {rid: 1 for rid in day["people"]}  # not the person waiting for the day
    assert all(after > before for after, before in zip(sequences, day["sequences"], strict=True))


def test_edits_in_a_few_minutes_become_one_mail_each(app, day, organiser):
    move_theme_slot(organiser, day, "14:25", send_calendar_update="yes")
    path = f"/organiser/e/{day['slug']}/sessions/{day['theme0']}"
    data = {"csrf_token": csrf(organiser, path), "title_nl": "Thema 0", "title_en": "Theme 0", "capacity": "3"}
    data |= {"position": "0", "room": "Zaal 7"}
    asked = organiser.post(path, data=data, headers={"Accept-Language": "en"})
    assert "This sends a calendar update to 2 people." in asked.get_data(as_text=True)  # only Room 1's people
    organiser.post(path, data={**data, "send_calendar_update": "yes"})
    assert updates(app) == {rid: 1 for rid in day["people"]}
    with sending_context(app):
        mail = update_of(day["people"][0])
        assert mail.next_attempt_at > utcnow() + dt.timedelta(minutes=3)  # waits for more changes to join it
        text = compose(mail).get_body(("plain",)).get_content()
    assert "has changed" in text and "Zaal 7" in text


def test_a_change_no_calendar_shows_is_saved_at_once(app, day, organiser):
    path = f"/organiser/e/{day['slug']}/sessions/{day['theme1']}"
    data = {"csrf_token": csrf(organiser, path), "title_nl": "Thema 1", "title_en": "Theme 1", "capacity": "3"}
    data |= {"position": "1", "room": "Room 2", "description_en": "Now with a longer description."}
    assert organiser.post(path, data=data).status_code == 302
    assert updates(app) == {}


def test_cancelling_a_session_tells_its_people_what_they_can_choose_instead(app, day, organiser):
    path = f"/organiser/e/{day['slug']}/sessions/{day['theme0']}/cancel"
    page = organiser.get(path, headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "This sends a calendar update to 3 people." in page  # two seats, and one waiting for the day
    assert organiser.post(path, data={"csrf_token": csrf(organiser, path)}).status_code == 302
    with sending_context(app):
        assert db.session.get(Session, day["theme0"]) is None
        left = select(func.count()).select_from(Choice).where(Choice.session_id == day["theme0"])
        assert db.session.scalar(left) == 0
        mail = update_of(day["people"][0])
        message = compose(mail)
    text = message.get_body(("plain",)).get_content()
    assert "Theme 0 is cancelled" in text and "choose another session instead: Theme 1" in text
    calendar = next(part for part in message.walk() if part.get_content_type() == "text/calendar")
    assert "Theme 0" not in calendar.get_content() and "METHOD:REQUEST" in calendar.get_content()
    assert updates(app) == {day["people"][0]: 1, day["people"][1]: 1, day["waiting"]: 1}


def test_moving_the_day_to_another_date_and_venue_updates_everyone(app, day, organiser):
    path = f"/organiser/e/{day['slug']}/edit"
    with app.app_context():
        event = db.session.get(Registration, day["people"][0]).event
        data = {"csrf_token": csrf(organiser, path), "slug": event.slug, "title_nl": event.title_nl}
        data |= {"title_en": event.title_en, "capacity": "3", "venue": "Deventer", "date": "2027-10-07"}
        data |= {"registration_opens_at": "2026-06-01T09:00", "registration_closes_at": "2027-10-06T23:59"}
    asked = organiser.post(path, data=data, headers={"Accept-Language": "en"})
    assert asked.status_code == 200 and "calendar update to 3 people" in asked.get_data(as_text=True)
    assert organiser.post(path, data={**data, "send_calendar_update": "yes"}).status_code == 302
    assert updates(app) == {rid: 1 for rid in day["people"]}
    with sending_context(app):
        message = compose(update_of(day["people"][0]))
    calendar = next(part for part in message.walk() if part.get_content_type() == "text/calendar").get_content()
    assert "DTSTART;TZID=Europe/Amsterdam:20271007T133000" in calendar and "LOCATION:Deventer" in calendar
