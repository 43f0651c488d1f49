"""Calendar files: parsed by icalendar and by an independent parser (vobject), times right across DST."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import icalendar
import pytest
import vobject
from sqlalchemy import update

from eventapp.events.models import Event
from eventapp.platform.calendar.ics import Entry, Person, build_calendar
from eventapp.platform.extensions import db
from tests.organiser.test_pages import csrf

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
UTC = dt.UTC
NOW = dt.datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


def entry(day: dt.date, uid="uid-1@test") -> Entry:
    return Entry(
        uid=uid,
        starts_at=dt.datetime.combine(day, dt.time(13, 30), AMSTERDAM),
        ends_at=dt.datetime.combine(day, dt.time(17, 0), AMSTERDAM),
        summary="Programmadag · Jeugd & Veiligheid",
        location="Zaal 3, Zwolle",
    )


@pytest.mark.parametrize(
    ("day", "utc_start"),
    [
        (dt.date(2027, 3, 25), dt.datetime(2027, 3, 25, 12, 30, tzinfo=UTC)),  # winter time, days before the change
        (dt.date(2027, 3, 30), dt.datetime(2027, 3, 30, 11, 30, tzinfo=UTC)),  # summer time, days after
        (dt.date(2026, 10, 22), dt.datetime(2026, 10, 22, 11, 30, tzinfo=UTC)),  # summer time, before the change back
        (dt.date(2026, 11, 5), dt.datetime(2026, 11, 5, 12, 30, tzinfo=UTC)),  # winter time again
    ],
)
def test_wall_clock_times_are_right_on_both_sides_of_daylight_saving(day, utc_start):
    body = build_calendar([entry(day)], NOW)
    text = body.decode()
    assert f"DTSTART;TZID=Europe/Amsterdam:{day:%Y%m%d}T133000" in text
    assert "BEGIN:VTIMEZONE" in text and "TZID:Europe/Amsterdam" in text

    (vevent,) = icalendar.Calendar.from_ical(body).walk("VEVENT")
    assert vevent.decoded("DTSTART").astimezone(UTC) == utc_start
    parsed = vobject.readOne(text)
    assert parsed.vevent.dtstart.value.astimezone(UTC) == utc_start
    assert parsed.vevent.dtend.value.astimezone(UTC) == utc_start + dt.timedelta(hours=3, minutes=30)


def test_invitation_fields():
    body = build_calendar(
        [entry(dt.date(2027, 1, 7))],
        NOW,
        method="REQUEST",
        organizer=Person("Programma", "p@example.org"),
        attendee=Person("Søren Ærø", "soren@example.org"),
        sequence=3,
    )
    (vevent,) = icalendar.Calendar.from_ical(body).walk("VEVENT")
    assert str(vevent["UID"]) == "uid-1@test"
    assert vevent.decoded("DTSTAMP") == NOW
    assert int(vevent["SEQUENCE"]) == 3
    assert str(vevent["ORGANIZER"]) == "mailto:p@example.org"
    assert str(vevent["ATTENDEE"]) == "mailto:soren@example.org"
    assert vevent["ATTENDEE"].params["CN"] == "Søren Ærø"
    assert str(vevent["SUMMARY"]) == "Programmadag · Jeugd & Veiligheid"
    parsed = vobject.readOne(body.decode())
    assert parsed.method.value == "REQUEST"
    assert parsed.vevent.attendee.params["CN"] == ["Søren Ærø"]


def test_cancellation_uses_method_cancel():
    body = build_calendar([entry(dt.date(2027, 1, 7))], NOW, method="CANCEL", sequence=4)
    calendar = icalendar.Calendar.from_ical(body)
    assert calendar["METHOD"] == "CANCEL"
    assert calendar.walk("VEVENT")[0]["STATUS"] == "CANCELLED"


def test_public_program_download(client, demo_slug, app):
    with client.get(f"/e/{demo_slug}/agenda.ics", headers={"Accept-Language": "en"}) as response:
        assert response.status_code == 200 and response.mimetype == "text/calendar"
        assert f'filename="{demo_slug}-agenda.ics"' in response.headers["Content-Disposition"]
        body = response.data
    calendar = icalendar.Calendar.from_ical(body)
    assert calendar["METHOD"] == "PUBLISH"
    summaries = [str(v["SUMMARY"]) for v in calendar.walk("VEVENT")]
    assert summaries[0] == "Walk-in" and summaries[-1] == "Networking drinks" and len(summaries) == 7
    assert len(vobject.readOne(body.decode()).vevent_list) == 7
    again = icalendar.Calendar.from_ical(client.get(f"/e/{demo_slug}/agenda.ics").data)
    assert [str(v["UID"]) for v in again.walk("VEVENT")] == [str(v["UID"]) for v in calendar.walk("VEVENT")]


@pytest.fixture
def organiser(client, make_user, login):
    login(*make_user("organiser"))
    return client


def agenda_sequences(client, slug) -> set[int]:
    calendar = icalendar.Calendar.from_ical(client.get(f"/e/{slug}/agenda.ics").data)
    return {int(vevent["SEQUENCE"]) for vevent in calendar.walk("VEVENT")}


def test_the_program_calendar_raises_its_sequence_with_each_change_of_the_organiser(app, make_event, organiser):
    """A subscribed calendar app replaces an entry only when SEQUENCE rises (RFC 5546 for PUBLISH, Outlook does)."""
    with app.app_context():
        event = make_event()
        slug, plenary = event.slug, event.agenda_items[0]
        path = f"/organiser/e/{slug}/agenda/{plenary.id}"
        form = {"kind": plenary.kind, "title_nl": plenary.title_nl, "title_en": plenary.title_en}
        form |= {"starts_at": f"{plenary.starts_at:%H:%M}", "ends_at": f"{plenary.ends_at:%H:%M}"}
    assert agenda_sequences(organiser, slug) == {0}

    def save(**changed):
        answer = organiser.post(path, data={"csrf_token": csrf(organiser, path), **form, **changed})
        assert answer.status_code == 302

    save()  # saved unchanged: the calendar has nothing to replace
    assert agenda_sequences(organiser, slug) == {0}
    save(starts_at="13:15")
    assert agenda_sequences(organiser, slug) == {1}
    save(starts_at="13:15", title_en="Welcome, and the day's plan")
    assert agenda_sequences(organiser, slug) == {2}


def test_public_program_follows_the_event_date(client, demo_slug, app):
    with app.app_context():
        db.session.execute(update(Event).values(date=dt.date(2027, 3, 30)))
        db.session.commit()
    calendar = icalendar.Calendar.from_ical(client.get(f"/e/{demo_slug}/agenda.ics").data)
    first = calendar.walk("VEVENT")[0]
    assert first.decoded("DTSTART").astimezone(UTC) == dt.datetime(2027, 3, 30, 11, 30, tzinfo=UTC)


def test_unknown_event_has_no_calendar(client):
    assert client.get("/e/nope/agenda.ics").status_code == 404


def test_the_event_page_offers_the_program_as_a_subscription(app, client, demo_slug):
    html = client.get(f"/e/{demo_slug}/", headers={"Accept-Language": "nl"}).get_data(as_text=True)
    public = app.config["PUBLIC_URL"].split("://", 1)[1]
    assert f'href="webcal://{public}/e/{demo_slug}/agenda.ics?lang=nl"' in html
    assert f'href="/e/{demo_slug}/agenda.ics?lang=nl"' in html
    # A calendar app subscribing sends no cookies and no Accept-Language: the link carries the language.
    body = client.get(f"/e/{demo_slug}/agenda.ics?lang=nl", headers={"Accept-Language": "en"}).get_data(as_text=True)
    parsed = vobject.readOne(body)
    assert parsed.vevent_list[0].summary.value == "Inloop"
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT1H" in body and "X-PUBLISHED-TTL:PT1H" in body
    descriptions = [vevent.description.value for vevent in parsed.vevent_list if hasattr(vevent, "description")]
    theme = next(description for description in descriptions if "Preventie" in description)
    assert "Repressie" in theme


def test_the_personal_page_offers_google_and_outlook(app, client, make_event):
    from urllib.parse import parse_qs, urlsplit

    from tests.registration.helpers import sign_up

    with app.app_context():
        registration = sign_up(make_event(), 1)
        token = registration.manage_token
    html = client.get(f"/r/{token}", headers={"Accept-Language": "en"}).get_data(as_text=True).replace("&amp;", "&")
    google = re.search(r'href="(https://calendar\.google\.com/[^"]+)"', html).group(1)
    query = parse_qs(urlsplit(google).query)
    assert query["text"] == ["Test day 1"] and query["location"] == ["Zwolle"] and query["ctz"] == ["Europe/Amsterdam"]
    start, end = query["dates"][0].split("/")
    assert start.endswith("Z") and start < end and "Theme 0 (Room 1)" in query["details"][0]
    outlook = re.search(r'href="(https://outlook\.live\.com/[^"]+)"', html).group(1)
    query = parse_qs(urlsplit(outlook).query)
    assert query["subject"] == ["Test day 1"] and query["startdt"][0].endswith("+01:00")
    assert f'href="/r/{token}/sessions.ics"' in html


def test_an_invitation_before_the_program_has_times_spans_the_date(app):
    """Registration may open before the organiser adds the agenda: the invitation is then the whole date (it raised
    TypeError, no start time)."""
    from eventapp.registration import services
    from eventapp.registration.calendar import invitation_entry
    from tests.registration.helpers import person

    with app.app_context():
        day = dt.date(2027, 3, 25)
        event = Event(
            slug="no-program-yet",
            title_nl="Dag",
            title_en="Day",
            date=day,
            venue="Zwolle",
            capacity=5,
            registration_opens_at=NOW - dt.timedelta(days=1),
            registration_closes_at=NOW + dt.timedelta(days=1),
        )
        db.session.add(event)
        db.session.flush()
        registration = services.register(db.session, event, person(1), {}, "test", NOW)
        entry = invitation_entry(registration, "en")
    assert entry.starts_at == dt.datetime.combine(day, dt.time(0, 0), AMSTERDAM)
    assert entry.ends_at == dt.datetime.combine(day, dt.time(23, 59), AMSTERDAM)
