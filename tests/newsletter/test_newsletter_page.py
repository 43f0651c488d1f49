"""Writing a newsletter as the organiser writes a message: preview, a test to oneself, then send to the count."""

import email
import email.policy

from sqlalchemy import select

from eventapp.platform.extensions import db
from eventapp.platform.i18n import opens_with_greeting
from eventapp.platform.mail.models import OutgoingMail
from eventapp.platform.mail.sender import built_message, sending_context
from tests.newsletter.test_newsletter import confirmed_subscriber, csrf_of

PAGE = "/organiser/newsletter"
BODY = "Beste lezer,\n\nDe volgende programmadag is op 12 maart."


def post(client, **fields):
    data = {"csrf_token": csrf_of(client, PAGE), "subject": "Nieuws", "body": BODY, **fields}
    return client.post(PAGE, data=data, headers={"Accept-Language": "en"})


def outbox(app) -> list[OutgoingMail]:
    with app.app_context():
        return list(db.session.scalars(select(OutgoingMail).order_by(OutgoingMail.id)))


def text_of(app, mail_id: int) -> str:
    with app.app_context(), sending_context(app):
        raw = built_message(db.session.get(OutgoingMail, mail_id)).as_bytes()
    return email.message_from_bytes(raw, policy=email.policy.default).get_body(("plain",)).get_content()


def test_the_preview_shows_one_greeting_and_the_count_in_words(app, client, make_user, login):
    confirmed_subscriber(app)
    login(*make_user("organiser"))
    page = post(client, action="preview").get_data(as_text=True)
    assert "Beste lezer," in page and "Hello," not in page
    assert "Send to 1 subscriber<" in page and "Send it to the 1 confirmed subscriber now" in page
    assert outbox(app) == []


def test_a_test_goes_to_the_organiser_about_a_sample_and_nobody_else(app, client, make_user, login):
    confirmed_subscriber(app)
    address, password = make_user("organiser")
    login(address, password)
    answer = post(client, action="test")
    assert answer.status_code == 200 and f"A test is on its way to {address}" in answer.get_data(as_text=True)
    [mail] = outbox(app)
    assert mail.recipient == address and mail.payload["test"]
    text = text_of(app, mail.id)
    assert text.startswith("Beste lezer,") and "12 maart" in text and "Reader" not in text


def test_sending_needs_the_tick_then_goes_to_every_confirmed_subscriber(app, client, make_user, login):
    confirmed_subscriber(app, "one@example.org")
    confirmed_subscriber(app, "two@example.org")
    login(*make_user("organiser"))
    refused = post(client, action="send")
    assert refused.status_code == 422 and outbox(app) == []
    sent = post(client, action="send", confirm="y")
    assert sent.status_code == 302
    assert "on its way to 2 subscribers." in client.get(PAGE, headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert sorted(mail.recipient for mail in outbox(app)) == ["one@example.org", "two@example.org"]


def test_the_tick_alone_still_sends(app, client, make_user, login):
    confirmed_subscriber(app)
    login(*make_user("organiser"))
    assert post(client, confirm="y").status_code == 302 and len(outbox(app)) == 1


def test_a_text_with_its_own_greeting_gets_no_second():
    assert opens_with_greeting("Beste deelnemer,\n\nWelkom.") and opens_with_greeting("Dear all,")
    assert not opens_with_greeting("De zaal is verplaatst.") and not opens_with_greeting("")
    assert not opens_with_greeting("Beste " + "x" * 100)  # a first paragraph, not a greeting line
