"""Desk search fit for a desk: the day's event on its day, rate limited per device and account, audited in bulk."""

import datetime as dt
import re

import pytest
from flask_babel import refresh
from limits.storage import MemoryStorage
from sqlalchemy import select

from eventapp.checkin import desk_search
from eventapp.checkin.desk_search import NotOnTheDay, Searcher, TooManySearches
from eventapp.organiser.audit_log import sentence
from eventapp.platform.audit import AuditEntry
from eventapp.platform.db import utcnow
from eventapp.platform.extensions import db
from eventapp.registration.models import Registration
from tests.checkin.days import on_the_day, slug_on_the_day
from tests.registration.helpers import sign_up

API = "/api/v1/checkin"


class FakeUser:
    def __init__(self, user_id: int, organiser: bool):
        self.id, self.is_organiser = user_id, organiser


DESK = Searcher(device_key="browser:1", user=FakeUser(1, organiser=False), label="desk 1")
ORGANISER = Searcher(device_key="browser:2", user=FakeUser(2, organiser=True), label="")
DEVICE = Searcher(device_key="device:3", user=None, label="Handheld 3")


def test_search_is_for_the_day_and_the_organisers_preview(app_context, make_event):
    event = make_event()
    now = utcnow()
    for searcher in (DESK, DEVICE):
        with pytest.raises(NotOnTheDay):
            desk_search.check_phase(event, searcher, now)
    desk_search.check_phase(event, ORGANISER, now)  # before the day: the organiser tries the desk
    on_the_day(event)
    for searcher in (DESK, DEVICE, ORGANISER):
        desk_search.check_phase(event, searcher, now)
    after = event.ends_at + dt.timedelta(minutes=1)
    for searcher in (DESK, DEVICE, ORGANISER):  # the day is over: the event is a record, not a desk
        with pytest.raises(NotOnTheDay):
            desk_search.check_phase(event, searcher, after)


def limits(per_device="30 per minute", per_account="90 per minute", every=20):
    return desk_search.search_limits(MemoryStorage(), per_device, per_account, every)


def test_thirty_searches_a_minute_per_device_then_a_wait():
    search_limits, now = limits(), utcnow()
    for _ in range(30):
        desk_search.count_search(search_limits, DEVICE, now)
    with pytest.raises(TooManySearches) as refused:
        desk_search.count_search(search_limits, DEVICE, now)
    assert 1 <= refused.value.retry_after <= 61  # the window's oldest search leaves it within a minute
    desk_search.count_search(search_limits, DESK, now)  # another device is not held up


def test_the_account_limit_holds_across_the_tablets_of_one_account():
    search_limits, now = limits(per_device="30 per minute", per_account="40 per minute"), utcnow()
    tablets = [Searcher(device_key=f"browser:{n}", user=DESK.user, label=f"desk {n}") for n in range(1, 4)]
    for tablet in tablets[:2]:
        for _ in range(20):
            desk_search.count_search(search_limits, tablet, now)
    with pytest.raises(TooManySearches):
        desk_search.count_search(search_limits, tablets[2], now)  # a fresh tablet, the account's 41st


def test_a_bulk_audit_entry_closes_every_twentieth_search(app_context, make_event):
    event = make_event()
    search_limits = limits()
    closed = [desk_search.batch_closed(search_limits, event, DEVICE) for _ in range(45)]
    assert [today for today in closed if today is not None] == [20, 40]
    entry = desk_search.audit_batch(db.session, search_limits, event, DEVICE, 40)
    db.session.commit()
    assert (entry.action, entry.event_id, entry.details["desk"], entry.details["searches"]) == (
        "desk.searches",
        event.id,
        "Handheld 3",
        20,
    )


def test_the_bulk_entry_reads_as_a_sentence(app, app_context, make_event):
    entry = AuditEntry(action="desk.searches", details={"desk": "desk 2", "searches": 20, "today": 40})
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert sentence(db.session, entry) == "The desk desk 2 made 20 searches (40 today)"
    with app.test_request_context(headers={"Accept-Language": "nl"}):
        refresh()  # the locale is kept per app context, which this test's fixture holds open
        assert sentence(db.session, entry) == "De balie desk 2 deed 20 zoekopdrachten (40 vandaag)"


@pytest.fixture
def crowd(app, make_event):
    """An event of 60 people with addresses that have long local parts (so a leak is easy to see)."""
    with app.app_context():
        event = make_event(day_capacity=100, theme=(60, 60), pilot=(60, 60))
        for number in range(60):
            sign_up(event, number, name=f"Anouk de Vries {number}", email=f"anouk.devries{number}@enschede.nl")
        return event.slug


def test_before_the_day_a_device_and_a_desk_account_are_refused_an_organiser_is_not(
    app, client, crowd, make_device, make_user, login
):
    device = {"Authorization": f"Bearer {make_device('Handheld 1')}"}
    refused = client.get(f"{API}/search?event={crowd}&q=anouk", headers=device)
    assert refused.status_code == 403 and refused.get_json()["error"] == "not_on_the_day"
    login(*make_user("desk"))
    assert client.get(f"{API}/search?event={crowd}&q=anouk").status_code == 403
    page = client.get(f"/staff/checkin/not-arrived?event={crowd}", headers={"Accept-Language": "nl"})
    html = page.get_data(as_text=True)
    assert page.status_code == 403 and "alleen op de dag zelf" in html and "Anouk" not in html
    organiser = app.test_client()
    email, password = make_user("organiser")
    page = organiser.get("/staff/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    organiser.post("/staff/login", data={"csrf_token": token, "email": email, "password": password})
    preview = organiser.get(f"{API}/search?event={crowd}&q=anouk+de+vries+7")
    assert preview.status_code == 200 and "Anouk de Vries 7" in [row["name"] for row in preview.get_json()["results"]]


def test_110_searches_from_one_device_get_at_most_the_limit_answered_and_no_address(app, client, crowd, make_device):
    slug_on_the_day(app, crowd)
    device = {"Authorization": f"Bearer {make_device('Handheld 1')}"}
    answers = [client.get(f"{API}/search?event={crowd}&q=anouk+{n % 60}", headers=device) for n in range(110)]
    answered = [answer for answer in answers if answer.status_code == 200]
    refused = [answer for answer in answers if answer.status_code != 200]
    assert len(answered) == 30 and all(answer.status_code == 429 for answer in refused)
    assert all(
        answer.get_json()["error"] == "rate_limited" and int(answer.headers["Retry-After"]) >= 1 for answer in refused
    )
    assert sum(len(answer.get_json()["results"]) for answer in answered) >= 30
    for answer in answers:
        assert not re.search(r"anouk\.devries\d*@", answer.get_data(as_text=True))
    with app.app_context():
        addresses = set(db.session.scalars(select(Registration.email)))
        entries = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "desk.searches")).all()
    assert len(addresses) == 60 and not any(
        address in answer.get_data(as_text=True) for answer in answers for address in addresses
    )
    # One entry for the first 20 answered searches (refused ones are not searches): not one per search.
    assert [(entry.details["desk"], entry.details["today"]) for entry in entries] == [("Handheld 1", 20)]


def test_the_not_arrived_list_counts_as_a_search_and_says_how_long_to_wait(app, client, crowd, make_user, login):
    slug_on_the_day(app, crowd)
    login(*make_user("desk"))
    english = {"Accept-Language": "en"}
    pages = [client.get(f"/staff/checkin/not-arrived?event={crowd}&q=anouk", headers=english) for _ in range(31)]
    assert [page.status_code for page in pages[:30]] == [200] * 30
    last = pages[30]
    assert last.status_code == 429 and int(last.headers["Retry-After"]) >= 1
    assert "Too many searches from this desk: wait" in last.get_data(as_text=True)
    assert "anouk.devries" not in "".join(page.get_data(as_text=True) for page in pages)


@pytest.mark.parametrize("app_settings", [{"RATELIMIT_ENABLED": False}])
def test_with_rate_limits_switched_off_the_desk_searches_unlimited(app, client, crowd, make_device):
    slug_on_the_day(app, crowd)
    device = {"Authorization": f"Bearer {make_device('Handheld 1')}"}
    answers = [client.get(f"{API}/search?event={crowd}&q=anouk", headers=device) for _ in range(40)]
    assert {answer.status_code for answer in answers} == {200}
    assert all(answer.get_json()["results"] for answer in answers)
