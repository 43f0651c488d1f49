"""Mails from the outbox to a real SMTP server on loopback, read back as MIME."""

import datetime as dt
import io

import icalendar
import pytest
import vobject
import zxingcpp
from PIL import Image
from sqlalchemy import delete, func, select

from eventapp.platform.db import utcnow
from eventapp.platform.extensions import db
from eventapp.platform.mail import sender
from eventapp.platform.mail.models import MailStatus, OutgoingMail
from eventapp.platform.mail.sender import claim, deliver_due, resend, sending_context
from eventapp.registration import attempts, services
from eventapp.registration.mails import queue_reminders
from eventapp.registration.models import RegistrationMail
from tests.mail.smtp import start_smtp
from tests.registration.helpers import sign_up, slots

PUBLIC_URL = "https://events.example.org"


@pytest.fixture
def app_settings(smtp_port):
    return {
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": smtp_port,
        "MAIL_SUPPRESS_SEND": False,
        "MAIL_MAX_ATTEMPTS": 3,
        "PUBLIC_URL": PUBLIC_URL,
        "ORGANIZER_EMAIL": "programma@jeugdenveiligheid.example",
    }


def deliver(app, now=None):
    with sending_context(app):
        return deliver_due(now=now)


def parts_of(message) -> dict:
    """Leaf parts by content type (a list each)."""
    found = {}
    for part in message.walk():
        if not part.is_multipart():
            found.setdefault(part.get_content_type(), []).append(part)
    return found


def decode_qr(png: bytes) -> list[str]:
    return [result.text for result in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))]


def test_confirmation_has_text_html_inline_qr_and_an_invitation(app, app_context, make_event, smtp):
    event = make_event()
    registration = sign_up(event, 1, name="Sylvia Huis in 't Veld", language="en")
    report = deliver(app)
    assert len(report.sent) == 1
    (message,) = smtp.wait_for(1)
    envelope = smtp.envelopes[0]
    assert envelope.rcpt_tos == ["person1@example.org"]
    assert message["To"].addresses[0].display_name == "Sylvia Huis in 't Veld"
    assert message["From"].addresses[0].addr_spec == "programma@jeugdenveiligheid.example"
    assert message["Subject"] == f"You are registered: {event.title_en}"
    assert message.get_content_type() == "multipart/mixed"

    parts = parts_of(message)
    text = parts["text/plain"][0].get_content()
    html = parts["text/html"][0].get_content()
    manage_url = f"{PUBLIC_URL}/r/{registration.manage_token}"
    assert manage_url in text and manage_url in html
    assert "Theme 0" in text and "Pilot 0" in text
    (image,) = parts["image/png"]
    cid = image["Content-ID"].strip("<>")
    assert f'src="cid:{cid}"' in html
    assert decode_qr(image.get_content()) == [registration.ticket_code]

    inline_calendar, attached_calendar = parts["text/calendar"]
    assert inline_calendar.get_param("method") == "REQUEST" and attached_calendar.get_filename() == "invite.ics"
    calendar = icalendar.Calendar.from_ical(attached_calendar.get_content())
    assert calendar["METHOD"] == "REQUEST"
    (vevent,) = calendar.walk("VEVENT")  # one event per invitation: Outlook imports only the first
    assert str(vevent["ATTENDEE"]) == "mailto:person1@example.org"
    assert str(vevent["ORGANIZER"]) == "mailto:programma@jeugdenveiligheid.example"
    assert str(vevent["LOCATION"]) == event.venue
    assert "Theme 0" in vevent["DESCRIPTION"] and "Pilot 0" in vevent["DESCRIPTION"]
    assert db.session.get(OutgoingMail, report.sent[0]).status == MailStatus.SENT


def uids_and_sequence(message):
    calendar = icalendar.Calendar.from_ical(parts_of(message)["text/calendar"][-1].get_content())
    return calendar["METHOD"], {str(v["UID"]): int(v["SEQUENCE"]) for v in calendar.walk("VEVENT")}


def test_a_change_updates_the_same_events_and_a_cancellation_cancels_them(app, app_context, make_event, smtp):
    event = make_event()
    registration = sign_up(event, 1)
    deliver(app)
    services.change_session(db.session, registration, slots(event)[0].sessions[1].id, utcnow())
    db.session.commit()
    deliver(app)
    services.cancel(db.session, registration, utcnow())
    db.session.commit()
    deliver(app)
    confirmed, changed, cancelled = smtp.wait_for(3)
    first_method, first = uids_and_sequence(confirmed)
    second_method, second = uids_and_sequence(changed)
    third_method, third = uids_and_sequence(cancelled)
    assert (first_method, second_method, third_method) == ("REQUEST", "REQUEST", "CANCEL")
    assert set(first) == set(second) == set(third) and len(first) == 1  # the same event throughout
    assert max(first.values()) < min(second.values()) < min(third.values())
    assert "Theme 1" in parts_of(changed)["text/plain"][0].get_content()
    assert "image/png" not in parts_of(cancelled)


def test_messages_overtaken_by_a_cancellation_are_not_sent(app, app_context, make_event, smtp):
    event = make_event()
    registration = sign_up(event, 1)
    services.cancel(db.session, registration, utcnow())
    db.session.commit()
    report = deliver(app)
    assert len(report.superseded) == 1 and len(report.sent) == 1
    (message,) = smtp.wait_for(1)
    assert message["Subject"].startswith("Your registration is cancelled")
    statuses = {mail.kind: mail.status for mail in db.session.scalars(select(OutgoingMail))}
    assert statuses == {RegistrationMail.CONFIRMED: MailStatus.SUPERSEDED, RegistrationMail.CANCELLED: MailStatus.SENT}


def test_every_kind_of_message_is_delivered_in_the_attendees_language(app, app_context, make_event, smtp):
    event = make_event(day_capacity=1, theme=[1, 1])
    holder = sign_up(event, 1, language="nl")
    waiting = sign_up(event, 2, language="en")
    attempts.send_manage_link(db.session, holder, utcnow())
    db.session.commit()
    deliver(app)
    services.cancel(db.session, holder, utcnow())
    db.session.commit()
    queue_reminders(db.session, event.date, utcnow())
    db.session.commit()
    kinds = [mail.kind for mail in db.session.scalars(select(OutgoingMail).order_by(OutgoingMail.id))]
    assert set(kinds) == {
        RegistrationMail.CONFIRMED,
        RegistrationMail.WAITLISTED,
        RegistrationMail.MANAGE_LINK,
        RegistrationMail.CANCELLED,
        RegistrationMail.PROMOTED,
        RegistrationMail.REMINDER,
    }
    report = deliver(app)
    assert not report.retrying and not report.superseded
    subjects = [message["Subject"] for message in smtp.wait_for(len(kinds))]
    assert subjects[0].endswith(event.title_nl)  # holder chose Dutch
    assert any(subject.startswith("Good news") and subject.endswith(event.title_en) for subject in subjects)
    assert any(subject.startswith("Tomorrow") for subject in subjects)
    assert waiting.id in {
        mail.registration_id
        for mail in db.session.scalars(select(OutgoingMail).where(OutgoingMail.kind == RegistrationMail.REMINDER))
    }


def test_smtp_down_nothing_is_lost_and_mail_goes_out_once_it_is_back(app, app_context, make_event, smtp_port):
    event = make_event()
    people = [sign_up(event, n) for n in range(1, 4)]
    now = utcnow()
    report = deliver(app, now)
    assert len(report.retrying) == 3 and not report.sent
    pending = db.session.scalars(select(OutgoingMail)).all()
    assert all(mail.status == MailStatus.PENDING and mail.attempts == 1 and mail.last_error for mail in pending)
    assert not deliver(app, now + dt.timedelta(seconds=30)).sent  # not due yet

    controller, collector = start_smtp(smtp_port)
    try:
        report = deliver(app, now + dt.timedelta(minutes=2))
        assert len(report.sent) == 3
        assert not deliver(app, now + dt.timedelta(hours=3)).sent  # nothing sent twice
        assert sorted(envelope.rcpt_tos[0] for envelope in collector.envelopes) == sorted(p.email for p in people)
    finally:
        controller.stop()


def test_a_mail_that_keeps_failing_is_marked_failed_and_can_be_retried(app, app_context, make_event, smtp_port):
    event = make_event()
    sign_up(event, 1)
    now = utcnow()
    for attempt in range(3):
        deliver(app, now + dt.timedelta(hours=3 * attempt))
    (mail,) = db.session.scalars(select(OutgoingMail)).all()
    assert (mail.status, mail.attempts) == (MailStatus.FAILED, 3)
    assert "ConnectionRefusedError" in mail.last_error
    resend(mail, now)
    db.session.commit()
    controller, collector = start_smtp(smtp_port)
    try:
        assert len(deliver(app, now + dt.timedelta(hours=10)).sent) == 1
    finally:
        controller.stop()


def test_a_mail_that_cannot_be_built_fails_at_once_with_its_traceback_logged(
    app, app_context, make_event, smtp, monkeypatch, caplog
):
    from eventapp.platform.mail import kinds

    def broken(_mail):
        raise KeyError("programme_title")  # a template or builder bug

    event = make_event()
    sign_up(event, 1)
    (mail,) = db.session.scalars(select(OutgoingMail)).all()
    monkeypatch.setitem(kinds._KINDS, mail.kind, kinds.MailKind(mail.kind, broken))
    report = deliver(app)
    db.session.expire_all()
    assert report.failed == [mail.id] and not report.retrying and not report.sent
    assert (mail.status, mail.attempts) == (MailStatus.FAILED, 1)
    assert mail.last_error == "could not be built: KeyError: 'programme_title'"
    (record,) = [r for r in caplog.records if "could not be built" in r.getMessage()]
    assert record.exc_info and record.exc_info[0] is KeyError
    assert smtp.envelopes == []
    assert deliver(app, utcnow() + dt.timedelta(hours=5)).failed == []  # not tried again by itself


def test_a_mail_erased_after_its_claim_is_left_alone_and_the_round_goes_on(
    app, app_context, make_event, smtp, monkeypatch
):
    event = make_event()
    sign_up(event, 1)
    sign_up(event, 2)
    erased_id, kept_id = db.session.scalars(select(OutgoingMail.id).order_by(OutgoingMail.id)).all()
    claim_first = sender.claim

    def claim_then_erase(mail_id, now):  # privacy.erase deletes the person's mails while the sender holds one
        taken = claim_first(mail_id, now)
        if mail_id == erased_id:
            db.session.execute(delete(OutgoingMail).where(OutgoingMail.id == erased_id))
            db.session.commit()
        return taken

    monkeypatch.setattr(sender, "claim", claim_then_erase)
    report = deliver(app)
    assert report.sent == [kept_id] and report.handled == 1
    assert len(smtp.envelopes) == 1


def test_a_claimed_mail_cannot_be_claimed_again_until_the_claim_runs_out(app, app_context, make_event):
    event = make_event()
    sign_up(event, 1)
    mail_id = db.session.scalar(select(OutgoingMail.id))
    now = utcnow()
    assert claim(mail_id, now) is True
    assert claim(mail_id, now) is False
    assert claim(mail_id, now + dt.timedelta(minutes=5)) is True  # the first sender's claim ran out


def test_a_name_with_line_breaks_cannot_add_headers(app, app_context, make_event, smtp):
    event = make_event()
    sign_up(event, 1, name="Eve\r\nBcc: victim@example.org\r\nX-Evil: 1")
    deliver(app)
    (message,) = smtp.wait_for(1)
    assert message["Bcc"] is None and message["X-Evil"] is None
    assert smtp.envelopes[0].rcpt_tos == ["person1@example.org"]
    assert message["To"].addresses[0].display_name == "Eve Bcc: victim@example.org X-Evil: 1"


def test_reminders_are_queued_once_for_tomorrows_confirmed_people(app, app_context, make_event, runner):
    event = make_event(day_capacity=1)
    confirmed, waiting = sign_up(event, 1), sign_up(event, 2)
    result = runner.invoke(args=["send-reminders", "--date", event.date.isoformat()])
    assert "1 reminders queued" in result.output
    again = runner.invoke(args=["send-reminders", "--date", event.date.isoformat()])
    assert "0 reminders queued" in again.output
    reminders = db.session.scalars(select(OutgoingMail).where(OutgoingMail.kind == RegistrationMail.REMINDER)).all()
    assert [mail.registration_id for mail in reminders] == [confirmed.id]
    assert waiting.id not in [mail.registration_id for mail in reminders]


def test_send_mail_command_delivers_the_outbox(app, app_context, make_event, runner, smtp):
    event = make_event()
    sign_up(event, 1), sign_up(event, 2)
    result = runner.invoke(args=["send-mail"])
    assert "sent 2, retrying 0, failed 0" in result.output
    assert len(smtp.wait_for(2)) == 2
    assert (
        db.session.scalar(select(func.count()).select_from(OutgoingMail).where(OutgoingMail.status == MailStatus.SENT))
        == 2
    )


def test_ics_of_a_mail_parses_with_a_second_parser(app, app_context, make_event, smtp):
    event = make_event()
    sign_up(event, 1)
    deliver(app)
    (message,) = smtp.wait_for(1)
    parsed = vobject.readOne(parts_of(message)["text/calendar"][-1].get_content())
    assert parsed.method.value == "REQUEST"
    assert len(parsed.vevent_list) == 1
    assert {vevent.uid.value for vevent in parsed.vevent_list} == {
        str(v["UID"])
        for v in icalendar.Calendar.from_ical(parts_of(message)["text/calendar"][-1].get_content()).walk("VEVENT")
    }


def test_the_in_process_sender_sends_right_after_the_commit(database_url, app_settings, smtp):
    """As with `make run`: a registration's mail leaves at once, without waiting for the next poll."""
    from eventapp import create_app
    from tests.conftest import load_demo
    from tests.registration.test_pages import csrf_token, form_data

    settings = {**app_settings, "MAIL_SENDER_IN_PROCESS": True, "MAIL_SENDER_POLL_SECONDS": 600}
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": database_url, **settings})
    try:
        slug = load_demo(app)
        client = app.test_client()
        page = client.get(f"/e/{slug}/register").get_data(as_text=True)
        assert client.post(f"/e/{slug}/register", data=form_data(app, csrf_token(page))).status_code == 302
        (message,) = smtp.wait_for(1, timeout=10)
        assert message["Subject"].startswith("You are registered")
    finally:
        app.extensions["outbox_sender"].stop()
        with app.app_context():
            db.engine.dispose()
