"""The organiser's allocation page: switch the mode, see the demand and the kinds as charts with tables, preview,
and run after a confirmation; the dashboard shows each session's chain mix."""

from sqlalchemy import func, select

from eventapp.allocation.models import AllocationRun
from eventapp.events.models import AllocationMode, Event
from eventapp.platform.extensions import db
from eventapp.registration.models import Choice
from tests.allocation.test_allocation import KINDS, rank
from tests.organiser.test_pages import csrf

EN = {"Accept-Language": "en"}


def test_switch_to_preferences_see_demand_preview_and_run_after_confirming(app, make_event, organiser):
    with app.app_context():
        slug = make_event(day_capacity=20, theme=(2, 4), pilot=(3, 3)).slug
    page = f"/organiser/e/{slug}/allocation"
    assert organiser.get(page, headers=EN).status_code == 200
    refused = organiser.post(
        f"{page}/mode", data={"csrf_token": csrf(organiser, page), "mode": "preferences", "deadline": ""}, headers=EN
    )
    assert refused.status_code == 422 and "Preference mode needs a deadline." in refused.get_data(as_text=True)
    switched = organiser.post(
        f"{page}/mode",
        data={"csrf_token": csrf(organiser, page), "mode": "preferences", "deadline": "2099-03-01T17:00"},
    )
    assert switched.status_code == 302
    with app.app_context():
        event = db.session.scalar(select(Event).where(Event.slug == slug))
        assert event.allocation_mode == AllocationMode.PREFERENCES
        assert event.preferences_deadline.isoformat() == "2099-03-01T16:00:00+00:00"  # 17:00 in Amsterdam
        for n in range(6):
            rank(event, n, [0, 1], [n % 2], kind=KINDS[n % 2])

    shown = organiser.get(f"{page}?seed=4", headers=EN).get_data(as_text=True)
    assert "data:image/svg+xml;base64," in shown and "<table" in shown and "<script" not in shown.split("<main", 1)[-1]
    assert "Demand per session" in shown and "Preview of the allocation" in shown and "(seed 4)" in shown
    assert '<th scope="row">Theme 0</th><td>2</td><td>6</td><td>0</td><td>0</td>' in shown.replace("\n", "")
    asked = organiser.get(f"{page}/run?seed=4", headers=EN).get_data(as_text=True)
    assert "Allocate the seats?" in asked and 'name="confirm" value="yes"' in asked
    token = csrf(organiser, f"{page}/run?seed=4")
    organiser.post(f"{page}/run?seed=4", data={"csrf_token": token})  # not confirmed: nothing happens
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AllocationRun)) == 0
    done = organiser.post(f"{page}/run?seed=4", data={"csrf_token": token, "confirm": "yes"})
    assert done.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(AllocationRun.seed)) == 4
        assert db.session.scalar(select(func.count()).select_from(Choice)) == 12
    board = organiser.get(f"/organiser/e/{slug}/", headers=EN).get_data(as_text=True)
    assert "Chain mix" in board and "Municipality 50%" in board and "Police 50%" in board


def test_switching_a_seated_day_asks_first_then_turns_seats_into_first_choices(app, make_event, organiser):
    from eventapp.platform.audit import AuditEntry
    from eventapp.registration.preferences import Preference
    from tests.registration.helpers import sign_up

    with app.app_context():
        event = make_event(day_capacity=20, theme=(2, 4), pilot=(3, 3))
        slug = event.slug
        for n in range(3):
            sign_up(event, n, theme=0, pilot=n % 2)
    page = f"/organiser/e/{slug}/allocation"
    data = {"csrf_token": csrf(organiser, page), "mode": "preferences", "deadline": "2099-03-01T17:00"}
    asked = organiser.post(f"{page}/mode", data=data, headers=EN)
    shown = asked.get_data(as_text=True)
    assert asked.status_code == 200
    assert (
        "3 people hold session seats; their current sessions become their first choice and all seats are handed out"
        " again on Sunday 1 March 2099, 17:00" in shown
    )
    assert 'name="confirm" value="yes"' in shown and 'value="2099-03-01T17:00"' in shown
    with app.app_context():
        assert db.session.scalar(select(Event.allocation_mode).where(Event.slug == slug)) == AllocationMode.FIRST_COME
        assert db.session.scalar(select(func.count()).select_from(Choice)) == 6  # nothing changed yet

    assert organiser.post(f"{page}/mode", data={**data, "confirm": "yes"}).status_code == 302
    with app.app_context():
        event = db.session.scalar(select(Event).where(Event.slug == slug))
        assert event.allocation_mode == AllocationMode.PREFERENCES
        assert db.session.scalar(select(func.count()).select_from(Choice)) == 0
        assert db.session.scalar(select(func.count()).select_from(Preference).where(Preference.rank == 1)) == 6
        assert [session.seats_taken for slot in event.agenda_items for session in slot.sessions] == [0] * 4
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "allocation.mode"))
        assert entry.details == {"mode": "preferences", "converted": 3}
    log = organiser.get(f"/organiser/e/{slug}/audit", headers=EN).get_data(as_text=True)
    assert "the sessions of 3 people became first choices" in log

    back = {"csrf_token": csrf(organiser, page), "mode": "first-come", "deadline": ""}
    refused = organiser.post(f"{page}/mode", data=back, headers=EN)
    assert refused.status_code == 409
    assert "People have ranked sessions: allocate the seats" in refused.get_data(as_text=True)
