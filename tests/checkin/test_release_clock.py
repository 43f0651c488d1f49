"""The release under `make run`: a clock in the web process runs the due releases each minute."""

import datetime as dt

from sqlalchemy import select

from eventapp import create_app
from eventapp.checkin import release_clock
from eventapp.platform.extensions import db
from eventapp.registration.models import Choice, RegistrationStatus
from tests.registration.helpers import sign_up


def test_a_tick_releases_what_is_due_and_commits(app, make_event):
    with app.app_context():
        event = make_event(day_capacity=10, theme=(1, 1), pilot=(1, 1))
        sign_up(event, 1)
        at_1411 = event.local_datetime(dt.time(14, 11)).astimezone(dt.UTC)
        slug, theme_slot = event.slug, event.agenda_items[1].id
    assert release_clock.tick(app, at_1411 - dt.timedelta(hours=2)) == {}
    plans = release_clock.tick(app, at_1411)
    assert plans[slug].released == 1 and plans[slug].includes_day
    with app.app_context():
        assert db.session.scalar(select(Choice.status).where(Choice.agenda_item_id == theme_slot)) == (
            RegistrationStatus.RELEASED
        )
    assert release_clock.tick(app, at_1411 + dt.timedelta(minutes=1)) == {}  # once per slot


def test_the_clock_runs_only_where_asked_and_starts_with_the_first_request(database_url):
    assert "release_clock" not in create_app("testing", {"SQLALCHEMY_DATABASE_URI": database_url}).extensions
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": database_url, "RELEASE_IN_PROCESS": True})
    clock = app.extensions["release_clock"]
    assert clock.thread is None
    app.test_client().get("/healthz")
    try:
        assert clock.thread is not None and clock.thread.is_alive()
    finally:
        clock.stop()
    assert not clock.thread.is_alive()
