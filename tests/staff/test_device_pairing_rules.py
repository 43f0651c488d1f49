"""Rules of device tokens for an event and of pairing links, without HTTP: validity from the event's date in its
time zone, a pairing secret valid for 15 minutes and used once."""

import datetime as dt

import pytest
from sqlalchemy import select

from eventapp.events.models import Event
from eventapp.platform.extensions import db
from eventapp.platform.staff import pairing, services
from eventapp.platform.staff.models import DevicePairing

UTC = dt.UTC


def day(date: dt.date, zone: str = "Europe/Amsterdam") -> Event:
    return Event(date=date, timezone=zone)


def test_a_token_for_an_event_lasts_until_the_end_of_the_next_day_there():
    now = dt.datetime(2027, 1, 10, 9, 0, tzinfo=UTC)
    # Amsterdam in winter is UTC+1: the local midnight after 16 January is 23:00 UTC on the 16th.
    assert pairing.device_token_valid_until(day(dt.date(2027, 1, 15)), now, 30) == dt.datetime(
        2027, 1, 16, 23, 0, tzinfo=UTC
    )
    # The same date elsewhere ends at that place's midnight.
    assert pairing.device_token_valid_until(day(dt.date(2027, 1, 15), "America/New_York"), now, 30) == dt.datetime(
        2027, 1, 17, 5, 0, tzinfo=UTC
    )


def test_daylight_saving_time_moves_the_end_in_utc_not_locally():
    now = dt.datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
    # Summer time starts on 28 March 2027: an event on the 27th ends at local midnight of the 29th, UTC+2.
    until = pairing.device_token_valid_until(day(dt.date(2027, 3, 27)), now, 30)
    assert until == dt.datetime(2027, 3, 28, 22, 0, tzinfo=UTC)
    # Winter time again on 31 October: an event on the 30th ends at midnight of 1 November, UTC+1.
    autumn = pairing.device_token_valid_until(day(dt.date(2027, 10, 30)), now, 30)
    assert autumn == dt.datetime(2027, 10, 31, 23, 0, tzinfo=UTC)


def test_a_token_made_five_weeks_before_the_day_works_on_it():
    now = dt.datetime(2027, 1, 10, 9, 0, tzinfo=UTC)
    event = day((now + dt.timedelta(weeks=5)).date())
    until = pairing.device_token_valid_until(event, now, 30)
    on_the_day = dt.datetime.combine(event.date, dt.time(16, 0), tzinfo=UTC)
    assert until > on_the_day > now + dt.timedelta(days=30)  # the old 30 days would have ended before it


def test_without_an_event_the_default_days_count():
    now = dt.datetime(2027, 1, 10, 9, 0, tzinfo=UTC)
    assert pairing.device_token_valid_until(None, now, 30) == now + dt.timedelta(days=30)
    assert pairing.device_token_valid_until(None, now, 7) == now + dt.timedelta(days=7)


def test_valid_until_takes_a_date_a_local_time_or_a_zoned_time():
    now = dt.datetime(2027, 1, 10, 9, 0, tzinfo=UTC)
    zone = "Europe/Amsterdam"
    assert pairing.parse_valid_until("2027-01-15", zone, now) == dt.datetime(2027, 1, 15, 23, 0, tzinfo=UTC)
    assert pairing.parse_valid_until("2027-01-15T18:00", zone, now) == dt.datetime(2027, 1, 15, 17, 0, tzinfo=UTC)
    assert pairing.parse_valid_until("2027-01-15T18:00Z", zone, now) == dt.datetime(2027, 1, 15, 18, 0, tzinfo=UTC)
    for wrong in ("tomorrow", "2027-01-09", "2029-01-01"):  # not a time, in the past, beyond a year
        with pytest.raises(services.AccountError):
            pairing.parse_valid_until(wrong, zone, now)


def test_a_token_for_an_event_that_is_over_is_refused(app_context):
    now = dt.datetime(2027, 1, 20, 9, 0, tzinfo=UTC)
    until = pairing.device_token_valid_until(day(dt.date(2027, 1, 15)), now, 30)
    with pytest.raises(services.AccountError):
        services.create_device_token(db.session, "Late", None, now, expires_at=until)


def new_pairing(now):
    device, token = services.create_device_token(db.session, "Tablet 1", None, now)
    _pairing, secret = pairing.start_pairing(db.session, device, token, now)
    db.session.commit()
    return device, token, secret


def test_the_pairing_gives_the_token_once_and_stores_only_hashes(app_context):
    now = dt.datetime.now(UTC)
    device, token, secret = new_pairing(now)
    row = db.session.scalar(select(DevicePairing))
    assert row.secret_hash == services.hash_token(secret) and secret not in row.secret_hash
    assert token not in row.sealed_token and row.sealed_token
    paired, given = pairing.use_pairing(db.session, secret, now + dt.timedelta(minutes=1))
    db.session.commit()
    assert paired == device and given == token
    assert services.device_for_token(db.session, given, now) == device
    db.session.refresh(row)
    assert row.used_at is not None and row.sealed_token == ""  # nothing of the token stays
    with pytest.raises(pairing.PairingGone):
        pairing.use_pairing(db.session, secret, now + dt.timedelta(minutes=2))


def test_the_pairing_secret_expires_after_15_minutes(app_context):
    now = dt.datetime.now(UTC)
    _device, _token, secret = new_pairing(now)
    almost = now + pairing.PAIRING_VALID - dt.timedelta(seconds=1)
    assert pairing.pairing_for_secret(db.session, secret, almost).device.name == "Tablet 1"
    with pytest.raises(pairing.PairingGone):
        pairing.pairing_for_secret(db.session, secret, now + pairing.PAIRING_VALID)
    with pytest.raises(pairing.PairingGone):
        pairing.use_pairing(db.session, secret, now + dt.timedelta(minutes=16))
    with pytest.raises(pairing.PairingUnknown):
        pairing.pairing_for_secret(db.session, secret + "x", now)


def test_a_revoked_device_cannot_be_paired(app_context):
    now = dt.datetime.now(UTC)
    device, _token, secret = new_pairing(now)
    services.revoke_device_token(device, now)
    db.session.commit()
    with pytest.raises(pairing.PairingGone):
        pairing.use_pairing(db.session, secret, now)
