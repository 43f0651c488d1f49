"""Second choices in first-come mode (fallbacks.py): a full first choice seats the person in their second."""

import email
import email.policy

import pytest
from sqlalchemy import select

from eventapp.events.models import Session
from eventapp.platform.db import utcnow
from eventapp.platform.extensions import db
from eventapp.platform.mail.models import OutgoingMail
from eventapp.platform.mail.sender import built_message, sending_context
from eventapp.registration import services
from eventapp.registration.fallbacks import second_choices
from eventapp.registration.models import Registration, RegistrationMail, RegistrationStatus
from tests.registration.helpers import check_counters, choice_in, confirmed_in, mails, person, slots, waiting_for
from tests.registration.test_pages import csrf_token, form_data, session_ids, slot_ids

EN = {"Accept-Language": "en"}


def sign_up_with_second(event, number: int, first: int, second: int | None, **kwargs):
    """Person `number`: theme session `first`, fallback `second` (positions), the first pilot session."""
    theme, pilot = slots(event)
    registration = services.register(
        db.session,
        event,
        person(number),
        {theme.id: theme.sessions[first].id, pilot.id: pilot.sessions[0].id},
        "test",
        utcnow(),
        second_ids={theme.id: theme.sessions[second].id if second is not None else None, pilot.id: None},
        **kwargs,
    )
    db.session.commit()
    return registration


@pytest.mark.usefixtures("app_context")
class TestRules:
    def test_a_full_first_choice_seats_the_person_in_the_second_and_queues_them_for_the_first(self, app, make_event):
        event = make_event(day_capacity=10, theme=[1, 2], pilot=[5, 5])
        first, second = slots(event)[0].sessions
        early = sign_up_with_second(event, 1, 0, 1)
        late = sign_up_with_second(event, 2, 0, 1)
        assert confirmed_in(first) == {early.id} and confirmed_in(second) == {late.id}
        assert waiting_for(first) == [late.id]
        mail = mails(RegistrationMail.CONFIRMED, late)[0]
        assert mail.payload["second_choices"] == [[first.id, second.id]]
        assert "second_choices" not in mails(RegistrationMail.CONFIRMED, early)[0].payload
        with sending_context(app):
            raw = built_message(db.session.get(OutgoingMail, mail.id)).as_bytes()
        text = email.message_from_bytes(raw, policy=email.policy.default).get_body(("plain",)).get_content()
        assert "you have a seat in your second choice" in text
        check_counters(event)

    def test_a_seat_in_the_first_choice_frees_the_second_for_the_next(self, make_event):
        event = make_event(day_capacity=10, theme=[1, 1], pilot=[5, 5])
        first, second = slots(event)[0].sessions
        early = sign_up_with_second(event, 1, 0, 1)
        late = sign_up_with_second(event, 2, 0, 1)
        services.cancel(db.session, early, utcnow())
        db.session.commit()
        assert confirmed_in(first) == {late.id} and confirmed_in(second) == set()
        assert choice_in(late, second) is None
        check_counters(event)

    def test_a_full_second_choice_leaves_the_place_in_line_only(self, make_event):
        event = make_event(day_capacity=10, theme=[1, 1], pilot=[5, 5])
        first, second = slots(event)[0].sessions
        sign_up_with_second(event, 1, 0, None)
        sign_up_with_second(event, 2, 1, None)
        third = sign_up_with_second(event, 3, 0, 1)
        assert waiting_for(first) == [third.id] and third.id not in confirmed_in(second)
        assert "second_choices" not in mails(RegistrationMail.CONFIRMED, third)[0].payload
        check_counters(event)

    def test_someone_admitted_from_the_days_waitlist_gets_their_second_choice(self, make_event):
        event = make_event(day_capacity=2, theme=[1, 2], pilot=[5, 5])
        first, second = slots(event)[0].sessions
        sign_up_with_second(event, 1, 0, None)
        leaving = sign_up_with_second(event, 2, 1, None)
        waiting = sign_up_with_second(event, 3, 0, 1)
        assert waiting.status == RegistrationStatus.WAITLISTED
        services.cancel(db.session, leaving, utcnow())
        db.session.commit()
        db.session.refresh(waiting)
        assert waiting.status == RegistrationStatus.CONFIRMED
        assert waiting.id in confirmed_in(second) and waiting_for(first) == [waiting.id]
        check_counters(event)

    def test_choosing_a_session_oneself_forgets_the_second_choice(self, make_event):
        event = make_event(day_capacity=10, theme=[1, 2], pilot=[5, 5])
        first, second = slots(event)[0].sessions
        registration = sign_up_with_second(event, 1, 0, 1)
        services.change_session(db.session, registration, second.id, utcnow())
        db.session.commit()
        assert second_choices(db.session, registration) == {}

    @pytest.mark.parametrize("which", ["same as the first", "of another part"])
    def test_a_second_choice_that_is_no_fallback_is_refused(self, make_event, which):
        event = make_event(day_capacity=10, theme=[1, 2], pilot=[5, 5])
        theme, pilot = slots(event)
        second = theme.sessions[0].id if which == "same as the first" else pilot.sessions[1].id
        with pytest.raises(services.InvalidChoices):
            services.register(
                db.session,
                event,
                person(1),
                {theme.id: theme.sessions[0].id, pilot.id: pilot.sessions[0].id},
                "test",
                utcnow(),
                second_ids={theme.id: second},
            )


def test_the_form_offers_a_second_choice_and_says_where_the_person_sits(app, client, demo_slug):
    slots_of, sessions = slot_ids(app), session_ids(app)
    page = client.get(f"/e/{demo_slug}/register", headers=EN).get_data(as_text=True)
    theme = slots_of["Prevention"]
    assert f'name="choice_{theme}"' in page and f'name="second_{theme}"' in page
    with app.app_context():
        db.session.get(Session, sessions["Prevention"]).capacity = 0
        db.session.commit()
    data = form_data(app, csrf_token(page), **{f"second_{theme}": str(sessions["Repression"])})
    assert client.post(f"/e/{demo_slug}/register", data=data, headers=EN).status_code == 302
    with app.app_context():
        mail = db.session.scalar(select(OutgoingMail).order_by(OutgoingMail.id.desc()))
        registration = db.session.get(Registration, mail.registration_id)
        assert confirmed_in(db.session.get(Session, sessions["Repression"])) >= {registration.id}
        token = registration.manage_token
    personal = client.get(f"/r/{token}", headers=EN).get_data(as_text=True)
    assert "Repression" in personal and "Waiting for Prevention" in personal


def test_the_same_session_twice_is_refused_on_the_form(app, client, demo_slug):
    slots_of, sessions = slot_ids(app), session_ids(app)
    page = client.get(f"/e/{demo_slug}/register", headers=EN).get_data(as_text=True)
    data = form_data(app, csrf_token(page), **{f"second_{slots_of['Prevention']}": str(sessions["Prevention"])})
    answer = client.post(f"/e/{demo_slug}/register", data=data, headers=EN)
    assert answer.status_code == 422 and "This is your first choice already." in answer.get_data(as_text=True)
