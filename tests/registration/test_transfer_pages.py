"""Transfer to a colleague through HTTP, with the mails as a real SMTP server receives them."""

import datetime as dt
import re

import icalendar
import pytest
from sqlalchemy import select

from eventapp.platform.db import utcnow
from eventapp.platform.extensions import db
from eventapp.platform.mail.models import OutgoingMail
from eventapp.platform.mail.sender import deliver_due, sending_context
from eventapp.registration.models import Registration, TransferRequest
from tests.registration.helpers import sign_up

EN = {"Accept-Language": "en"}
COLLEAGUE = {
    "name": "Cor Collega",
    "organisation": "Politie Oost",
    "organisation_type": "police",
    "email": "cor@example.org",
    "language": "nl",
}


def csrf(html: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html)
    assert match, "no CSRF token in the page"
    return match.group(1)


def deliver(app):
    with app.app_context(), sending_context(app):
        return deliver_due()


def signed_up(app, make_event, **fields) -> tuple[int, str]:
    with app.app_context():
        registration = sign_up(make_event(), 1, **fields)
        return registration.id, registration.manage_token


def ask(client, token, **fields):
    page = client.get(f"/r/{token}/transfer", headers=EN)
    assert page.status_code == 200
    return client.post(
        f"/r/{token}/transfer",
        data={**COLLEAGUE, **fields, "csrf_token": csrf(page.get_data(as_text=True))},
        headers=EN,
    )


def calendar_of(message):
    # One invitation, shown inline and attached as a file: both parts carry the same calendar.
    parts = {part.get_payload(decode=True) for part in message.walk() if part.get_content_type() == "text/calendar"}
    (part,) = parts
    calendar = icalendar.Calendar.from_ical(part)
    (event,) = calendar.walk("VEVENT")
    return calendar["METHOD"], str(event["UID"]), int(event["SEQUENCE"]), str(event["ATTENDEE"])


def link_in(message) -> str:
    text = message.get_body(preferencelist=("plain",)).get_content()
    return re.search(r"http://\S+/r/transfer/\S+", text).group(0)


class TestWithSmtp:
    @pytest.fixture
    def app_settings(self, smtp_port):
        return {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": smtp_port, "MAIL_SUPPRESS_SEND": False}

    def test_the_whole_walk(self, app, client, make_event, smtp):
        registration_id, token = signed_up(app, make_event)
        assert deliver(app).sent  # the first confirmation, with its REQUEST
        (first,) = smtp.wait_for(1)
        _, uid, first_sequence, _ = calendar_of(first)

        manage = client.get(f"/r/{token}", headers=EN).get_data(as_text=True)
        assert "Someone else goes in my place" in manage and f"/r/{token}/transfer" in manage
        sent = ask(client, token)
        assert sent.status_code == 200
        assert "We mailed your colleague" in sent.get_data(as_text=True)
        assert deliver(app).sent
        invitation = smtp.wait_for(2)[1]
        assert invitation["To"].addresses[0].addr_spec == "cor@example.org"
        assert "Person 1" in invitation["Subject"]  # in Dutch, the colleague's language
        link = link_in(invitation)
        path = link[link.index("/r/transfer/") :]

        shown = client.get(path, headers=EN)
        assert shown.status_code == 200
        page = shown.get_data(as_text=True)
        assert "Person 1 gives you their place" in page and "Cor Collega" in page
        accepted = client.post(path, data={"csrf_token": csrf(page)}, headers=EN)
        assert accepted.status_code == 302
        with app.app_context():
            registration = db.session.get(Registration, registration_id)
            new_token = registration.manage_token
            assert registration.email == "cor@example.org"
        assert accepted.headers["Location"].endswith(f"/r/{new_token}")
        assert client.get(f"/r/{token}").status_code == 404  # the old link is dead
        assert client.get(f"/r/{new_token}", headers=EN).status_code == 200
        assert client.get(path, headers=EN).status_code == 410  # used once
        assert client.post(path, data={"csrf_token": csrf(page)}, headers=EN).status_code == 410

        assert deliver(app).sent
        messages = smtp.wait_for(4)[2:]
        by_address = {message["To"].addresses[0].addr_spec: message for message in messages}
        gone, welcome = by_address["person1@example.org"], by_address["cor@example.org"]
        assert "Cor Collega" in gone["Subject"]
        gone_method, gone_uid, gone_sequence, gone_attendee = calendar_of(gone)
        method, new_uid, sequence, attendee = calendar_of(welcome)
        assert (gone_method, method) == ("CANCEL", "REQUEST")
        assert gone_uid == new_uid == uid
        assert gone_sequence > first_sequence and sequence > first_sequence
        assert gone_attendee.endswith("person1@example.org") and attendee.endswith("cor@example.org")
        assert any(part.get_content_type() == "image/png" for part in welcome.walk())  # the new ticket's QR
        text = welcome.get_body(preferencelist=("plain",)).get_content()
        assert "Person 1 heeft u de plaats gegeven." in text  # in the colleague's language
        assert f"/r/{new_token}" in text and f"/r/{token}" not in text


def test_an_unknown_link_is_404_and_an_expired_one_410(app, client, make_event):
    registration_id, token = signed_up(app, make_event)
    assert client.get("/r/transfer/nothing-like-it", headers=EN).status_code == 404
    assert ask(client, token).status_code == 200
    with app.app_context():
        request = db.session.scalars(select(TransferRequest)).one()
        request.expires_at = utcnow() - dt.timedelta(seconds=1)
        mail_token = db.session.scalars(select(OutgoingMail)).all()
        secret = [mail.payload["token"] for mail in mail_token if "token" in mail.payload][0]
        db.session.commit()
    response = client.get(f"/r/transfer/{secret}", headers=EN)
    assert response.status_code == 410
    assert "no longer works" in response.get_data(as_text=True)


def test_an_address_already_registered_is_refused_and_said(app, client, make_event):
    with app.app_context():
        event = make_event()
        token = sign_up(event, 1).manage_token
        sign_up(event, 2)
    response = ask(client, token, email="person2@example.org")
    assert response.status_code == 409
    assert "already registered" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(select(TransferRequest)).all() == []


def test_a_form_without_a_name_is_422(app, client, make_event):
    _, token = signed_up(app, make_event)
    assert ask(client, token, name="").status_code == 422


def test_after_the_day_the_post_is_409_and_the_page_offers_no_transfer(app, client, make_event):
    registration_id, token = signed_up(app, make_event)
    page = client.get(f"/r/{token}/transfer", headers=EN).get_data(as_text=True)
    with app.app_context():
        registration = db.session.get(Registration, registration_id)
        registration.event.date = (utcnow() - dt.timedelta(days=2)).date()
        db.session.commit()
    response = client.post(f"/r/{token}/transfer", data={**COLLEAGUE, "csrf_token": csrf(page)}, headers=EN)
    assert response.status_code == 409
    assert "Nothing was changed." in response.get_data(as_text=True)
    assert "Someone else goes in my place" not in client.get(f"/r/{token}", headers=EN).get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(select(TransferRequest)).all() == []


def test_the_organiser_transfers_from_the_person_page(app, client, make_event, make_user, login):
    with app.app_context():
        event = make_event()
        registration = sign_up(event, 1)
        slug, registration_id, token = event.slug, registration.id, registration.manage_token
    login(*make_user("organiser"))
    person_page = client.get(f"/organiser/e/{slug}/people/{registration_id}", headers=EN).get_data(as_text=True)
    path = f"/organiser/e/{slug}/people/{registration_id}/transfer"
    assert path in person_page
    form = client.get(path, headers=EN)
    assert form.status_code == 200
    done = client.post(path, data={**COLLEAGUE, "csrf_token": csrf(form.get_data(as_text=True))}, headers=EN)
    assert done.status_code == 302
    assert client.get(f"/r/{token}").status_code == 404
    with app.app_context():
        from eventapp.platform.mail.models import OutgoingMail

        kinds = {(mail.kind, mail.recipient) for mail in db.session.scalars(select(OutgoingMail))}
        assert ("transfer_gone", "person1@example.org") in kinds
        assert ("registration_confirmed", "cor@example.org") in kinds
        assert not any(kind == "transfer_confirm" for kind, _ in kinds)
    log = client.get(f"/organiser/e/{slug}/audit", headers=EN).get_data(as_text=True)
    assert "Gave the place to a colleague (p***@example.org to c***@example.org)" in log
