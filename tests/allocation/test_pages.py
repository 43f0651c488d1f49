"""Preference mode on the attendee's pages: the form ranks (rank_<slot id>_<n>), the personal page changes the
ranking until the deadline and says when the sessions are allocated."""

import datetime as dt
import re

from sqlalchemy import select

from eventapp.allocation import services
from eventapp.events.models import Event
from eventapp.events.services import choice_slots
from eventapp.platform.db import utcnow
from eventapp.platform.extensions import db
from eventapp.registration.models import Registration
from eventapp.registration.preferences import ranking_of

EN = {"Accept-Language": "en"}
TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def preference_day(app, make_event):
    with app.app_context():
        event = make_event(day_capacity=10, theme=(2, 2, 2), pilot=(3, 3))
        services.set_mode(event, "preferences", utcnow() + dt.timedelta(days=2))
        db.session.commit()
        theme, pilot = choice_slots(event)
        return event.slug, theme.id, [s.id for s in theme.sessions], pilot.id, [s.id for s in pilot.sessions]


def test_the_form_ranks_sessions_and_refuses_a_session_twice_or_no_first_choice(app, client, make_event):
    slug, theme, theme_ids, pilot, pilot_ids = preference_day(app, make_event)
    form = client.get(f"/e/{slug}/register", headers=EN).get_data(as_text=True)
    assert f'name="rank_{theme}_1"' in form and f'name="rank_{pilot}_3"' in form and 'name="choice_' not in form
    assert "Rank up to three sessions" in form
    fields = {
        "csrf_token": TOKEN.search(form).group(1),
        "name": "Ranker",
        "email": "ranker@example.org",
        "organisation": "Gemeente Zwolle",
        "organisation_type": "municipality",
        "language": "en",
        "consent": "y",
        f"rank_{theme}_1": str(theme_ids[0]),
        f"rank_{theme}_2": str(theme_ids[0]),
        f"rank_{pilot}_1": "",
    }
    refused = client.post(f"/e/{slug}/register", data=fields, headers=EN)
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert "You chose this session already." in page and "Please choose your first choice." in page
    fields.update({f"rank_{theme}_2": str(theme_ids[2]), f"rank_{pilot}_1": str(pilot_ids[1])})
    assert client.post(f"/e/{slug}/register", data=fields).status_code == 302
    with app.app_context():
        registration = db.session.scalar(select(Registration))
        assert ranking_of(db.session, registration) == {theme: [theme_ids[0], theme_ids[2]], pilot: [pilot_ids[1]]}
        token = registration.manage_token

    own = client.get(f"/r/{token}", headers=EN).get_data(as_text=True)
    assert "Your sessions are allocated on" in own and "Change your ranking" in own and "Change a session" not in own
    changed = client.post(
        f"/r/{token}/ranking",
        data={
            "csrf_token": TOKEN.search(own).group(1),
            f"rank_{theme}_1": str(theme_ids[1]),
            f"rank_{pilot}_1": str(pilot_ids[0]),
        },
    )
    assert changed.status_code == 302
    with app.app_context():
        registration = db.session.scalar(select(Registration))
        assert ranking_of(db.session, registration) == {theme: [theme_ids[1]], pilot: [pilot_ids[0]]}
        event = db.session.scalar(select(Event).where(Event.slug == slug))
        event.preferences_deadline = utcnow() - dt.timedelta(minutes=1)
        db.session.commit()
    closed = client.get(f"/r/{token}", headers=EN).get_data(as_text=True)
    assert "Change your ranking" not in closed and "Your sessions are allocated on" in closed
    late = client.post(
        f"/r/{token}/ranking",
        data={
            "csrf_token": TOKEN.search(closed).group(1),
            f"rank_{theme}_1": str(theme_ids[2]),
            f"rank_{pilot}_1": str(pilot_ids[0]),
        },
    )
    assert late.status_code == 409
