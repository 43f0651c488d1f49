"""Hosts and pilot contacts on the pages, 'contact me about this pilot' with its consent and hand-over, materials."""

import datetime as dt
import re

import pytest
from sqlalchemy import select, update

from eventapp.events.models import Event, PilotContact, Session
from eventapp.platform.audit import AuditEntry
from eventapp.platform.extensions import db
from eventapp.platform.mail import kinds
from eventapp.platform.mail.models import OutgoingMail
from eventapp.registration.contacts import ContactMail, ContactRequest
from eventapp.registration.models import Registration
from tests.registration.test_pages import csrf_token, form_data


@pytest.fixture
def organiser(app, make_user):
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    email, password = make_user("organiser")
    page = client.get("/staff/login").get_data(as_text=True)
    client.post("/staff/login", data={"csrf_token": csrf_token(page), "email": email, "password": password})
    return client


def registered(app, client, slug, email="a@example.org", name="Ann Example") -> str:
    page = client.get(f"/e/{slug}/register").get_data(as_text=True)
    assert client.post(f"/e/{slug}/register", data=form_data(app, csrf_token(page), email=email, name=name)).status_code
    with app.app_context():
        return db.session.scalar(select(Registration.manage_token).where(Registration.email == email))


def shown_contacts(html: str, session_id: int) -> str:
    """The contact persons the page's form for this pilot names (its hidden field), as a browser sends them."""
    return re.search(rf'/contact/{session_id}" class="form">.*?name="contacts" value="([^"]*)"', html, re.S).group(1)


def pilot(app, title="Environmental Advice 2.0") -> int:
    with app.app_context():
        return db.session.scalar(select(Session.id).where(Session.title_en == title))


def test_the_demo_pilots_name_their_contacts_and_never_show_their_addresses(app, client, demo_slug):
    with app.app_context():
        contacts = {(c.name, c.session_id) for c in db.session.scalars(select(PilotContact))}
        addresses = set(db.session.scalars(select(PilotContact.email)))
    assert {name for name, _ in contacts} == {
        "Irene Salomons",
        "Marleen Kotkamp",
        "Sylvia Huis in 't Veld",
        "Denise van der Plaat",
        "Teun Soederhuizen",
    }
    token = registered(app, client, demo_slug)
    for path in (f"/e/{demo_slug}/", f"/e/{demo_slug}/register", f"/r/{token}"):
        html = client.get(path, headers={"Accept-Language": "en"}).get_data(as_text=True)
        assert "Irene Salomons" in html and "Denise van der Plaat; Teun Soederhuizen" in html, path
        assert not [email for email in addresses if email in html], path


def test_hosts_and_materials_set_in_the_session_form_show_on_the_pages(app, client, organiser, demo_slug):
    session_id = pilot(app, "Dashboard Twente")
    path = f"/organiser/e/{demo_slug}/sessions/{session_id}"
    html = organiser.get(path).get_data(as_text=True)
    assert "Sylvia Huis in &#39;t Veld |  | sylvia.huis.in.t.veld@example.org | nl" in html
    with app.app_context():
        session = db.session.get(Session, session_id)
        fields = {name: getattr(session, name) or "" for name in ("title_nl", "title_en", "room", "room_en")}
        fields |= {"capacity": session.capacity, "position": session.position}
    data = {
        "csrf_token": csrf_token(html),
        **fields,
        "hosts_text": "Sylvia Huis in 't Veld | Kennispunt Twente | projectleider",
        "contacts_text": "Sylvia Huis in 't Veld | Kennispunt Twente | sylvia@example.org | en",
        "materials_text": "Slides | https://example.org/dashboard.pdf",
    }
    assert organiser.post(path, data={**data, "materials_text": "Slides | ftp://x"}).status_code == 422
    assert organiser.post(path, data=data).status_code == 302
    event_page = client.get(f"/e/{demo_slug}/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Sylvia Huis in &#39;t Veld (Kennispunt Twente), projectleider" in event_page
    assert "sylvia@example.org" not in event_page
    token = registered(app, client, demo_slug)  # form_data chooses Dashboard Twente
    assert "dashboard.pdf" not in client.get(f"/r/{token}").get_data(as_text=True)  # before the day: not yet
    with app.app_context():
        db.session.execute(update(Event).values(date=dt.date.today() - dt.timedelta(days=1)))
        db.session.commit()
    assert 'href="https://example.org/dashboard.pdf"' in client.get(f"/r/{token}").get_data(as_text=True)


def test_asking_to_be_contacted_needs_consent_and_can_be_withdrawn(app, client, demo_slug):
    token, session_id = registered(app, client, demo_slug), pilot(app)
    html = client.get(f"/r/{token}", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "I agree that my name, organisation, e-mail address and note are given to Denise van der Plaat" in html
    url = f"/r/{token}/contact/{session_id}"
    shown = {"csrf_token": csrf_token(html), "contacts": shown_contacts(html, session_id)}
    assert client.post(url, data={**shown, "note": "Ede too"}).status_code == 422
    assert client.post(url, data={**shown, "note": "Ede too", "consent": "y"}).status_code == 302
    with app.app_context():
        request = db.session.scalar(select(ContactRequest))
        assert (request.note, request.session_id) == ("Ede too", session_id)
        assert "Teun Soederhuizen" in request.consent_text
    assert client.post(url, data={"csrf_token": csrf_token(html), "withdraw": "yes"}).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(ContactRequest)) is None
    theme = pilot(app, "Prevention")  # no contact person: nothing to ask
    assert client.post(f"/r/{token}/contact/{theme}", data={"csrf_token": csrf_token(html)}).status_code == 404


def test_the_organiser_hands_the_requests_to_each_contact_in_one_step(app, client, organiser, demo_slug):
    session_id = pilot(app)
    for number, note in enumerate(["Ede too", ""]):
        token = registered(app, client, demo_slug, f"p{number}@example.org", f"Person {number}")
        html = client.get(f"/r/{token}").get_data(as_text=True)
        data = {"csrf_token": csrf_token(html), "note": note, "consent": "y"}
        data["contacts"] = shown_contacts(html, session_id)
        client.post(f"/r/{token}/contact/{session_id}", data=data)
    with app.app_context():
        db.session.execute(update(PilotContact).where(PilotContact.name == "Teun Soederhuizen").values(language="en"))
        db.session.commit()
    page = organiser.get(f"/organiser/e/{demo_slug}/pilots").get_data(as_text=True)
    assert "Person 0" in page and "Ede too" in page and "Send 2 requests to the contact person" in page
    sent = organiser.post(
        f"/organiser/e/{demo_slug}/pilots/{session_id}/hand-over", data={"csrf_token": csrf_token(page)}
    )
    assert sent.status_code == 302
    with app.app_context():
        mails = db.session.scalars(select(OutgoingMail).where(OutgoingMail.kind == ContactMail.HAND_OVER)).all()
        assert sorted((m.recipient, m.language) for m in mails) == [
            ("denise.van.der.plaat@example.org", "nl"),
            ("teun.soederhuizen@example.org", "en"),
        ]
        english = next(m for m in mails if m.language == "en")
        with app.test_request_context():
            message = kinds.compose(english)
        body = message.get_body(("plain",)).get_content()
        assert "Person 0, Kennispunt Twente, p0@example.org" in body and '"Ede too"' in body
        assert message["To"] == "Teun Soederhuizen <teun.soederhuizen@example.org>"
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "pilot.handed_over"))
        assert entry.details["people"] == 2
    audit = organiser.get(f"/organiser/e/{demo_slug}/audit").get_data(as_text=True)
    assert "Passed 2 requests to be contacted about Environmental Advice 2.0 to Denise van der Plaat" in audit
    again = organiser.post(
        f"/organiser/e/{demo_slug}/pilots/{session_id}/hand-over", data={"csrf_token": csrf_token(page)}
    )
    assert again.status_code == 302
    with app.app_context():
        assert (
            len(db.session.scalars(select(OutgoingMail).where(OutgoingMail.kind == ContactMail.HAND_OVER)).all()) == 2
        )
    html = client.get(f"/r/{token}", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert re.search(r"Passed on to the contact person on", html)
