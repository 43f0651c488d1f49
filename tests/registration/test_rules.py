"""The registration rules, called directly (no HTTP)."""

import datetime as dt

import pytest

from eventapp.events import seats
from eventapp.events.models import AgendaItem, Session
from eventapp.events.seats import CapacityBelowSeatsTaken
from eventapp.platform.db import utcnow
from eventapp.platform.extensions import db
from eventapp.registration import attempts, queries, services, waitlists
from eventapp.registration.models import RegistrationMail, RegistrationStatus
from tests.registration.helpers import (
    check_counters,
    choice_in,
    confirmed_in,
    day_waiting,
    mails,
    person,
    sign_up,
    slots,
    waiting_for,
)

pytestmark = pytest.mark.usefixtures("app_context")


def sessions_of(event):
    theme, pilot = slots(event)
    return theme.sessions, pilot.sessions


def test_registering_takes_a_day_seat_and_a_seat_per_slot(make_event):
    event = make_event(day_capacity=5, theme=[2, 2], pilot=[2, 2])
    registration = sign_up(event, 1, theme=1, pilot=0)
    themes, pilots = sessions_of(event)
    assert registration.status == RegistrationStatus.CONFIRMED
    assert confirmed_in(themes[1]) == {registration.id}
    assert confirmed_in(pilots[0]) == {registration.id}
    assert [mail.kind for mail in mails(registration=registration)] == [RegistrationMail.CONFIRMED]
    check_counters(event)


def test_tokens_are_long_random_and_distinct(make_event):
    event = make_event()
    first, second = sign_up(event, 1), sign_up(event, 2)
    for registration in (first, second):
        assert len(registration.manage_token) >= 43  # 32 random bytes, base64: 256 bits
        assert registration.manage_token != registration.ticket_code
    assert len({first.manage_token, first.ticket_code, second.manage_token, second.ticket_code}) == 4


def test_a_full_session_puts_the_person_in_its_line(make_event):
    event = make_event(theme=[1, 5], pilot=[5, 5])
    themes, _ = sessions_of(event)
    first, second, third = (sign_up(event, n, theme=0) for n in (1, 2, 3))
    assert confirmed_in(themes[0]) == {first.id}
    assert waiting_for(themes[0]) == [second.id, third.id]
    assert second.status == RegistrationStatus.CONFIRMED  # the day seat is theirs regardless
    assert waitlists.place_in_line(db.session, choice_in(third, themes[0])) == 2
    check_counters(event)


def test_a_full_day_puts_the_person_on_the_days_waitlist(make_event):
    event = make_event(day_capacity=1)
    sign_up(event, 1)
    waiting = sign_up(event, 2)
    assert waiting.status == RegistrationStatus.WAITLISTED
    assert all(choice.status == RegistrationStatus.WAITLISTED for choice in waiting.choices)
    assert waitlists.day_place_in_line(db.session, waiting) == 1
    assert [mail.kind for mail in mails(registration=waiting)] == [RegistrationMail.WAITLISTED]
    check_counters(event)


@pytest.mark.parametrize(
    ("opens_in", "closes_in"),
    [(dt.timedelta(days=1), dt.timedelta(days=5)), (dt.timedelta(days=-5), dt.timedelta(days=-1))],
    ids=["not-yet-open", "closed"],
)
def test_outside_the_window_people_join_the_days_waitlist(make_event, opens_in, closes_in):
    event = make_event(opens_in=opens_in, closes_in=closes_in)
    registration = sign_up(event, 1)
    assert registration.status == RegistrationStatus.WAITLISTED
    assert event.seats_taken == 0


def test_people_waiting_before_opening_are_served_first(make_event):
    event = make_event(day_capacity=2, opens_in=dt.timedelta(hours=1))
    early = sign_up(event, 1)
    opening = utcnow() + dt.timedelta(hours=2)
    on_time = sign_up(event, 2, now=opening)
    late = sign_up(event, 3, now=opening)
    db.session.expire_all()
    assert (early.status, on_time.status, late.status) == (
        RegistrationStatus.CONFIRMED,
        RegistrationStatus.CONFIRMED,
        RegistrationStatus.WAITLISTED,
    )
    check_counters(event)


def test_the_same_address_cannot_register_twice(make_event):
    event = make_event()
    first = sign_up(event, 1)
    with pytest.raises(services.AlreadyRegistered) as raised:
        sign_up(event, 99, email="  PERSON1@Example.ORG ")
    assert raised.value.registration.id == first.id
    db.session.rollback()
    check_counters(event)


def test_a_cancelled_address_can_register_again(make_event):
    event = make_event()
    first = sign_up(event, 1)
    services.cancel(db.session, first, utcnow())
    db.session.commit()
    old_link, old_code = first.manage_token, first.ticket_code
    again = sign_up(event, 1, theme=1)
    assert again.id != first.id and again.status == RegistrationStatus.CONFIRMED
    # New secrets; the cancelled row keeps its ticket (it scans as cancelled) and loses its link.
    assert {again.manage_token, again.ticket_code}.isdisjoint({old_link, old_code})
    db.session.refresh(first)
    assert (
        first.status == RegistrationStatus.CANCELLED
        and first.ticket_code == old_code
        and first.manage_token != old_link
    )
    check_counters(event)


def test_the_manage_link_is_mailed_a_few_times_an_hour_at_most(make_event):
    event = make_event()
    registration = sign_up(event, 1)
    now = utcnow()
    sent = [attempts.send_manage_link(db.session, registration, now) is not None for _ in range(5)]
    assert sent == [True, True, True, False, False]
    assert attempts.send_manage_link(db.session, registration, now + dt.timedelta(hours=2))


def test_choices_must_be_one_session_of_this_event_per_slot(make_event):
    event, other = make_event(), make_event()
    theme, pilot = slots(event)
    other_theme, _ = slots(other)
    bad = [
        {theme.id: theme.sessions[0].id},  # a slot missing
        {theme.id: pilot.sessions[0].id, pilot.id: pilot.sessions[0].id},  # wrong slot
        {theme.id: other_theme.sessions[0].id, pilot.id: pilot.sessions[0].id},  # another event
        {theme.id: theme.sessions[0].id, pilot.id: pilot.sessions[0].id, other_theme.id: other_theme.sessions[0].id},
    ]
    for session_ids in bad:
        with pytest.raises(services.InvalidChoices):
            services.register(db.session, event, person(1), session_ids, "test", utcnow())
        db.session.rollback()


def test_cancelling_gives_the_seat_to_the_first_in_line(make_event):
    event = make_event(theme=[1, 5])
    themes, _ = sessions_of(event)
    holder, first, second = (sign_up(event, n) for n in (1, 2, 3))
    services.cancel(db.session, holder, utcnow())
    db.session.commit()
    assert holder.status == RegistrationStatus.CANCELLED and holder.choices == []
    assert confirmed_in(themes[0]) == {first.id}
    assert waiting_for(themes[0]) == [second.id]
    assert [mail.kind for mail in mails(registration=first)][-1] == RegistrationMail.PROMOTED
    assert mails(RegistrationMail.CANCELLED, holder)
    check_counters(event)


def test_cancelling_a_day_seat_admits_the_first_on_the_days_waitlist(make_event):
    event = make_event(day_capacity=2, theme=[1, 5])
    themes, _ = sessions_of(event)
    holder, other = sign_up(event, 1), sign_up(event, 2, theme=1)
    first, second = sign_up(event, 3), sign_up(event, 4)
    services.cancel(db.session, holder, utcnow())
    db.session.commit()
    assert (first.status, second.status) == (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED)
    assert confirmed_in(themes[0]) == {first.id}  # the seat holder's seat went with the day seat
    assert day_waiting(event) == [second.id]
    assert mails(RegistrationMail.PROMOTED, first)
    assert other.status == RegistrationStatus.CONFIRMED
    check_counters(event)


def test_cancelling_twice_changes_nothing(make_event):
    event = make_event()
    registration = sign_up(event, 1)
    services.cancel(db.session, registration, utcnow())
    services.cancel(db.session, registration, utcnow())
    db.session.commit()
    assert len(mails(RegistrationMail.CANCELLED, registration)) == 1
    with pytest.raises(services.RegistrationCancelled):
        services.change_session(db.session, registration, slots(event)[0].sessions[1].id, utcnow())
    check_counters(event)


def test_swapping_to_a_free_seat_hands_the_old_one_on(make_event):
    event = make_event(theme=[1, 1, 5])
    themes, _ = sessions_of(event)
    mover, waiter = sign_up(event, 1, theme=0), sign_up(event, 2, theme=0)
    result = services.change_session(db.session, mover, themes[2].id, utcnow())
    db.session.commit()
    assert result.outcome == "confirmed"
    assert confirmed_in(themes[2]) == {mover.id}
    assert confirmed_in(themes[0]) == {waiter.id}
    assert mails(RegistrationMail.CHOICE_CHANGED, mover) and mails(RegistrationMail.PROMOTED, waiter)
    check_counters(event)


def test_swapping_to_a_full_session_never_loses_the_seat(make_event):
    event = make_event(theme=[1, 1])
    themes, _ = sessions_of(event)
    mover, _holder = sign_up(event, 1, theme=0), sign_up(event, 2, theme=1)
    with pytest.raises(services.SessionFull):
        services.change_session(db.session, mover, themes[1].id, utcnow())
    db.session.rollback()
    assert confirmed_in(themes[0]) == {mover.id}

    result = services.change_session(db.session, mover, themes[1].id, utcnow(), join_waitlist=True)
    db.session.commit()
    assert (result.outcome, result.place_in_line) == ("waitlisted", 1)
    assert confirmed_in(themes[0]) == {mover.id}
    assert waiting_for(themes[1]) == [mover.id]
    check_counters(event)


def test_promotion_into_the_wished_session_frees_the_old_seat_in_turn(make_event):
    event = make_event(theme=[1, 1])
    themes, _ = sessions_of(event)
    mover, holder = sign_up(event, 1, theme=0), sign_up(event, 2, theme=1)
    services.change_session(db.session, mover, themes[1].id, utcnow(), join_waitlist=True)
    db.session.commit()
    newcomer = sign_up(event, 3, theme=0)  # waits for the seat mover holds
    services.cancel(db.session, holder, utcnow())
    db.session.commit()
    assert confirmed_in(themes[1]) == {mover.id}
    assert confirmed_in(themes[0]) == {newcomer.id}
    assert waiting_for(themes[0]) == waiting_for(themes[1]) == []
    check_counters(event)


def test_choosing_the_held_session_again_leaves_the_waitlist(make_event):
    event = make_event(theme=[1, 1])
    themes, _ = sessions_of(event)
    mover, _holder = sign_up(event, 1, theme=0), sign_up(event, 2, theme=1)
    services.change_session(db.session, mover, themes[1].id, utcnow(), join_waitlist=True)
    result = services.change_session(db.session, mover, themes[0].id, utcnow())
    db.session.commit()
    assert result.outcome == "unchanged"
    assert waiting_for(themes[1]) == []
    assert confirmed_in(themes[0]) == {mover.id}


def test_a_session_of_another_slot_or_event_cannot_be_chosen(make_event):
    event, other = make_event(), make_event()
    registration = sign_up(event, 1)
    with pytest.raises(services.InvalidChoices):
        services.change_session(db.session, registration, slots(other)[0].sessions[0].id, utcnow())


def test_someone_on_the_days_waitlist_changes_their_wish_only(make_event):
    event = make_event(day_capacity=1)
    themes, _ = sessions_of(event)
    sign_up(event, 1)
    waiting = sign_up(event, 2, theme=0)
    result = services.change_session(db.session, waiting, themes[1].id, utcnow())
    db.session.commit()
    assert result.outcome == "waitlisted"
    assert choice_in(waiting, themes[1], RegistrationStatus.WAITLISTED) is not None
    check_counters(event)


def test_someone_on_the_days_waitlist_wishes_for_a_part_added_after_they_registered(make_event):
    """No wish yet in a new part of the day: choosing its session becomes the wish (it raised AttributeError)."""
    event = make_event(day_capacity=1)
    sign_up(event, 1)
    waiting = sign_up(event, 2)
    added = AgendaItem(
        starts_at=dt.time(16, 30), ends_at=dt.time(17), kind="choice", title_nl="Extra", title_en="Extra"
    )
    added.sessions.append(Session(title_nl="Extra 0", title_en="Extra 0", room="Room 9", capacity=2))
    event.agenda_items.append(added)
    db.session.commit()
    result = services.change_session(db.session, waiting, added.sessions[0].id, utcnow())
    db.session.commit()
    assert result.outcome == "waitlisted"
    assert choice_in(waiting, added.sessions[0], RegistrationStatus.WAITLISTED) is not None
    check_counters(event)


def test_raising_a_session_capacity_promotes_in_order(make_event):
    event = make_event(theme=[1, 5])
    themes, _ = sessions_of(event)
    people = [sign_up(event, n) for n in range(1, 5)]
    seats.change_capacity(db.session, themes[0], 3, utcnow())
    db.session.commit()
    assert confirmed_in(themes[0]) == {people[0].id, people[1].id, people[2].id}
    assert waiting_for(themes[0]) == [people[3].id]
    check_counters(event)


def test_lowering_a_capacity_below_the_seats_taken_is_refused(make_event):
    event = make_event(day_capacity=3, theme=[3, 5])
    themes, _ = sessions_of(event)
    sign_up(event, 1), sign_up(event, 2)
    with pytest.raises(CapacityBelowSeatsTaken) as raised:
        seats.change_capacity(db.session, themes[0], 1, utcnow())
    assert raised.value.seats_taken == 2
    db.session.rollback()
    with pytest.raises(CapacityBelowSeatsTaken):
        seats.change_capacity(db.session, event, 1, utcnow())
    db.session.rollback()
    seats.change_capacity(db.session, themes[0], 2, utcnow())
    db.session.commit()
    assert themes[0].capacity == 2
    check_counters(event)


def test_raising_the_day_capacity_admits_people_waiting(make_event):
    event = make_event(day_capacity=1)
    sign_up(event, 1)
    waiting = [sign_up(event, n) for n in (2, 3, 4)]
    seats.change_capacity(db.session, event, 3, utcnow())
    db.session.commit()
    assert [registration.status for registration in waiting] == [
        RegistrationStatus.CONFIRMED,
        RegistrationStatus.CONFIRMED,
        RegistrationStatus.WAITLISTED,
    ]
    check_counters(event)


def test_overview_tells_seat_and_place_in_line(make_event):
    event = make_event(theme=[1, 1])
    themes, _ = sessions_of(event)
    mover, _holder = sign_up(event, 1, theme=0), sign_up(event, 2, theme=1)
    services.change_session(db.session, mover, themes[1].id, utcnow(), join_waitlist=True)
    db.session.commit()
    theme_row, pilot_row = queries.registration_overview(db.session, mover)
    assert (theme_row.seat, theme_row.waiting_for, theme_row.place_in_line) == (themes[0], themes[1], 1)
    assert pilot_row.seat is not None and pilot_row.waiting_for is None
