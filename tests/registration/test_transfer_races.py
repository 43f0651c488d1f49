"""A colleague's confirmation link opened twice at once: one transfer, one new ticket (both databases)."""

import threading

import pytest
from sqlalchemy import func, select

from eventapp.platform.audit import AuditEntry
from eventapp.platform.db import utcnow, writing
from eventapp.platform.extensions import db
from eventapp.registration import transfers
from eventapp.registration.models import Registration
from tests.registration.helpers import check_counters, confirmed_in, sign_up, slots


@pytest.mark.both_databases
def test_two_confirmations_at_once_make_one_transfer(app, make_event):
    with app.app_context():
        event = make_event(theme=[1, 2], pilot=[2, 2])
        registration = sign_up(event, 1, theme=0)
        colleague = transfers.PersonDetails("Cor Collega", "cor@example.org", "Politie Oost", "", "nl", "police")
        _, mail = transfers.request_transfer(db.session, registration, colleague, utcnow())
        db.session.commit()
        token, registration_id, theme0 = mail.payload["token"], registration.id, slots(event)[0].sessions[0]
    barrier, outcomes, tickets = threading.Barrier(4), [], []

    def confirm():
        with app.app_context(), writing():  # as a request does: SQLite's writers wait their turn
            try:
                barrier.wait(timeout=10)
                moved = transfers.confirm_transfer(db.session, transfers.request_for(db.session, token), utcnow())
                tickets.append(moved.registration.ticket_code)
                db.session.commit()
                outcomes.append("moved")
            except transfers.TransferGone:
                db.session.rollback()
                outcomes.append("gone")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=confirm) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["gone", "gone", "gone", "moved"]
    with app.app_context():
        registration = db.session.get(Registration, registration_id)
        assert registration.ticket_code == tickets[0] and registration.email == "cor@example.org"
        assert db.session.scalar(select(func.count(AuditEntry.id))) == 1
        assert confirmed_in(db.session.merge(theme0)) == {registration_id}  # the seat stayed, once
        check_counters(registration.event)
