"""One person's invitation from confirmation to cancellation, as mailed over SMTP and read back by two
readers besides the writer's own: vobject and ics. One event per scheduling message (RFC 5546), its
METHOD equal to the mail part's, its SEQUENCE rising, the download always at the last mail's SEQUENCE.
"""

import datetime as dt

import ics
import pytest
import vobject
from sqlalchemy import select

from eventapp.events import services as setup
from eventapp.organiser.program_updates import change_the_day
from eventapp.platform.db import utcnow
from eventapp.platform.extensions import db
from eventapp.platform.staff.models import User
from eventapp.registration import services
from tests.mail.test_delivery import PUBLIC_URL, deliver, parts_of
from tests.registration.helpers import sign_up, slots


@pytest.fixture
def app_settings(smtp_port):
    return {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": smtp_port, "MAIL_SUPPRESS_SEND": False, "PUBLIC_URL": PUBLIC_URL}


NAME = 'Jan "de Boer", ^Ede'  # a double quote, a comma and a caret: all need care in a parameter


def rfc6868_decoded(value: str) -> str:
    """A parameter value as RFC 6868 means it: neither vobject nor ics decodes ^' ^n ^^ themselves."""
    return value.replace("^n", "\n").replace("^'", '"').replace("^^", "^")


def read_invitation(message) -> tuple[str, object]:
    """(METHOD, the vobject VEVENT) of a mail's invitation, checked alike by both readers."""
    inline, attached = parts_of(message)["text/calendar"]
    body = attached.get_content()
    assert inline.get_content() == body
    by_vobject, by_ics = vobject.readOne(body), ics.Calendar(body)
    assert len(by_vobject.vevent_list) == 1 and len(by_ics.events) == 1  # one event per scheduling message
    method = by_vobject.method.value
    assert method == inline.get_param("method") == by_ics.method
    (event,) = by_ics.events
    assert event.uid == by_vobject.vevent.uid.value
    if method != "PUBLISH":
        (attendee,) = event.attendees
        assert rfc6868_decoded(attendee.common_name) == NAME
        assert rfc6868_decoded(by_vobject.vevent.attendee.params["CN"][0]) == NAME
    return method, by_vobject.vevent


def download(app, registration) -> object:
    """The VEVENT of the person's calendar download, as vobject reads it."""
    body = app.test_client().get(f"/r/{registration.manage_token}/calendar.ics").get_data(as_text=True)
    parsed = vobject.readOne(body)
    assert parsed.method.value == "PUBLISH" and len(parsed.vevent_list) == 1 and len(ics.Calendar(body).events) == 1
    return parsed.vevent


def sequence(vevent) -> int:
    return int(vevent.sequence.value)


def test_confirm_change_organiser_edit_cancel(app, app_context, make_event, make_user, smtp):
    organiser_email = make_user("organiser")[0]
    event = make_event()
    registration = sign_up(event, 1, name=NAME)
    deliver(app)
    method, invited = read_invitation(smtp.wait_for(1)[0])
    assert method == "REQUEST" and "Theme 0 (Room 1)" in invited.description.value
    assert invited.location.value == "Zwolle"
    assert sequence(download(app, registration)) == sequence(invited)
    uid = invited.uid.value

    services.change_session(db.session, registration, slots(event)[0].sessions[1].id, utcnow())
    db.session.commit()
    deliver(app)
    method, changed = read_invitation(smtp.wait_for(2)[1])
    assert (method, changed.uid.value) == ("REQUEST", uid) and "Theme 1 (Room 2)" in changed.description.value
    assert sequence(changed) > sequence(invited)
    assert sequence(download(app, registration)) == sequence(changed)

    walk_in = event.agenda_items[0]  # the organiser moves the walk-in: the afternoon starts earlier
    organiser = db.session.scalar(select(User).where(User.email == organiser_email))
    data = {"starts_at": dt.time(13), "ends_at": walk_in.ends_at, "kind": "plenary", "title_nl": "Inloop"}
    edit = lambda: setup.save_agenda_item(db.session, event, walk_in, data, organiser)  # noqa: E731
    assert change_the_day(db.session, event.id, edit, utcnow(), confirmed=True).people == 1
    db.session.commit()
    assert deliver(app).sent == []  # it waits a few minutes for more changes to join it
    deliver(app, now=utcnow() + dt.timedelta(minutes=6))
    update = smtp.wait_for(3)[2]
    assert update["Subject"].startswith("Program change")
    method, edited = read_invitation(update)
    assert (method, edited.uid.value) == ("REQUEST", uid) and sequence(edited) > sequence(changed)
    assert edited.dtstart.value.astimezone(dt.UTC) < changed.dtstart.value.astimezone(dt.UTC)
    assert sequence(download(app, registration)) == sequence(edited)

    services.cancel(db.session, registration, utcnow())
    db.session.commit()
    deliver(app)
    method, cancelled = read_invitation(smtp.wait_for(4)[3])
    assert (method, cancelled.uid.value, cancelled.status.value) == ("CANCEL", uid, "CANCELLED")
    assert sequence(cancelled) > sequence(edited)


def test_the_sessions_file_has_an_entry_per_session_apart_from_the_invitation(app, app_context, make_event):
    event = make_event()
    registration = sign_up(event, 1, pilot=1)
    invitation_uid = download(app, registration).uid.value
    body = app.test_client().get(f"/r/{registration.manage_token}/sessions.ics").get_data(as_text=True)
    parsed = vobject.readOne(body)
    assert parsed.method.value == "PUBLISH"
    entries = {vevent.summary.value.split(" (")[0]: vevent for vevent in parsed.vevent_list}
    assert set(entries) == {"Theme 0", "Pilot 1"}
    assert entries["Pilot 1"].location.value == "Room 2, Zwolle"
    assert invitation_uid not in {vevent.uid.value for vevent in parsed.vevent_list}
    assert len(ics.Calendar(body).events) == 2
