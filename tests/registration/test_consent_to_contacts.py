"""Consent is to the named contact (issue 31): a request to be contacted names the pilot's contact persons the
person agreed to; a contact the organiser adds later receives nothing about them until they agree again."""

import pytest
from sqlalchemy import select

from eventapp.events import hosts
from eventapp.events.models import Session
from eventapp.platform.db import utcnow
from eventapp.platform.extensions import db
from eventapp.platform.mail import kinds
from eventapp.platform.mail.models import OutgoingMail
from eventapp.registration import contacts
from eventapp.registration.contacts import ContactMail
from eventapp.registration.models import Registration
from tests.registration.helpers import sign_up
from tests.registration.test_contacts import pilot, registered, shown_contacts
from tests.registration.test_pages import csrf_token

ANNA = "Anna Eerst | Gemeente Ede | anna@example.org | nl"
BRAM = "Bram Later | Politie Oost | bram@example.org | en"


@pytest.fixture
def organiser(app, make_user):
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    email, password = make_user("organiser")
    page = client.get("/staff/login").get_data(as_text=True)
    client.post("/staff/login", data={"csrf_token": csrf_token(page), "email": email, "password": password})
    return client


def hand_over_mails() -> list[OutgoingMail]:
    return list(db.session.scalars(select(OutgoingMail).where(OutgoingMail.kind == ContactMail.HAND_OVER)))


def set_contacts(session: Session, text: str) -> None:
    parsed = hosts.Parsed(hosts=[], contacts=hosts.parse_contacts(text), materials=[])
    hosts.set_people_and_links(session, parsed)
    db.session.flush()


def test_a_consent_names_only_the_contacts_the_page_showed(app, make_event):
    with app.app_context():
        event = make_event()
        session = event.agenda_items[2].sessions[0]
        set_contacts(session, ANNA)
        shown = str(session.contacts[0].id)  # the page the person read named Anna only
        set_contacts(session, f"{ANNA}\n{BRAM}")
        registration = db.session.get(Registration, sign_up(event, 1, pilot=0).id)
        named = contacts.named_in(session, shown)
        assert [contact.name for contact in named] == ["Anna Eerst"]
        request = contacts.ask(db.session, registration, session, "", "", utcnow(), named)
        assert request.contact_ids == {session.contacts[0].id}
        with pytest.raises(ValueError):  # a page that named none of the pilot's contacts now: no consent
            contacts.ask(db.session, registration, session, "", "", utcnow(), contacts.named_in(session, "0,x"))


@pytest.mark.both_databases
def test_consent_to_a_hand_over_to_a_then_b_after_agreeing_again(app, make_event):
    with app.app_context():
        event = make_event()
        session = event.agenda_items[2].sessions[0]
        set_contacts(session, ANNA)
        anna_id = session.contacts[0].id
        registration = db.session.get(Registration, sign_up(event, 1, pilot=0).id)
        shown = contacts.named_in(session, str(anna_id))
        sentence = contacts.consent_sentence(session, "en", shown)
        contacts.ask(db.session, registration, session, "Graag", sentence, utcnow(), shown)
        db.session.commit()

        set_contacts(session, f"{ANNA}\n{BRAM}")  # the organiser adds Bram; Anna keeps her row
        assert session.contacts[0].id == anna_id
        bram = session.contacts[1]
        request = contacts.requests_of(db.session, registration.id)[session.id]
        assert request.contact_ids == {anna_id} and contacts.new_contacts(session, request) == [bram]

        handed = contacts.hand_over(db.session, session, utcnow())
        db.session.commit()
        assert [contact.name for contact in handed.contacts] == ["Anna Eerst"]
        assert [mail.recipient for mail in hand_over_mails()] == ["anna@example.org"]
        assert not contacts.hand_over(db.session, session, utcnow()).requests  # nothing new for anyone

        everyone = list(session.contacts)
        again = contacts.consent_sentence(session, "en", everyone)
        contacts.ask(db.session, registration, session, "Graag", again, utcnow(), everyone)
        handed = contacts.hand_over(db.session, session, utcnow())
        db.session.commit()
        assert [contact.name for contact in handed.contacts] == ["Bram Later"]
        assert sorted(mail.recipient for mail in hand_over_mails()) == ["anna@example.org", "bram@example.org"]


def test_the_queued_mail_of_a_contact_the_consent_no_longer_names_composes_nothing(app, make_event):
    with app.app_context():
        event = make_event()
        session = event.agenda_items[2].sessions[0]
        set_contacts(session, ANNA)
        registration = db.session.get(Registration, sign_up(event, 1, pilot=0).id)
        contacts.ask(db.session, registration, session, "", contacts.consent_sentence(session, "en"), utcnow())
        contacts.hand_over(db.session, session, utcnow())
        db.session.commit()
        (mail,) = hand_over_mails()
        set_contacts(session, BRAM)  # Anna goes, and with her the consent that named her
        db.session.commit()
        with app.test_request_context(), pytest.raises(kinds.NothingToCompose):
            kinds.compose(mail)


def test_over_http_consent_to_a_then_the_organiser_adds_b_and_hands_over_only_a_gets_mail(
    app, client, organiser, demo_slug
):
    session_id = pilot(app, "Dashboard Twente")  # one contact: Sylvia Huis in 't Veld
    token = registered(app, client, demo_slug)
    html = client.get(f"/r/{token}", headers={"Accept-Language": "en"}).get_data(as_text=True)
    data = {"csrf_token": csrf_token(html), "contacts": shown_contacts(html, session_id), "consent": "y"}
    stale = client.post(f"/r/{token}/contact/{session_id}", data={**data, "contacts": "0"})
    assert stale.status_code == 422 and "The contact persons of this pilot have changed" in stale.text
    assert client.post(f"/r/{token}/contact/{session_id}", data={**data, "note": "Twente"}).status_code == 302

    path = f"/organiser/e/{demo_slug}/sessions/{session_id}"
    form = organiser.get(path).get_data(as_text=True)
    with app.app_context():
        session = db.session.get(Session, session_id)
        fields = {name: getattr(session, name) or "" for name in ("title_nl", "title_en", "room", "room_en")}
        fields |= {"capacity": session.capacity, "position": session.position, "hosts_text": hosts.hosts_text(session)}
        fields["contacts_text"] = hosts.contacts_text(session) + "\n" + BRAM
    assert organiser.post(path, data={"csrf_token": csrf_token(form), **fields}).status_code == 302

    page = client.get(f"/r/{token}", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "New contact person for this pilot: Bram Later." in page
    pilots = organiser.get(f"/organiser/e/{demo_slug}/pilots").get_data(as_text=True)
    handing = f"/organiser/e/{demo_slug}/pilots/{session_id}/hand-over"
    assert organiser.post(handing, data={"csrf_token": csrf_token(pilots)}).status_code == 302
    with app.app_context():
        mails = hand_over_mails()
        assert [mail.recipient for mail in mails] == ["sylvia.huis.in.t.veld@example.org"]
        with app.test_request_context():
            body = kinds.compose(mails[0]).get_body(("plain",)).get_content()
        assert "Ann Example" in body and "Twente" in body

    again = {"csrf_token": csrf_token(page), "contacts": shown_contacts(page, session_id), "consent": "y"}
    assert client.post(f"/r/{token}/contact/{session_id}", data={**again, "note": "Twente"}).status_code == 302
    assert "New contact person" not in client.get(f"/r/{token}", headers={"Accept-Language": "en"}).text
    assert organiser.post(handing, data={"csrf_token": csrf_token(pilots)}).status_code == 302
    with app.app_context():
        recipients = sorted(mail.recipient for mail in hand_over_mails())
    assert recipients == ["bram@example.org", "sylvia.huis.in.t.veld@example.org"]
