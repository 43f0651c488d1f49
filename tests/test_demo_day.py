"""`flask seed-demo` loads the program day from the program's page, once."""

import datetime as dt

import pytest
from sqlalchemy import func, select

from eventapp.demo.day import demo_date
from eventapp.events.models import AgendaItem, Event, Session
from eventapp.platform.extensions import db

THEMES = {"Prevention", "Repression", "Youth in Detention and Care", "Aftercare"}
PILOTS = {
    "Early Warning Twente",
    "Dashboard Twente",
    "Safe in and around School (VIOS) - a core team at school",
    "Environmental Advice 2.0",
}


def counts():
    return tuple(db.session.scalar(select(func.count()).select_from(model)) for model in (Event, AgendaItem, Session))


@pytest.mark.both_databases
def test_seed_demo_loads_the_day_once(app, runner):
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    assert "Loaded the demo day 'jeugd-en-veiligheid-6'" in first.output
    with app.app_context():
        assert counts() == (1, 7, 8)
    second = runner.invoke(args=["seed-demo"])
    assert second.exit_code == 0
    assert "nothing changed" in second.output
    with app.app_context():
        assert counts() == (1, 7, 8)


def test_seed_demo_if_empty_leaves_a_used_database_alone(app, runner):
    with app.app_context():
        db.session.add(
            Event(
                slug="another-day",
                title_nl="Andere dag",
                title_en="Another day",
                date=dt.date(2027, 3, 4),
                venue="Ede",
                capacity=10,
                registration_opens_at=dt.datetime(2027, 1, 1, tzinfo=dt.UTC),
                registration_closes_at=dt.datetime(2027, 3, 1, tzinfo=dt.UTC),
            )
        )
        db.session.commit()
    result = runner.invoke(args=["seed-demo", "--if-empty"])
    assert "not loaded" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Event)) == 1


def test_demo_day_follows_the_program(demo_event):
    agenda = [
        (item.starts_at.strftime("%H:%M"), item.ends_at.strftime("%H:%M"), item.kind)
        for item in demo_event.agenda_items
    ]
    assert agenda == [
        ("13:30", "14:00", "plenary"),
        ("14:00", "14:20", "plenary"),
        ("14:20", "15:15", "choice"),
        ("15:15", "15:30", "plenary"),
        ("15:30", "16:20", "choice"),
        ("16:20", "16:30", "plenary"),
        ("16:30", "17:00", "plenary"),
    ]
    theme_slot, pilot_slot = [item for item in demo_event.agenda_items if item.is_choice]
    assert {session.title_en for session in theme_slot.sessions} == THEMES
    assert {session.title_en for session in pilot_slot.sessions} == PILOTS
    assert all(session.description_en and session.description_nl for session in pilot_slot.sessions)
    assert demo_event.timezone == "Europe/Amsterdam"
    assert demo_event.capacity == 160


def test_demo_day_is_open_for_registration_now(demo_event):
    now = dt.datetime.now(dt.UTC)
    assert demo_event.registration_opens_at <= now < demo_event.registration_closes_at
    start = demo_event.local_datetime(demo_event.day_starts_at)
    assert demo_event.registration_closes_at < start
    assert start.utcoffset() in (dt.timedelta(hours=1), dt.timedelta(hours=2))


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (dt.date(2026, 3, 2), dt.date(2026, 4, 2)),  # a Monday: four weeks on, then Thursday
        (dt.date(2026, 3, 5), dt.date(2026, 4, 2)),  # a Thursday: exactly four weeks on
        (dt.date(2026, 11, 28), dt.date(2027, 1, 7)),  # past the Christmas holidays
    ],
)
def test_demo_date_is_a_thursday_a_few_weeks_ahead(today, expected):
    assert demo_date(today, weeks_ahead=4) == expected
    assert expected.weekday() == 3


def test_the_demo_morning_has_something_to_release(app, runner):
    """Under `make run` (DEMO_MORNING) the dashboard previews a release: people wait at the door of a full session."""
    from eventapp.checkin import release

    app.config.update(DEMO_REGISTRATIONS=48, DEMO_MORNING=True)
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    with app.app_context():
        event = db.session.scalar(select(Event))
        preview = release.plan(db.session, event, [item for item in event.agenda_items if item.is_choice], True)
        figures = preview.as_json("nl")
        assert figures["sessions"]["Preventie"] == {"released": 14, "seated": 8}
        assert (figures["released"], figures["seated"], len(preview.day_released)) == (52, 8, 26)


def demo_day_seats_taken() -> int:
    """Session seats taken at the demo day itself (its previous edition, loaded beside it, has its own)."""
    return db.session.scalar(
        select(func.sum(Session.seats_taken)).join(AgendaItem).join(Event).where(Event.slug == "jeugd-en-veiligheid-6")
    )


@pytest.mark.parametrize("morning", [False, True])
def test_the_seated_demo_day_switched_to_preferences_allocates_everyone_again(app, runner, morning):
    """`make run`'s first-come demo day: its people's sessions become first choices and the allocation places them."""
    import json

    app.config.update(DEMO_REGISTRATIONS=48, DEMO_MORNING=morning)
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    with app.app_context():
        seated = demo_day_seats_taken()
    deadline = (dt.datetime.now(dt.UTC) + dt.timedelta(days=3)).isoformat(timespec="minutes")
    switched = runner.invoke(args=["allocation-mode", "jeugd-en-veiligheid-6", "preferences", "--deadline", deadline])
    assert switched.exit_code == 0, switched.output
    with app.app_context():
        assert demo_day_seats_taken() == 0
    done = runner.invoke(args=["allocate", "jeugd-en-veiligheid-6", "--seed", "1", "--json"])
    figures = json.loads(done.stdout)
    if not morning:
        assert "48 people's session seats became their first choices" in switched.output
        assert figures["people"] == 48 and figures["assigned"] == 2 * 48 == seated
        assert figures["by_rank"]["1"] == 2 * 48 and figures["unassigned"] == 0
    else:  # the full first session's line and the walk-ins waiting for it wait for their first choice again
        assert figures["assigned"] == seated and figures["unassigned"] == 8
    with app.app_context():
        assert demo_day_seats_taken() == figures["assigned"]


def test_the_demo_people_list_files_van_der_plaat_under_p(app, runner, client, make_user, login):
    """The issue's check on `make run`: a Dutch list sorts on the surname without its tussenvoegsel."""
    app.config.update(DEMO_REGISTRATIONS=48)
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    login(*make_user("organiser"))
    page = client.get("/organiser/e/jeugd-en-veiligheid-6/people?sort=surname", headers={"Accept-Language": "nl"})
    text = page.get_data(as_text=True)
    places = [text.find(name) for name in ("Mulder", "van der Plaat", "Smit")]
    assert -1 not in places and places == sorted(places), places
