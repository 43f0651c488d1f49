"""Follow-up by attendance: the message audiences after the day select the right people (on SQLite and
PostgreSQL), their mail links to the statement, and the page offers a kind text for those who did not come."""

import pytest
from sqlalchemy import select

from eventapp.events.models import Event, Session
from eventapp.organiser import services
from eventapp.organiser.services import Audience
from eventapp.platform.audit import AuditEntry
from eventapp.platform.db import utcnow
from eventapp.platform.extensions import db
from eventapp.platform.mail.kinds import compose
from eventapp.platform.mail.models import OutgoingMail
from eventapp.platform.mail.sender import sending_context
from eventapp.platform.staff.models import User
from eventapp.registration.models import OrganisationType, RegistrationMail
from tests.organiser.test_pages import csrf

EN = {"Accept-Language": "en"}


@pytest.mark.both_databases
def test_who_is_in_each_audience_after_the_day(app, past_day):
    """1 (police) came, through Theme 1's door, pilot seat 1; 2 (municipality) came, Theme 0's door, pilot seat 0;
    3 (police) did not come; 4 cancelled."""
    with app.app_context():
        event = db.session.get(Event, past_day["event_id"])
        session = lambda key: db.session.get(Session, past_day[key])  # noqa: E731
        expected = {
            Audience("came"): ["Łucja Ëlbrink", "Person 2"],
            Audience("did_not_come"): ["Person 3"],
            Audience("attended", session("theme0")): ["Person 2"],  # 1 chose it, but went into Theme 1
            Audience("attended", session("theme1")): ["Łucja Ëlbrink"],
            Audience("attended", session("pilot0")): ["Person 2"],  # no pilot door scanned: seats count
            Audience("attended", session("pilot1")): ["Łucja Ëlbrink"],
            # Admitted into Theme 1 at its door, 1's seat moved there with them.
            Audience("session", session("theme1")): ["Łucja Ëlbrink", "Person 3"],
            Audience("type", organisation_type=OrganisationType.POLICE): ["Łucja Ëlbrink", "Person 3"],
            Audience("type", organisation_type=OrganisationType.MUNICIPALITY): ["Person 2"],
            Audience("type", organisation_type=OrganisationType.EDUCATION): [],
        }
        for audience, people in expected.items():
            found = [r.name for r in services.audience_people(db.session, event, audience)]
            assert found == people, audience.key
            assert services.audience_count(db.session, event, audience) == len(people), audience.key
        sessions = [session("theme0"), session("theme1")]
        assert services.audience_of(f"attended-{past_day['theme1']}", sessions) == Audience("attended", sessions[1])
        assert services.audience_of("type-police", sessions) == Audience("type", organisation_type="police")
        assert services.audience_of("type-pirates", sessions) is None
        assert services.audience_of("attended-99999", sessions) is None


def test_a_message_to_those_who_came_links_to_their_statement(app, past_day, make_user):
    make_user("organiser", email="org@example.org")
    with app.app_context():
        event = db.session.get(Event, past_day["event_id"])
        user = db.session.scalar(select(User))
        assert services.message_people(db.session, event, Audience("came"), "Thanks", "Body", user, utcnow()) == 2
        services.message_people(db.session, event, Audience("did_not_come"), "Missed", "Body", user, utcnow())
        db.session.commit()
        messages = select(OutgoingMail).where(OutgoingMail.kind == RegistrationMail.ORGANISER_MESSAGE)
        came = db.session.scalar(messages.where(OutgoingMail.registration_id == past_day["people"][0]))
        missed = db.session.scalar(messages.where(OutgoingMail.registration_id == past_day["people"][2]))
        with sending_context(app):
            came_text = compose(came).get_body(("plain",)).get_content()
            missed_text = compose(missed).get_body(("plain",)).get_content()
        assert f"/r/{past_day['tokens'][0]}/attendance.pdf" in came_text
        assert "attendance.pdf" not in missed_text
        entries = db.session.scalars(select(AuditEntry.details).where(AuditEntry.action == "message.sent")).all()
        assert [e["audience"] for e in entries] == ["came", "did_not_come"]


def test_the_page_offers_a_kind_text_for_those_who_did_not_come_and_keeps_the_preview(organiser, past_day):
    path = f"/organiser/e/{past_day['slug']}/message"
    page = organiser.get(f"{path}?audience=did_not_come", headers=EN).get_data(as_text=True)
    assert '<option selected value="did_not_come">' in page or 'value="did_not_come" selected' in page
    assert "We missed you" in page and "We are sorry we did not see you" in page
    data = {
        "csrf_token": csrf(organiser, path),
        "audience": f"type-{OrganisationType.POLICE}",
        "subject": "Chain meeting",
        "body": "For the police",
        "action": "send",
    }
    refused = organiser.post(path, data=data, headers=EN)  # no preview yet: the preview comes first
    assert refused.status_code == 200 and "This sends the message to 2 people" in refused.get_data(as_text=True)
    log = organiser.get(f"/organiser/e/{past_day['slug']}/audit", headers=EN).get_data(as_text=True)
    assert "Chain meeting" not in log
