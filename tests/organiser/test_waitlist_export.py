"""The waitlist export keeps the lines as the waitlists' rules do (issue 33: one rule, not its own SQL): a place
in the export is the place the person's page shows, and a released hold not yet claimed has none."""

from eventapp.organiser.lists import waitlist_rows
from eventapp.platform.db import utcnow
from eventapp.platform.extensions import db
from eventapp.registration.models import RegistrationStatus
from eventapp.registration.waitlists import day_place_in_line
from tests.registration.helpers import sign_up


def test_the_day_line_of_the_export_is_the_line_people_see(app, app_context, make_event):
    event = make_event(day_capacity=1)
    sign_up(event, 1)
    released, waiting = sign_up(event, 2), sign_up(event, 3)
    assert released.status == waiting.status == RegistrationStatus.WAITLISTED
    released.hold_released_at, released.claimed_at = utcnow(), None  # a hold released before its holder came back
    db.session.commit()
    with app.test_request_context(headers={"Accept-Language": "en"}):
        day = [row for row in waitlist_rows(db.session, event, "en") if row[0] == "The day"]
    assert [(row[1], row[2]) for row in day] == [(1, "Person 3"), ("", "Person 2")]
    assert day_place_in_line(db.session, waiting) == 1
