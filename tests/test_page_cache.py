"""The event page is kept a few seconds for anonymous visitors (production settings), never for staff."""

import re

import pytest
from sqlalchemy import update

from eventapp.events.models import Event
from eventapp.platform.extensions import db

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def app_settings():
    return {"CACHE_TYPE": "SimpleCache", "CACHE_DEFAULT_TIMEOUT": 300}


def rename(app, title):
    with app.app_context():
        db.session.execute(update(Event).values(title_en=title, title_nl=title + " (nl)"))
        db.session.commit()


def test_anonymous_visitors_share_a_copy_per_language_and_staff_see_the_page_as_it_is(
    app, client, demo_slug, make_user, login
):
    page = f"/e/{demo_slug}/"
    first = client.get(page).get_data(as_text=True)
    rename(app, "Renamed day")
    assert client.get(page).get_data(as_text=True) == first  # the kept copy
    dutch = client.get(page, headers={"Accept-Language": "nl"}).get_data(as_text=True)
    assert "Renamed day (nl)" in dutch and 'lang="nl"' in dutch  # its own copy, made now
    assert "Renamed day" in client.get(page + "?utm_source=mail").get_data(as_text=True)  # another address

    login(*make_user("desk"))
    for_staff = client.get(page).get_data(as_text=True)
    assert "Renamed day" in for_staff and "Log out" in for_staff
    client.post("/staff/logout", data={"csrf_token": CSRF.search(for_staff).group(1)})
    assert "Log out" not in client.get(page).get_data(as_text=True)  # the staff page was not kept either
