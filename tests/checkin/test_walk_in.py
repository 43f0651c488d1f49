"""Registering a walk-in at the desk."""

import re

from sqlalchemy import func, select, update

from eventapp.checkin.models import CheckIn
from eventapp.events.models import Event
from eventapp.platform.extensions import db
from eventapp.registration.models import Registration
from tests.checkin.days import slug_on_the_day
from tests.registration.test_pages import form_data


def walk_in_form(client, slug):
    page = client.get(f"/staff/checkin/walk-in?event={slug}")
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.get_data(as_text=True)).group(1)
    return page, token


def test_walk_in_is_registered_and_checked_in(app, client, demo_slug, make_user, login):
    slug_on_the_day(app, demo_slug)  # walk-ins are registered on the event's day
    login(*make_user("desk"))
    page, token = walk_in_form(client, demo_slug)
    assert page.status_code == 200 and 'id="consent"' not in page.get_data(as_text=True)
    data = form_data(app, token, email="walkin@example.org", name="Irene Salomons")
    data.pop("consent")
    response = client.post(f"/staff/checkin/walk-in?event={demo_slug}", data=data)
    assert response.status_code == 302
    assert "Irene Salomons is registered and checked in." in client.get(response.headers["Location"]).get_data(
        as_text=True
    )
    with app.app_context():
        registration = db.session.scalar(select(Registration))
        assert (registration.status, registration.consent_version) == ("confirmed", "desk")
        assert db.session.scalar(select(func.count()).select_from(CheckIn)) == 1


def test_no_walk_in_when_the_day_is_full(app, client, demo_slug, make_user, login):
    with app.app_context():
        db.session.execute(update(Event).values(capacity=0))
        db.session.commit()
    slug_on_the_day(app, demo_slug)
    login(*make_user("desk"))
    _, token = walk_in_form(client, demo_slug)
    data = form_data(app, token, email="late@example.org")
    response = client.post(f"/staff/checkin/walk-in?event={demo_slug}", data=data)
    assert response.status_code == 409 and "The day is full" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Registration)) == 0


def test_walk_in_page_needs_staff(client, demo_slug):
    assert client.get(f"/staff/checkin/walk-in?event={demo_slug}").status_code == 302
