"""The organiser's allocation page: switch the mode, see the demand and the kinds as charts with tables, preview,
and run after a confirmation; the dashboard shows each session's chain mix."""

from sqlalchemy import func, select

from eventapp.allocation.models import AllocationRun
from eventapp.events.models import AllocationMode, Event
from eventapp.extensions import db
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
    assert "<svg" in shown and "<table" in shown and "<script" not in shown.split("<main", 1)[-1]
    assert "Demand per session" in shown and "Preview of the allocation" in shown and "(seed 4)" in shown
    assert "<td>Theme 0</td><td>2</td><td>6</td><td>0</td><td>0</td>" in shown.replace("\n", "")
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
