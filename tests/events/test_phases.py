"""The event's phase (events.phases): every boundary, and the table of allowed actions cell by cell."""

import datetime as dt
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from eventapp.events.phases import ALLOWED, Action, EventPhase, allows, event_phase, phase_table_markdown

AMS = ZoneInfo("Europe/Amsterdam")
P = EventPhase


def an_event(day: dt.date, *, ends: dt.time | None = dt.time(17, 0), zone: str = "Europe/Amsterdam", **overrides):
    """An event as the rule reads it: dates, window, publication, purge (a plain object, no database)."""
    local = ZoneInfo(zone)
    fields = {
        "date": day,
        "timezone": zone,
        "published_at": dt.datetime(2020, 1, 1, tzinfo=dt.UTC),
        "anonymised_at": None,
        "registration_opens_at": dt.datetime.combine(day - dt.timedelta(days=30), dt.time(9), local),
        "registration_closes_at": dt.datetime.combine(day - dt.timedelta(days=1), dt.time(23, 59), local),
    }
    fields.update(overrides)
    event = SimpleNamespace(**fields)
    event.ends_at = dt.datetime.combine(day, ends or dt.time(23, 59), local)
    return event


def at(day: dt.date, hour: int, minute: int = 0, second: int = 0, zone=AMS) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute, second), zone)


DAY = dt.date(2026, 6, 11)  # summer time: UTC+2
ONE_SECOND = dt.timedelta(seconds=1)


def test_a_draft_until_published():
    assert event_phase(an_event(DAY, published_at=None), at(DAY, 12)) == P.DRAFT


def test_anonymised_after_the_purge_whatever_the_clock_says():
    purged = an_event(DAY, anonymised_at=at(DAY + dt.timedelta(days=400), 3))
    assert event_phase(purged, at(DAY + dt.timedelta(days=400), 4)) == P.ANONYMISED


def test_announced_until_registration_opens_to_the_second():
    event = an_event(DAY)
    assert event_phase(event, event.registration_opens_at - ONE_SECOND) == P.ANNOUNCED
    assert event_phase(event, event.registration_opens_at) == P.REGISTRATION


def test_registration_until_it_closes_then_closed():
    event = an_event(DAY)
    assert event_phase(event, event.registration_closes_at - ONE_SECOND) == P.REGISTRATION
    assert event_phase(event, event.registration_closes_at) == P.CLOSED


def test_the_day_starts_at_local_midnight_not_utc_midnight():
    event = an_event(DAY)
    assert event_phase(event, at(DAY - dt.timedelta(days=1), 23, 59, 59)) == P.CLOSED
    assert event_phase(event, at(DAY, 0, 0)) == P.DAY
    # 23:30 UTC the evening before is 01:30 in Amsterdam: already the day there.
    assert event_phase(event, dt.datetime.combine(DAY - dt.timedelta(days=1), dt.time(23, 30), dt.UTC)) == P.DAY
    # 21:59 UTC the evening before is 23:59 in Amsterdam: not yet.
    assert event_phase(event, dt.datetime.combine(DAY - dt.timedelta(days=1), dt.time(21, 59), dt.UTC)) == P.CLOSED


def test_the_day_ends_with_its_last_agenda_item():
    event = an_event(DAY, ends=dt.time(17, 0))
    assert event_phase(event, at(DAY, 16, 59, 59)) == P.DAY
    assert event_phase(event, at(DAY, 17, 0)) == P.ENDED
    assert event_phase(event, at(DAY + dt.timedelta(days=300), 12)) == P.ENDED


def test_a_day_without_agenda_ends_at_its_last_minute():
    event = an_event(DAY, ends=None)
    assert event_phase(event, at(DAY, 23, 58)) == P.DAY
    assert event_phase(event, at(DAY, 23, 59)) == P.ENDED


@pytest.mark.parametrize(
    ("day", "at_midnight", "offset"),
    # The clocks go forward (CET to CEST) / back (CEST to CET) at night: midnight and the afternoon differ.
    [(dt.date(2026, 3, 29), 1, 2), (dt.date(2026, 10, 25), 2, 1)],
)
def test_midnight_on_the_nights_daylight_saving_changes(day, at_midnight, offset):
    event = an_event(day)
    midnight_utc = dt.datetime.combine(day, dt.time(0), dt.UTC) - dt.timedelta(hours=at_midnight)
    assert event_phase(event, midnight_utc - ONE_SECOND) == P.CLOSED
    assert event_phase(event, midnight_utc) == P.DAY
    # The afternoon is on the new offset: 17:00 in Amsterdam is 17 - offset in UTC.
    end = dt.datetime.combine(day, dt.time(17 - offset), dt.UTC)
    assert event_phase(event, end - ONE_SECOND) == P.DAY
    assert event_phase(event, end) == P.ENDED


def test_the_events_own_time_zone_decides():
    event = an_event(DAY, zone="America/New_York", ends=dt.time(17))
    # 02:00 in Amsterdam on the day is still 20:00 the evening before in New York.
    assert event_phase(event, at(DAY, 2)) == P.REGISTRATION
    assert event_phase(event, dt.datetime.combine(DAY, dt.time(4), dt.UTC)) == P.DAY  # midnight in New York (EDT)


def test_a_window_still_open_on_the_day_gives_the_day():
    event = an_event(DAY, registration_closes_at=at(DAY, 12))
    assert event_phase(event, at(DAY, 10)) == P.DAY


YES, NO = True, False
#        draft announced registration closed day  ended anonymised
EXPECTED = {
    Action.REGISTER: (NO, NO, YES, NO, NO, NO, NO),
    Action.CHANGE_SESSION: (YES, YES, YES, YES, YES, NO, NO),
    Action.EDIT_DETAILS: (YES, YES, YES, YES, YES, NO, NO),
    Action.CANCEL: (YES, YES, YES, YES, YES, NO, NO),
    Action.TRANSFER: (NO, NO, YES, YES, NO, NO, NO),  # not on the day: the desk handles a colleague instead
    Action.RANK: (NO, NO, YES, YES, NO, NO, NO),
    Action.SHOW_TICKET: (YES, YES, YES, YES, YES, NO, NO),
    Action.GIVE_FEEDBACK: (NO, NO, NO, NO, NO, YES, NO),
    Action.GET_STATEMENT: (NO, NO, NO, NO, YES, YES, NO),
    Action.DOWNLOAD_DATA: (YES, YES, YES, YES, YES, YES, NO),
    Action.ERASE: (YES, YES, YES, YES, YES, YES, NO),
    Action.CHECK_IN: (NO, NO, NO, NO, YES, NO, NO),
    Action.TEST_SCAN: (YES, YES, YES, YES, NO, NO, NO),
    Action.RELEASE_SEATS: (NO, NO, NO, NO, YES, NO, NO),
    Action.CORRECT_REGISTRATION: (YES, YES, YES, YES, YES, YES, NO),
    Action.ISSUE_STATEMENT: (NO, NO, NO, NO, YES, YES, NO),
    Action.CLEAR_TEST_SCANS: (YES, YES, YES, YES, NO, NO, NO),
    Action.SEND_REMINDER: (NO, NO, YES, YES, NO, NO, NO),
    Action.REQUEST_FEEDBACK: (NO, NO, NO, NO, NO, YES, NO),
    Action.PURGE: (NO, NO, NO, NO, NO, YES, NO),
    Action.RELEASE_HOLDS: (YES, YES, YES, YES, NO, NO, NO),
    Action.FREEZE_SEATS: (NO, NO, NO, NO, YES, NO, NO),
}


@pytest.mark.parametrize("action", list(Action))
@pytest.mark.parametrize("phase", list(EventPhase))
def test_the_table_cell_by_cell(action, phase):
    assert allows(phase, action) is EXPECTED[action][list(EventPhase).index(phase)]


def test_every_action_has_a_row():
    assert set(ALLOWED) == set(Action) == set(EXPECTED)


def test_the_readme_has_the_table_as_written_from_the_rule():
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    assert phase_table_markdown() in readme
