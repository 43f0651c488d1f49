"""The release and the door through HTTP: the organiser's preview and confirmation, the scan card's words,
a latecomer seated with one tap, a walk-in on standby."""

from sqlalchemy import select

from eventapp.platform.audit import AuditEntry
from eventapp.platform.extensions import db
from eventapp.registration.models import Choice, RegistrationStatus
from tests.checkin.days import on_the_day
from tests.organiser.test_pages import csrf
from tests.registration.helpers import sign_up, slots

EN = {"Accept-Language": "en"}


def small_day(app, make_event):
    """Theme 0 (2 seats) held by people 1 and 2; people 3 and 4 wait for it. Theme 1 has room."""
    with app.app_context():
        event = make_event(day_capacity=10, theme=(2, 3), pilot=(10, 10))
        people = [sign_up(event, n, theme=0) for n in range(1, 5)]
        on_the_day(event)  # the desk scans on the event's day
        db.session.commit()
        theme0, theme1 = slots(event)[0].sessions
        return {
            "slug": event.slug,
            "ids": [p.id for p in people],
            "codes": [p.ticket_code for p in people],
            "theme0": theme0.id,
            "theme1": theme1.id,
        }


def scan(client, day, number):
    token = csrf(client, f"/staff/checkin?event={day['slug']}")
    return client.post(
        f"/api/v1/checkin?event={day['slug']}",
        json={"code": day["codes"][number - 1]},
        headers={"X-CSRFToken": token, **EN},
    ).get_json()


def test_waiting_person_hears_their_number_then_the_organiser_previews_and_releases(
    app, client, make_event, make_user, login
):
    day = small_day(app, make_event)
    login(*make_user("organiser"))
    answer = scan(client, day, 4)
    assert answer["status"] == "ok"
    assert answer["message"] == "Welcome; you are number 1 at the door for Theme 0."
    assert answer["at_the_door"][0]["place"] == 1 and answer["person_url"].endswith(f"/person/{day['ids'][3]}")
    answer = scan(client, day, 3)  # earlier in line: goes before number 4
    assert answer["message"] == "Welcome; you are number 1 at the door for Theme 0."
    scan(client, day, 2)

    dashboard = client.get(f"/organiser/e/{day['slug']}/", headers=EN).get_data(as_text=True)
    assert "Release 2 seats now: 1 go to people waiting here." in dashboard  # person 1's theme and pilot seats
    path = f"/organiser/e/{day['slug']}/release"
    asked = client.get(path, headers=EN).get_data(as_text=True)
    assert "Release 2 seats now: 1 go to people waiting here." in asked and 'name="confirm" value="yes"' in asked
    assert client.post(path, data={"csrf_token": csrf(client, path)}).status_code == 200  # not confirmed
    with app.app_context():
        assert db.session.scalar(select(Choice).where(Choice.status == RegistrationStatus.RELEASED)) is None
    done = client.post(path, data={"csrf_token": csrf(client, path), "confirm": "yes"}, headers=EN)
    assert done.status_code == 302
    page = client.get(done.headers["Location"], headers=EN).get_data(as_text=True)
    assert "2 seats released: 1 went to people waiting here." in page
    assert 'data-key="released">1<' in page and 'data-key="seated_from_door">1<' in page
    assert 'data-key="waiting_at_door">1<' in page  # number 4 still waits
    with app.app_context():
        assert db.session.scalar(select(AuditEntry.details)) == {"released": 2, "seated": 1}
    live = client.get(f"/organiser/e/{day['slug']}/live.json").get_json()["sessions"][str(day["theme0"])]
    assert (live["released"], live["seated_from_door"], live["waiting_at_door"]) == (1, 1, 1)


def test_a_latecomer_is_told_and_seated_with_one_tap(app, client, make_event, make_user, login):
    day = small_day(app, make_event)
    login(*make_user("organiser"))
    scan(client, day, 2)
    scan(client, day, 3)
    path = f"/organiser/e/{day['slug']}/release"
    client.post(path, data={"csrf_token": csrf(client, path), "confirm": "yes"})  # organisers work the desk too

    answer = scan(client, day, 1)  # their theme seat went to number 3; their pilot seat was still free
    assert "Their seat in Theme 0 went to someone at the door." in answer["message"]
    assert [room["title"] for room in answer["rooms"]] == ["Theme 1"]
    assert [(row["title"], row["waiting"]) for row in answer["sessions"]] == [("", True), ("Pilot 0", False)]
    person = client.get(answer["person_url"], headers=EN).get_data(as_text=True)
    assert "Seat in Theme 1" in person
    seat = f"/staff/checkin/person/{day['ids'][0]}/seat/{day['theme1']}"
    answer = client.post(seat, data={"csrf_token": csrf(client)}, headers=EN)
    assert answer.status_code == 302
    assert "Person 1 has a seat in Theme 1." in client.get(answer.headers["Location"], headers=EN).get_data(
        as_text=True
    )
    with app.app_context():
        seated = db.session.scalar(
            select(Choice.status).where(Choice.registration_id == day["ids"][0], Choice.session_id == day["theme1"])
        )
        assert seated == RegistrationStatus.CONFIRMED


def test_a_walk_in_can_wait_at_the_door_for_a_full_session(app, client, make_event, make_user, login):
    day = small_day(app, make_event)
    login(*make_user("desk"))
    walk_in = f"/staff/checkin/walk-in?event={day['slug']}"
    with app.app_context():
        from eventapp.events.models import Session

        theme, pilot = db.session.get(Session, day["theme1"]).agenda_item, None
        pilot = slots(theme.event)[1]
        fields = {f"choice_{theme.id}": str(day["theme1"]), f"choice_{pilot.id}": str(pilot.sessions[0].id)}
    data = {"csrf_token": csrf(client, walk_in), "name": "Walk In", "email": "walk@example.org"}
    response = client.post(
        walk_in,
        data={**data, "organisation": "HALT", "organisation_type": "halt", "language": "en", **fields},
        headers=EN,
    )
    assert response.status_code == 302 and "/staff/checkin/person/" in response.headers["Location"]
    page = client.get(response.headers["Location"], headers=EN).get_data(as_text=True)
    assert "Walk In is registered and checked in." in page and "Print name badge" in page
    assert "Wait for Theme 0" in page
    registration_id = int(response.headers["Location"].rsplit("/", 1)[1])
    standby = f"/staff/checkin/person/{registration_id}/standby/{day['theme0']}"
    answer = client.post(standby, data={"csrf_token": csrf(client)}, headers=EN)
    text = client.get(answer.headers["Location"], headers=EN).get_data(as_text=True)
    assert "Walk In is number 1 at the door for Theme 0." in text
