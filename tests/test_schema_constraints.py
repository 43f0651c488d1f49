"""The database itself refuses data that breaks the model's rules."""

import datetime as dt
import secrets

import pytest
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from eventapp.events.models import AgendaItem, Session
from eventapp.platform.extensions import db
from eventapp.registration.models import Choice, Registration, RegistrationStatus

pytestmark = pytest.mark.both_databases


def make_registration(event, email="ann@example.org", **fields):
    values = dict(
        event_id=event.id,
        name="Ann de Vries",
        email=email,
        organisation="Gemeente Zwolle",
        status=RegistrationStatus.CONFIRMED,
        manage_token=secrets.token_urlsafe(32),
        ticket_code=secrets.token_urlsafe(32),
        consent_version="2026-11",
    )
    values.update(fields)
    registration = Registration(**values)
    db.session.add(registration)
    db.session.flush()
    return registration


def slots(event):
    return [item for item in event.agenda_items if item.is_choice]


def assert_refused(statement_or_flush):
    with pytest.raises(IntegrityError):
        statement_or_flush()
    db.session.rollback()


def test_one_registration_per_address_per_event(demo_event):
    make_registration(demo_event)
    assert_refused(lambda: make_registration(demo_event))


def test_a_choice_must_name_a_session_of_its_own_slot(demo_event):
    theme, pilot = slots(demo_event)
    registration = make_registration(demo_event)
    db.session.add(
        Choice(
            registration_id=registration.id,
            agenda_item_id=theme.id,
            session_id=pilot.sessions[0].id,
            status=RegistrationStatus.CONFIRMED,
        )
    )
    assert_refused(db.session.flush)


def test_one_confirmed_choice_per_slot(demo_event):
    theme, _ = slots(demo_event)
    registration = make_registration(demo_event)
    for session in theme.sessions[:2]:
        db.session.add(
            Choice(
                registration_id=registration.id,
                agenda_item_id=theme.id,
                session_id=session.id,
                status=RegistrationStatus.CONFIRMED,
            )
        )
    assert_refused(db.session.flush)


def test_a_waitlisted_choice_needs_its_place_in_line(demo_event):
    theme, _ = slots(demo_event)
    registration = make_registration(demo_event)
    db.session.add(
        Choice(
            registration_id=registration.id,
            agenda_item_id=theme.id,
            session_id=theme.sessions[0].id,
            status=RegistrationStatus.WAITLISTED,
        )
    )
    assert_refused(db.session.flush)


@pytest.mark.parametrize("status", ["maybe", "CONFIRMED"])
def test_unknown_status_is_refused(demo_event, status):
    assert_refused(lambda: make_registration(demo_event, status=status))


def test_seat_counters_cannot_go_negative(demo_event):
    session = slots(demo_event)[0].sessions[0]
    assert_refused(lambda: db.session.execute(update(Session).where(Session.id == session.id).values(seats_taken=-1)))


def test_agenda_item_must_end_after_it_starts(demo_event):
    db.session.add(
        AgendaItem(
            event_id=demo_event.id,
            starts_at=dt.time(15),
            ends_at=dt.time(14),
            kind="plenary",
            title_nl="x",
            title_en="x",
        )
    )
    assert_refused(db.session.flush)


def test_session_with_choices_cannot_be_deleted(demo_event):
    theme, _ = slots(demo_event)
    registration = make_registration(demo_event)
    db.session.add(
        Choice(
            registration_id=registration.id,
            agenda_item_id=theme.id,
            session_id=theme.sessions[0].id,
            status=RegistrationStatus.CONFIRMED,
        )
    )
    db.session.flush()
    assert_refused(lambda: db.session.execute(Session.__table__.delete().where(Session.id == theme.sessions[0].id)))
