"""The walk-in time and the street address travel with the ticket: the mail, the calendar and the personal page."""

import email
import email.policy

import icalendar
from sqlalchemy import select

from eventapp.platform.extensions import db
from eventapp.platform.mail.models import OutgoingMail
from eventapp.platform.mail.sender import built_message, sending_context
from tests.registration.test_pages import register  # noqa: F401 - the fixture

ADDRESS = "Stationsplein 1, 8011 CW Zwolle"  # the demo day's (eventapp/demo/demo_day.yaml)


def test_the_confirmation_calendar_and_page_say_when_walk_in_starts_and_where(app, client, register):  # noqa: F811
    token = register().manage_token
    with app.app_context(), sending_context(app):
        mail = db.session.scalar(select(OutgoingMail).order_by(OutgoingMail.id.desc()))
        raw = built_message(mail).as_bytes()
    message = email.message_from_bytes(raw, policy=email.policy.default)
    text = message.get_body(("plain",)).get_content()
    assert "Walk-in from 13:30 at" in text and ADDRESS in text
    calendar = next(part for part in message.walk() if part.get_content_type() == "text/calendar").get_content()
    (invited,) = icalendar.Calendar.from_ical(calendar).walk("VEVENT")
    assert ADDRESS in str(invited["LOCATION"]) and invited["DTSTART"].dt.strftime("%H:%M") == "13:30"
    with client.get(f"/r/{token}/sessions.ics") as ics:
        assert all(
            ADDRESS in str(vevent["LOCATION"]) for vevent in icalendar.Calendar.from_ical(ics.data).walk("VEVENT")
        )
    page = client.get(f"/r/{token}").get_data(as_text=True)  # in the language the person registered in (en)
    assert "Walk-in from 13:30 at" in page and ADDRESS in page and "openstreetmap.org/search?query=" in page
