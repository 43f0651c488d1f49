"""Transfer to a colleague: the rules, called directly (no HTTP), with an explicit `now`."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from eventapp.checkin.lookups import find_by_code
from eventapp.platform.audit import AuditEntry
from eventapp.platform.db import utcnow
from eventapp.platform.extensions import db
from eventapp.platform.staff.models import User
from eventapp.questions.models import Answer, Question
from eventapp.registration import services, transfers
from eventapp.registration.contacts import ContactRequest
from eventapp.registration.models import (
    Registration,
    RegistrationMail,
    RegistrationStatus,
    TransferEnd,
    TransferRequest,
)
from eventapp.registration.queries import find_by_manage_token
from eventapp.registration.transfer_mails import TransferMail
from tests.registration.helpers import (
    check_counters,
    confirmed_in,
    mails,
    sign_up,
    slots,
    waiting_for,
)

pytestmark = pytest.mark.usefixtures("app_context")


def colleague(**fields):
    values = dict(
        name="Cor Collega",
        email="Cor@Example.org",
        organisation="Politie Oost",
        language="nl",
        organisation_type="police",
    )
    values.update(fields)
    return transfers.PersonDetails(**values)


def asked(registration, now=None, **fields):
    request, mail = transfers.request_transfer(db.session, registration, colleague(**fields), now or utcnow())
    db.session.commit()
    return request, mail.payload["token"]


def accept(token, now=None):
    moved = transfers.confirm_transfer(db.session, transfers.request_for(db.session, token), now or utcnow())
    db.session.commit()
    return moved


def test_the_request_keeps_only_the_hash_and_mails_the_colleague_the_link(make_event):
    event = make_event()
    registration = sign_up(event, 1)
    request, token = asked(registration)
    assert request.token_hash == transfers.hash_secret(token) != token
    assert request.email == "cor@example.org"  # one spelling per address
    assert request.expires_at - request.created_at == dt.timedelta(hours=48)
    (mail,) = mails(TransferMail.CONFIRM)
    assert (mail.recipient, mail.language, mail.payload["token"]) == ("cor@example.org", "nl", token)
    db.session.refresh(registration)
    assert registration.email == "person1@example.org"  # nothing moves before the colleague accepts


@pytest.mark.both_databases
def test_confirming_moves_the_registration_with_its_seats_and_waitlist_places(make_event):
    event = make_event(theme=[1, 2], pilot=[2, 2])
    themes, pilots = (slot.sessions for slot in slots(event))
    sign_up(event, 9, theme=0)  # takes the only seat of the first theme
    registration = sign_up(event, 1, theme=1, pilot=1)
    registration.wants_newsletter = True
    services.change_session(db.session, registration, themes[0].id, utcnow(), join_waitlist=True)
    db.session.commit()
    old_token, old_ticket, sequence = (
        registration.manage_token,
        registration.ticket_code,
        registration.calendar_sequence,
    )
    _, token = asked(registration)
    moved = accept(token)
    registration = db.session.get(Registration, moved.registration.id)
    assert (registration.name, registration.email, registration.organisation) == (
        "Cor Collega",
        "cor@example.org",
        "Politie Oost",
    )
    assert (registration.organisation_type, registration.language) == ("police", "nl")
    assert registration.status == RegistrationStatus.CONFIRMED
    assert registration.wants_newsletter is False
    assert registration.id in confirmed_in(themes[1]) and registration.id in confirmed_in(pilots[1])
    assert waiting_for(themes[0]) == [registration.id]  # the place in line is kept
    assert registration.manage_token != old_token and registration.ticket_code != old_ticket
    assert registration.calendar_sequence == sequence + 1
    assert moved.before.email == "person1@example.org"
    check_counters(event)


def test_the_old_link_and_ticket_are_dead_and_the_new_ones_work(app, make_event):
    event = make_event()
    registration = sign_up(event, 1)
    old_token, old_ticket = registration.manage_token, registration.ticket_code
    _, token = asked(registration)
    moved = accept(token)
    assert find_by_code(db.session, old_ticket) is None  # the old QR scans as an unknown code
    assert find_by_code(db.session, moved.registration.ticket_code).id == registration.id
    assert find_by_manage_token(db.session, old_token) is None
    assert find_by_manage_token(db.session, moved.registration.manage_token).id == registration.id


def test_the_mails_after_confirming_go_to_both_addresses(make_event):
    event = make_event()
    registration = sign_up(event, 1)
    _, token = asked(registration)
    accept(token)
    (gone,) = mails(TransferMail.GONE)
    assert (gone.recipient, gone.language) == ("person1@example.org", "en")
    assert (gone.payload["old_name"], gone.payload["new_name"]) == ("Person 1", "Cor Collega")
    confirmation = mails(RegistrationMail.CONFIRMED)[-1]
    assert (confirmation.recipient, confirmation.language) == ("cor@example.org", "nl")


def test_the_link_works_48_hours(make_event):
    event = make_event()
    registration = sign_up(event, 1)
    now = utcnow()
    request, token = asked(registration, now=now)
    assert transfers.is_open(request, now + dt.timedelta(hours=47, minutes=59))
    assert not transfers.is_open(request, now + dt.timedelta(hours=48))
    with pytest.raises(transfers.TransferGone):
        transfers.confirm_transfer(db.session, request, now + dt.timedelta(hours=48, seconds=1))
    db.session.rollback()
    assert db.session.get(Registration, registration.id).email == "person1@example.org"


def test_the_link_works_once(make_event):
    event = make_event()
    registration = sign_up(event, 1)
    request, token = asked(registration)
    accept(token)
    assert request.ended_as == TransferEnd.ACCEPTED
    with pytest.raises(transfers.TransferGone):
        accept(token)


def test_a_new_request_replaces_the_open_one(make_event):
    event = make_event()
    registration = sign_up(event, 1)
    first, first_token = asked(registration)
    second, second_token = asked(registration, email="dirk@example.org", name="Dirk")
    db.session.refresh(first)
    assert first.ended_as == TransferEnd.REPLACED
    with pytest.raises(transfers.TransferGone):
        accept(first_token)
    db.session.rollback()
    assert accept(second_token).registration.email == "dirk@example.org"


@pytest.mark.both_databases
def test_the_answers_and_the_consents_to_contacts_are_cleared(make_event):
    event = make_event()
    registration = sign_up(event, 1)
    question = Question(event_id=event.id, kind="short_text", label_nl="Dieet", label_en="Diet")
    db.session.add(question)
    db.session.flush()
    db.session.add(Answer(question_id=question.id, registration_id=registration.id, text="vegan"))
    pilot = slots(event)[1].sessions[0]
    db.session.add(ContactRequest(registration_id=registration.id, session_id=pilot.id, consent_text="ok"))
    db.session.commit()
    _, token = asked(registration)
    accept(token)
    assert db.session.scalars(select(Answer).where(Answer.registration_id == registration.id)).all() == []
    assert (
        db.session.scalars(select(ContactRequest).where(ContactRequest.registration_id == registration.id)).all() == []
    )


@pytest.mark.both_databases
def test_refused_for_an_address_already_registered(app, make_event):
    event = make_event()
    registration = sign_up(event, 1)
    sign_up(event, 2)
    with pytest.raises(transfers.TransferRefused) as refused:
        transfers.request_transfer(db.session, registration, colleague(email="PERSON2@example.org"), utcnow())
    assert refused.value.reason == transfers.ADDRESS_TAKEN
    with app.test_request_context("/"), force_locale("en"):
        assert "already registered" in transfers.refusal_text(refused.value.reason)
    with app.test_request_context("/"), force_locale("nl"):
        assert "al aangemeld" in transfers.refusal_text(refused.value.reason)


def test_refused_when_the_address_registered_between_request_and_confirmation(make_event):
    event = make_event()
    registration = sign_up(event, 1)
    _, token = asked(registration, email="person2@example.org")
    sign_up(event, 2)
    with pytest.raises(transfers.TransferRefused) as refused:
        accept(token)
    assert refused.value.reason == transfers.ADDRESS_TAKEN


def test_refused_for_a_cancelled_registration(make_event):
    event = make_event()
    registration = sign_up(event, 1)
    services.cancel(db.session, registration, utcnow())
    db.session.commit()
    with pytest.raises(transfers.TransferRefused) as refused:
        transfers.request_transfer(db.session, registration, colleague(), utcnow())
    assert refused.value.reason == transfers.CANCELLED


def on_the_day(event) -> dt.datetime:
    return dt.datetime.combine(event.date, dt.time(9), ZoneInfo(event.timezone))


@pytest.mark.parametrize("when", ["day", "after"])
def test_refused_on_and_after_the_day(make_event, when):
    event = make_event()
    registration = sign_up(event, 1)
    now = on_the_day(event) if when == "day" else event.ends_at + dt.timedelta(hours=1)
    with pytest.raises(transfers.TransferRefused) as refused:
        transfers.request_transfer(db.session, registration, colleague(), now)
    assert refused.value.reason == transfers.NOT_NOW
    assert not transfers.may_transfer(registration, now)


def test_a_request_made_before_the_day_cannot_be_confirmed_on_it(make_event):
    event = make_event()
    registration = sign_up(event, 1)
    _, token = asked(registration, now=on_the_day(event) - dt.timedelta(hours=12))  # the evening before
    with pytest.raises(transfers.TransferRefused) as refused:
        accept(token, now=on_the_day(event))
    assert refused.value.reason == transfers.NOT_NOW


def test_allowed_while_registration_is_closed(make_event):
    event = make_event(closes_in=dt.timedelta(hours=-1), opens_in=dt.timedelta(days=-2))
    registration = sign_up(event, 1, now=utcnow() - dt.timedelta(days=1))
    _, token = asked(registration)
    assert accept(token).registration.email == "cor@example.org"


@pytest.mark.both_databases
def test_the_organiser_transfers_at_once_audited_with_masked_addresses(make_event, make_user):
    event = make_event()
    registration = sign_up(event, 1)
    organiser = db.session.scalar(select(User).where(User.email == make_user("organiser")[0]))
    transfers.transfer_now(db.session, registration, colleague(), organiser, utcnow())
    db.session.commit()
    assert registration.email == "cor@example.org"
    assert mails(TransferMail.CONFIRM) == []  # no confirmation link: the organiser checked
    assert len(mails(TransferMail.GONE)) == 1
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "person.transferred"))
    assert entry.user_id == organiser.id and entry.registration_id == registration.id
    assert entry.details["before"] == "p***@example.org" and entry.details["after"] == "c***@example.org"


def test_the_colleagues_confirmation_is_audited_without_an_organiser(make_event):
    event = make_event()
    registration = sign_up(event, 1)
    _, token = asked(registration)
    accept(token)
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "person.transferred"))
    assert entry.user_id is None and entry.details["confirmed_by"] == "colleague"


def test_mails_still_waiting_for_the_old_holder_are_not_sent_to_anyone(make_event):
    from eventapp.platform.mail.models import MailStatus

    event = make_event()
    registration = sign_up(event, 1)
    (waiting,) = mails(RegistrationMail.CONFIRMED)
    _, token = asked(registration)
    accept(token)
    db.session.refresh(waiting)
    assert waiting.status == MailStatus.SUPERSEDED
    assert {mail.status for mail in mails(TransferMail.GONE)} == {MailStatus.PENDING}


def test_erasing_the_person_removes_their_transfer_requests(make_event):
    from eventapp.privacy.services import anonymise

    event = make_event()
    registration = sign_up(event, 1)
    asked(registration)
    anonymise(db.session, registration, utcnow())
    db.session.commit()
    assert db.session.scalars(select(TransferRequest)).all() == []
