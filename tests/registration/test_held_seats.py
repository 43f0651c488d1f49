"""Held seats must be claimed: the rule, the release, the mails, the claim (no HTTP but for the claim by link)."""

import datetime as dt
import threading

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from eventapp.events.models import Event
from eventapp.platform.db import utcnow
from eventapp.platform.extensions import db
from eventapp.platform.mail.models import OutgoingMail
from eventapp.registration import holds, mails, services
from eventapp.registration.models import Registration, RegistrationMail, RegistrationStatus
from tests.registration.helpers import check_counters, confirmed_in, day_waiting, person, sign_up, slots

HOLD = dt.timedelta(hours=48)


def fresh(registration) -> Registration:
    return db.session.get(Registration, registration.id, populate_existing=True)


@pytest.mark.usefixtures("app_context")
class TestTheRule:
    def test_a_hold_of_47h59_is_kept_and_of_48h_released(self, make_event):
        event = make_event()
        start = utcnow()
        registration = sign_up(event, 1, now=start)
        assert not holds.is_due(registration, start + HOLD - dt.timedelta(minutes=1), HOLD)
        assert holds.release_unclaimed(db.session, event, start + HOLD - dt.timedelta(minutes=1), HOLD) == []
        assert holds.is_due(fresh(registration), start + HOLD, HOLD)
        assert holds.release_unclaimed(db.session, event, start + HOLD, HOLD) == [registration.id]
        db.session.commit()
        released = fresh(registration)
        assert released.status == RegistrationStatus.WAITLISTED and released.hold_released_at == start + HOLD
        check_counters(event)

    def test_a_claimed_registration_is_kept(self, make_event):
        event = make_event()
        start = utcnow()
        registration = sign_up(event, 1, now=start)
        assert holds.claim(db.session, registration, start + dt.timedelta(hours=1))
        db.session.commit()
        assert not holds.claim(db.session, fresh(registration), start + dt.timedelta(hours=2))  # once
        assert holds.release_unclaimed(db.session, event, start + 10 * HOLD, HOLD) == []
        assert fresh(registration).status == RegistrationStatus.CONFIRMED

    def test_in_the_last_two_days_the_hold_lasts_until_the_day(self, make_event):
        event = make_event(closes_in=dt.timedelta(days=29, hours=12))
        day = holds.day_starts(event)
        late = sign_up(event, 1, now=day - dt.timedelta(days=3))  # deadline: one day before the day
        just_in_time = sign_up(event, 2, now=day - dt.timedelta(days=4, minutes=1))  # deadline 2 d 1 min before
        assert holds.hold_deadline(late, HOLD) is None
        assert holds.hold_deadline(just_in_time, HOLD) == day - dt.timedelta(days=2, minutes=1)
        assert holds.release_unclaimed(db.session, event, day - dt.timedelta(minutes=1), HOLD) == [just_in_time.id]
        db.session.commit()
        assert fresh(late).status == RegistrationStatus.CONFIRMED

    def test_never_on_the_day_or_after(self, make_event):
        event = make_event()
        registration = sign_up(event, 1, now=utcnow())
        day = holds.day_starts(event)
        for moment in (day + dt.timedelta(hours=10), event.ends_at + dt.timedelta(days=1)):
            assert not holds.is_due(registration, moment, HOLD)
            assert holds.release_unclaimed(db.session, event, moment, HOLD) == []
        event.anonymised_at = utcnow()
        assert not holds.is_due(registration, utcnow() + HOLD, HOLD)

    def test_registrations_at_the_desk_or_by_the_demo_are_claimed_at_creation(self, make_event):
        event = make_event()
        theme, pilot = slots(event)
        choices = {theme.id: theme.sessions[0].id, pilot.id: pilot.sessions[0].id}
        desk = services.register(db.session, event, person(1), choices, "desk", utcnow(), open_anyway=True)
        demo = services.register(db.session, event, person(2), choices, "demo", utcnow(), claimed=True)
        public = services.register(db.session, event, person(3), choices, "test", utcnow())
        assert desk.claimed_at is not None and demo.claimed_at is not None and public.claimed_at is None


@pytest.mark.usefixtures("app_context")
class TestTheRelease:
    def test_the_released_seats_go_to_the_first_waiting_and_both_get_a_mail(self, make_event):
        event = make_event(day_capacity=2, theme=[1, 5], pilot=[5, 5])
        themes = slots(event)[0].sessions
        start = utcnow()
        holder = sign_up(event, 1, theme=0, now=start)
        holds.claim(db.session, holder, start)  # opened the link: keeps the theme seat
        db.session.commit()
        squatter = sign_up(event, 2, theme=0, now=start)  # holds a day seat, waits for theme 0
        first_of_day, second_of_day = (sign_up(event, n, theme=0, now=start + dt.timedelta(minutes=n)) for n in (3, 4))
        assert day_waiting(event) == [first_of_day.id, second_of_day.id]
        assert holds.release_unclaimed(db.session, event, start + HOLD + dt.timedelta(minutes=5), HOLD) == [squatter.id]
        db.session.commit()
        assert fresh(first_of_day).status == RegistrationStatus.CONFIRMED  # the day seat went to the first waiting
        assert fresh(second_of_day).status == RegistrationStatus.WAITLISTED
        released = fresh(squatter)
        assert released.status == RegistrationStatus.WAITLISTED
        assert [choice.status for choice in released.choices] == [RegistrationStatus.WAITLISTED] * 2
        assert day_waiting(event)[-1] == squatter.id  # at the back, behind the person who was waiting
        assert confirmed_in(themes[0]) == {holder.id}
        kinds = {(m.registration_id, m.kind) for m in db.session.scalars(select(OutgoingMail))}
        assert (squatter.id, RegistrationMail.HOLD_RELEASED) in kinds
        assert (first_of_day.id, RegistrationMail.PROMOTED) in kinds
        check_counters(event)

    def test_a_released_session_seat_promotes_the_first_in_its_line(self, make_event):
        event = make_event(day_capacity=10, theme=[1, 5], pilot=[5, 5])
        themes = slots(event)[0].sessions
        start = utcnow()
        squatter = sign_up(event, 1, theme=0, now=start)
        waiting = sign_up(event, 2, theme=0, now=start + HOLD)  # came later: a fresh hold of their own
        holds.release_unclaimed(db.session, event, start + HOLD, HOLD)
        db.session.commit()
        assert confirmed_in(themes[0]) == {waiting.id}
        promoted = db.session.scalars(
            select(OutgoingMail).where(
                OutgoingMail.registration_id == waiting.id, OutgoingMail.kind == RegistrationMail.PROMOTED
            )
        ).all()
        assert [mail.payload.get("session_id") for mail in promoted] == [themes[0].id]
        assert fresh(squatter).status == RegistrationStatus.WAITLISTED
        check_counters(event)

    def test_twice_releases_once(self, make_event):
        event = make_event()
        start = utcnow()
        registration = sign_up(event, 1, now=start)
        assert holds.release_due(db.session, start + HOLD, HOLD) == {event.slug: 1}
        assert holds.release_due(db.session, start + 2 * HOLD, HOLD) == {}
        released_mails = [
            m for m in db.session.scalars(select(OutgoingMail)) if m.kind == RegistrationMail.HOLD_RELEASED
        ]
        assert [mail.registration_id for mail in released_mails] == [registration.id]
        check_counters(event)

    def test_an_unclaimed_released_person_is_passed_by_until_they_open_the_link(self, make_event):
        event = make_event(day_capacity=1)
        start = utcnow()
        released = sign_up(event, 1, now=start)
        holds.release_unclaimed(db.session, event, start + HOLD, HOLD)
        db.session.commit()
        # Their seat is free: the next person to register gets it, not the address that never read its mail.
        newcomer = sign_up(event, 2, now=start + HOLD + dt.timedelta(hours=1))
        assert newcomer.status == RegistrationStatus.CONFIRMED
        assert fresh(released).status == RegistrationStatus.WAITLISTED
        services.cancel(db.session, fresh(newcomer), start + HOLD + dt.timedelta(hours=2))
        db.session.commit()
        assert fresh(released).status == RegistrationStatus.WAITLISTED  # still not admitted: never claimed
        assert holds.claim(db.session, fresh(released), start + HOLD + dt.timedelta(hours=3))
        db.session.commit()
        back = fresh(released)
        assert back.status == RegistrationStatus.CONFIRMED and back.held_since == start + HOLD + dt.timedelta(hours=3)
        check_counters(event)

    def test_the_release_mail_tells_how_to_get_back(self, app, make_event):
        event = make_event()
        start = utcnow()
        registration = sign_up(event, 1, now=start, language="nl")
        holds.release_unclaimed(db.session, event, start + HOLD, HOLD)
        db.session.commit()
        mail = db.session.scalar(select(OutgoingMail).where(OutgoingMail.kind == RegistrationMail.HOLD_RELEASED))
        with app.test_request_context(), force_locale(mail.language):
            parts = mails.registration_parts(mail)
        assert registration.manage_token in parts.text
        assert "48 uur" in parts.text and "wachtlijst" in parts.text


@pytest.mark.usefixtures("app_context")
class TestTheConfirmationMail:
    def parts(self, app, registration):
        mail = db.session.scalar(
            select(OutgoingMail).where(
                OutgoingMail.registration_id == registration.id, OutgoingMail.kind == RegistrationMail.CONFIRMED
            )
        )
        with app.test_request_context(), force_locale(mail.language):
            return mails.registration_parts(mail)

    def test_it_says_to_open_the_page_within_the_hours(self, app, make_event):
        event = make_event()
        english = sign_up(event, 1, now=utcnow())
        dutch = sign_up(event, 2, now=utcnow(), language="nl")
        assert "Open your personal page within 48 hours to keep your seat." in self.parts(app, english).text
        assert "Open your personal page within 48 hours to keep your seat." in self.parts(app, english).html
        assert "Open uw persoonlijke pagina binnen 48 uur om uw plaats te houden." in self.parts(app, dutch).text

    def test_not_where_it_does_not_apply(self, app, make_event):
        event = make_event(closes_in=dt.timedelta(days=29, hours=12))
        late = sign_up(event, 1, now=holds.day_starts(event) - dt.timedelta(days=3))
        claimed = sign_up(event, 2, now=utcnow())
        holds.claim(db.session, claimed, utcnow())
        db.session.commit()
        for registration in (late, fresh(claimed)):
            assert "within 48 hours" not in self.parts(app, registration).text


def test_opening_the_personal_link_claims_the_seat(app, client, make_event):
    with app.app_context():
        event = make_event()
        registration = sign_up(event, 1, now=utcnow())
        token, registration_id = registration.manage_token, registration.id
    assert client.get(f"/r/{token}").status_code == 200
    with app.app_context():
        assert db.session.get(Registration, registration_id).claimed_at is not None


def test_a_released_person_who_opens_the_link_is_back_in_line(app, client, make_event):
    with app.app_context():
        event = make_event(day_capacity=1, opens_in=-3 * HOLD)
        start = utcnow() - HOLD
        registration = sign_up(event, 1, now=start)
        assert holds.release_unclaimed(db.session, event, utcnow(), HOLD) == [registration.id]
        db.session.commit()
        token, registration_id = registration.manage_token, registration.id
        assert db.session.get(Event, event.id).seats_taken == 0
    assert client.get(f"/r/{token}").status_code == 200
    with app.app_context():
        assert db.session.get(Registration, registration_id).status == RegistrationStatus.CONFIRMED


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_the_release_and_concurrent_registrations_never_overbook(app, backend, make_event):
    """On PostgreSQL: the release of 10 unclaimed holds races 12 registrations and 5 claims, twenty rounds."""
    for _round in range(20):
        with app.app_context():
            event = make_event(day_capacity=10, theme=[40, 40], pilot=[40, 40], opens_in=-3 * HOLD)
            start = utcnow() - HOLD
            holders = [sign_up(event, n, now=start) for n in range(10)]
            waiting = [sign_up(event, 100 + n, now=start) for n in range(3)]  # the day is full: they wait
            assert all(h.status == RegistrationStatus.CONFIRMED for h in holders)
            assert all(w.status == RegistrationStatus.WAITLISTED for w in waiting)
            event_id, holder_ids = event.id, [h.id for h in holders]
        assert race(app, event_id, holder_ids) == []
        with app.app_context():
            event = db.session.get(Event, event_id)
            check_counters(event)
            assert event.seats_taken == event.capacity == 10  # every freed seat went to someone waiting
            for registration in db.session.scalars(select(Registration).where(Registration.event_id == event_id)):
                if registration.id in holder_ids and registration.claimed_at is None:
                    assert registration.status == RegistrationStatus.WAITLISTED  # an unclaimed holder was released


def race(app, event_id: int, holder_ids: list[int]) -> list[Exception]:
    """The release, 12 newcomers and claims of 5 holders, released together in threads; returns what failed."""

    def release():
        holds.release_unclaimed(db.session, db.session.get(Event, event_id), utcnow(), HOLD)

    def newcomer(n):
        return lambda: sign_up(db.session.get(Event, event_id), 200 + n, now=utcnow())

    def claimer(registration_id):
        return lambda: holds.claim(db.session, db.session.get(Registration, registration_id), utcnow())

    work = [release, *(newcomer(n) for n in range(12)), *(claimer(i) for i in holder_ids[:5])]
    barrier, errors = threading.Barrier(len(work)), []

    def run(item):
        with app.app_context():
            try:
                barrier.wait(timeout=30)
                item()
                db.session.commit()
            except Exception as error:  # noqa: BLE001 - every failure is reported to the test
                errors.append(error)
                db.session.rollback()

    threads = [threading.Thread(target=run, args=(item,)) for item in work]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return errors


def test_the_dashboard_counts_the_unclaimed_holds(app, client, make_event, make_user, login):
    with app.app_context():
        event = make_event(closes_in=dt.timedelta(days=29, hours=12))
        slug = event.slug
        sign_up(event, 1, now=utcnow() - dt.timedelta(hours=1))  # released in 47 hours
        sign_up(event, 2, now=utcnow())
        sign_up(event, 3, now=holds.day_starts(event) - dt.timedelta(days=3))  # held until the day
        claimed = sign_up(event, 4, now=utcnow())
        holds.claim(db.session, claimed, utcnow())
        db.session.commit()
    login(*make_user("organiser"))
    page = client.get(f"/organiser/e/{slug}/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Unclaimed holds: 3 seats of people who have not opened their personal link yet." in page
    assert "The next goes to the waitlist in 47 hours." in page and "1 is held until the day." in page
    dutch = client.get(f"/organiser/e/{slug}/", headers={"Accept-Language": "nl"}).get_data(as_text=True)
    assert "Niet opgeëiste plaatsen: 3 plaatsen" in dutch and "over 47 uur naar de wachtlijst" in dutch


@pytest.mark.usefixtures("app_context")
def test_someone_the_organiser_admits_by_hand_keeps_the_seat(make_event):
    from eventapp.registration import waitlists

    event = make_event(day_capacity=1)
    start = utcnow()
    sign_up(event, 1, now=start)
    waiting = sign_up(event, 2, now=start)
    waitlists.admit_to_day(db.session, waiting, start + dt.timedelta(hours=1))
    db.session.commit()
    assert fresh(waiting).claimed_at is not None
    released = holds.release_unclaimed(db.session, event, start + 3 * HOLD, HOLD)
    assert waiting.id not in released and len(released) == 1
