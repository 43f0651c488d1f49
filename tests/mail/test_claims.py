"""Senders on several machines take disjoint batches: on PostgreSQL with FOR UPDATE SKIP LOCKED."""

import pytest
from sqlalchemy import create_engine, select, text

from eventapp.platform.db import utcnow
from eventapp.platform.extensions import db
from eventapp.platform.mail.models import OutgoingMail
from eventapp.platform.mail.sender import claim_batch, release
from tests.registration.helpers import sign_up

pytestmark = pytest.mark.parametrize("backend", ["postgresql"], indirect=True)


def test_batches_of_two_senders_are_disjoint(app, app_context, make_event):
    event = make_event(day_capacity=20)
    for number in range(6):
        sign_up(event, number)
    now = utcnow()
    first, second = claim_batch(now, 4), claim_batch(now, 4)
    assert len(first) == 4 and len(second) == 2 and not set(first) & set(second)
    assert claim_batch(now, 4) == []  # all claimed until the hold runs out
    release(first, now)
    assert claim_batch(now, 10) == first


def test_a_sender_skips_rows_another_holds_instead_of_waiting(app, app_context, make_event, database_url):
    event = make_event(day_capacity=20)
    for number in range(4):
        sign_up(event, number)
    all_ids = sorted(db.session.scalars(select(OutgoingMail.id)))
    db.session.commit()
    other = create_engine(database_url)
    try:
        with other.connect() as connection:  # another sender, in the middle of its claim
            connection.execute(text("SET lock_timeout = '5s'"))
            held = connection.execute(
                text("SELECT id FROM outgoing_mail ORDER BY id LIMIT 2 FOR UPDATE"),
            ).scalars()
            held = list(held)
            db.session.execute(text("SET LOCAL lock_timeout = '2s'"))  # a waiting claim would fail here
            assert claim_batch(utcnow(), 10) == [mail_id for mail_id in all_ids if mail_id not in held]
            connection.rollback()
    finally:
        other.dispose()
