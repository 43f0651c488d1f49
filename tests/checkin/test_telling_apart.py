"""Telling people apart at the desk: masked addresses, sessions, namesakes; never a full address in a desk answer."""

import re
import unicodedata

import pytest

from eventapp.checkin import lookups, present, telling_apart
from eventapp.checkin.telling_apart import mask_address
from eventapp.platform.extensions import db
from tests.registration.helpers import sign_up


@pytest.mark.parametrize(
    ("address", "masked"),
    [
        ("anouk.devries@enschede.nl", "a…s@enschede.nl"),
        ("abc@x.nl", "a…c@x.nl"),
        ("ab@x.nl", "a…@x.nl"),  # first and last would be the whole local part
        ("a@x.nl", "…@x.nl"),  # one character: nothing of it
        ("  Anouk@Enschede.NL ", "A…k@Enschede.NL"),
        ("zoë@gemeente.nl", "z…ë@gemeente.nl"),
        (unicodedata.normalize("NFD", "zoë@gemeente.nl"), "z…ë@gemeente.nl"),  # e + combining diaeresis: one letter
        ("søren@utrecht.nl", "s…n@utrecht.nl"),
        ("李小龙@例子.中国", "李…龙@例子.中国"),
        ('"a@b"@x.nl', '"…"@x.nl'),  # the domain is after the last @
        ("not an address", "n…s"),
        ("", ""),
        (None, ""),
    ],
)
def test_mask_address(address, masked):
    assert mask_address(address) == masked


def test_a_masked_address_is_never_the_address():
    for local in ["a", "ab", "abc", "é", "ab" * 40]:
        address = f"{local}@enschede.nl"
        assert mask_address(address) != address and mask_address(address).endswith("@enschede.nl")


def test_same_names_are_counted_in_any_case_and_accents_and_cancellations_left_out(app_context, make_event):
    from eventapp.platform.db import utcnow
    from eventapp.registration import services as registration_services

    event = make_event(day_capacity=10)
    other = make_event()
    anouk = sign_up(event, 1, name="Anouk de Vries")
    sign_up(event, 2, name="anouk de vriës")
    gone = sign_up(event, 3, name="Anouk de Vries")
    sign_up(other, 4, name="Anouk de Vries")  # another event: not a namesake here
    teun = sign_up(event, 5, name="Teun Søderhuizen")
    registration_services.cancel(db.session, gone, utcnow())
    db.session.commit()
    counts = telling_apart.same_name_counts(db.session, event)
    assert telling_apart.people_with_name(counts, anouk) == 2
    assert telling_apart.people_with_name(counts, teun) == 1


def test_search_json_has_masked_address_sessions_and_namesakes_but_no_address(app, app_context, make_event):
    event = make_event(day_capacity=10)
    sign_up(event, 1, name="Anouk de Vries", email="anouk.devries@enschede.nl", organisation="Gemeente Enschede")
    sign_up(event, 2, name="Anouk de Vries", email="a.de.vries@enschede.nl", organisation="Gemeente Enschede")
    people = lookups.search_people(db.session, event, "anouk")
    with app.test_request_context(headers={"Accept-Language": "en"}):
        rows = present.search_json(people, {}, event, telling_apart.same_name_counts(db.session, event))
    assert sorted(row["masked_address"] for row in rows) == ["a…s@enschede.nl", "a…s@enschede.nl"]
    assert [row["same_name"] for row in rows] == [2, 2]
    assert rows[0]["same_name_hint"] == "2 people with this name"
    assert [session["title"] for session in rows[0]["sessions"]] == ["Theme 0", "Pilot 0"]
    assert "@enschede.nl" in str(rows) and not re.search(r"[a-z.]{2,}@enschede", str(rows))


def test_not_arrived_shows_masked_addresses_sessions_and_the_namesake_hint(app, client, make_event, make_user, login):
    with app.app_context():
        event = make_event(day_capacity=10)
        sign_up(event, 1, name="Anouk de Vries", email="anouk.devries@enschede.nl", organisation="Gemeente Enschede")
        sign_up(event, 2, name="Anouk de Vries", email="adv@enschede.nl", organisation="Gemeente Enschede", theme=1)
        sign_up(event, 3, name="Bram Eck", email="bram@ede.nl")
        slug = event.slug
    login(*make_user("organiser"))
    english = {"Accept-Language": "en"}
    page = client.get(f"/staff/checkin/not-arrived?event={slug}", headers=english).get_data(as_text=True)
    assert "a…s@enschede.nl" in page and "a…v@enschede.nl" in page and "b…m@ede.nl" in page
    assert "anouk.devries@" not in page and "adv@" not in page and "bram@" not in page
    assert page.count("2 people with this name") == 2 and page.count('data-same-name="2"') == 2
    assert "Theme 0 (Room 1)" in page and "Theme 1 (Room 2)" in page
    dutch = client.get(f"/staff/checkin/not-arrived?event={slug}", headers={"Accept-Language": "nl"})
    assert "2 mensen met deze naam" in dutch.get_data(as_text=True)
