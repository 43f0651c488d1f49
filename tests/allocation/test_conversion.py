"""A seated first-come day switched to preferences: held sessions become first choices, the seats go back for the
allocation, each person is mailed once; back to first come is refused until the allocation."""

import datetime as dt

import pytest
from sqlalchemy import func, select

from eventapp.allocation import services
from eventapp.events.seats import release_seat
from eventapp.events.services import choice_slots
from eventapp.platform.db import utcnow
from eventapp.platform.extensions import db
from eventapp.platform.mail.kinds import compose
from eventapp.platform.mail.models import OutgoingMail
from eventapp.platform.mail.sender import sending_context
from eventapp.registration import preferences
from eventapp.registration import services as registration_services
from eventapp.registration.models import Choice, RegistrationMail, RegistrationStatus
from tests.registration.helpers import sign_up

IN_TWO_DAYS = dt.timedelta(days=2)


def seated_day(make_event):
    """Five people with the day's seats and one on the day's waitlist, holding seats, lines, a ranking, a release."""
    event = make_event(day_capacity=5, theme=(1, 3), pilot=(3, 3))
    theme, pilot = choice_slots(event)
    t0, t1 = theme.sessions
    p0, p1 = pilot.sessions
    people = {
        "seated": sign_up(event, 1, theme=0, pilot=0),
        "waits_without_seat": sign_up(event, 2, theme=0, pilot=1),  # Theme 0 is full: in its line
        "waits_with_seat": sign_up(event, 3, theme=1, pilot=1),
        "ranked_before": sign_up(event, 4, theme=1, pilot=0),
        "released": sign_up(event, 5, theme=1, pilot=0),
        "day_waitlist": sign_up(event, 6, theme=1, pilot=1),  # the day is full: wishes, no seats
    }
    registration_services.change_session(db.session, people["waits_with_seat"], t0.id, utcnow(), join_waitlist=True)
    earlier = {theme.id: [t0.id, t1.id], pilot.id: [p1.id]}  # a ranking of an earlier round
    preferences.store_ranking(db.session, people["ranked_before"], earlier, utcnow())
    pilot_seat = next(c for c in people["released"].choices if c.agenda_item_id == pilot.id)
    pilot_seat.status = RegistrationStatus.RELEASED  # not come on the day: the seat went to the door
    release_seat(db.session, p0.id)
    db.session.commit()
    return event, people, (theme, pilot, t0, t1, p0, p1)


@pytest.mark.both_databases
def test_seats_and_lines_become_ranks_the_seats_go_back_and_day_seats_stay(backend, app_context, make_event):
    event, people, (theme, pilot, t0, t1, p0, p1) = seated_day(make_event)
    assert [s.seats_taken for s in (t0, t1, p0, p1)] == [1, 3, 2, 2]
    sequences = {name: person.calendar_sequence for name, person in people.items()}

    converted = services.switch_mode(db.session, event, "preferences", utcnow() + IN_TWO_DAYS, utcnow())
    db.session.commit()

    assert sorted(person.id for person in converted) == sorted(person.id for person in people.values())
    ranking = {name: preferences.ranking_of(db.session, person) for name, person in people.items()}
    assert ranking["seated"] == {theme.id: [t0.id], pilot.id: [p0.id]}
    assert ranking["waits_without_seat"] == {theme.id: [t0.id], pilot.id: [p1.id]}
    assert ranking["waits_with_seat"] == {theme.id: [t1.id, t0.id], pilot.id: [p1.id]}  # the seat first
    assert ranking["ranked_before"] == {theme.id: [t0.id, t1.id], pilot.id: [p1.id]}  # kept as it was
    assert ranking["released"] == {theme.id: [t1.id]}  # the released seat is dropped
    assert ranking["day_waitlist"] == {theme.id: [t1.id], pilot.id: [p1.id]}
    assert db.session.scalar(select(func.count()).select_from(Choice)) == 0
    for session in (t0, t1, p0, p1):
        db.session.refresh(session)
    assert [s.seats_taken for s in (t0, t1, p0, p1)] == [0, 0, 0, 0]
    db.session.refresh(event)
    assert event.seats_taken == 5 and event.collects_preferences
    assert [person.status for person in people.values()] == [RegistrationStatus.CONFIRMED] * 5 + [
        RegistrationStatus.WAITLISTED
    ]
    assert all(person.calendar_sequence == sequences[name] + 1 for name, person in people.items())
    told = db.session.scalars(select(OutgoingMail).where(OutgoingMail.payload["ranking_round"].as_boolean())).all()
    assert sorted(mail.registration_id for mail in told) == sorted(person.id for person in people.values())
    assert {mail.kind for mail in told} == {RegistrationMail.CHOICE_CHANGED}

    figures = services.plan(db.session, event, seed=1).figures()  # the allocation has every seat to hand out
    # Five want the theme's four seats; four want a pilot (the released pilot seat is nobody's choice now).
    assert (figures["people"], figures["assigned"], figures["unassigned"]) == (5, 8, 1)


@pytest.mark.both_databases
def test_back_to_first_come_is_refused_until_the_allocation(backend, app_context, make_event):
    event, people, _sessions = seated_day(make_event)
    services.switch_mode(db.session, event, "preferences", utcnow() + IN_TWO_DAYS, utcnow())
    db.session.commit()
    with pytest.raises(services.SwitchBackRefused):
        services.switch_mode(db.session, event, "first-come", None, utcnow())
    db.session.rollback()
    # A new deadline in the same round converts nobody again.
    assert services.switch_mode(db.session, event, "preferences", utcnow() + 2 * IN_TWO_DAYS, utcnow()) == []
    services.run(db.session, event, seed=2, now=utcnow())
    db.session.commit()
    assert services.switch_mode(db.session, event, "first-come", None, utcnow()) == []
    db.session.commit()
    seats = db.session.scalar(select(func.count()).select_from(Choice).where(Choice.status == "confirmed"))
    assert seats == 8  # the allocation's seats stay under first come


def test_a_day_without_seats_switches_without_converting_anyone(app_context, make_event):
    event = make_event()
    assert services.switch_mode(db.session, event, "preferences", utcnow() + IN_TWO_DAYS, utcnow()) == []
    assert services.switch_mode(db.session, event, "first-come", None, utcnow()) == []  # nobody ranked


def test_each_person_is_told_once_with_their_ranking_and_an_updated_invitation(app, make_event):
    with app.app_context():
        event, people, _sessions = seated_day(make_event)
        services.switch_mode(db.session, event, "preferences", utcnow() + IN_TWO_DAYS, utcnow())
        db.session.commit()
        waiting_id = people["waits_with_seat"].id
        sequence = people["waits_with_seat"].calendar_sequence
    with sending_context(app):
        mails = db.session.scalars(select(OutgoingMail).where(OutgoingMail.registration_id == waiting_id)).all()
        told = [mail for mail in mails if mail.payload.get("ranking_round")]
        assert len(told) == 1
        message = compose(told[0])
    text = message.get_body(("plain",)).get_content()
    assert "The sessions you had are your first choices now" in text
    assert "Your ranking" in text and "Theme: 1. Theme 1; 2. Theme 0" in text
    assert "/r/" in text  # the personal page, to change the ranking
    parts = [part.get_content() for part in message.walk() if part.get_content_type() == "text/calendar"]
    calendars = {part.replace("\r\n", "\n") for part in parts}
    assert len(calendars) == 1  # inline and attached, the same invitation
    calendar = calendars.pop()
    assert calendar.count("BEGIN:VEVENT") == 1 and "METHOD:REQUEST" in calendar
    assert f"SEQUENCE:{sequence}" in calendar and "Your sessions are allocated on" in calendar


def test_the_command_converts_at_once_and_says_how_many(app, runner, make_event):
    with app.app_context():
        event, people, (theme, pilot, t0, _t1, p0, _p1) = seated_day(make_event)
        slug, seated = event.slug, people["seated"].id
        expected = {theme.id: [t0.id], pilot.id: [p0.id]}
    answer = runner.invoke(args=["allocation-mode", slug, "preferences", "--deadline", "2099-01-01T12:00"])
    assert answer.exit_code == 0, answer.output
    assert answer.output == (
        f"{slug}: preferences until 2099-01-01T12:00:00+00:00\n"
        "6 people's session seats became their first choices; each was mailed\n"
    )
    with app.app_context():
        registration = db.session.get(type(people["seated"]), seated)
        assert preferences.ranking_of(db.session, registration) == expected
        assert db.session.scalar(select(func.count()).select_from(Choice)) == 0
    refused = runner.invoke(args=["allocation-mode", slug, "first-come"])
    assert refused.exit_code != 0 and "allocate the seats instead" in refused.output


def test_the_mail_speaks_the_persons_language(app, make_event):
    with app.app_context():
        event = make_event()
        dutch = sign_up(event, 1, language="nl").id
        services.switch_mode(db.session, event, "preferences", utcnow() + IN_TWO_DAYS, utcnow())
        db.session.commit()
    with sending_context(app):
        mail = db.session.scalar(select(OutgoingMail).where(OutgoingMail.payload["ranking_round"].as_boolean()))
        assert mail.registration_id == dutch
        text = compose(mail).get_body(("plain",)).get_content()
    assert "De sessies die u had, zijn nu uw eerste keuzes." in text and "Uw voorkeuren" in text
