"""What the docstrings promise as "a fixed number of queries": the count does not grow with the people or sessions.

Each rule is run on a small event and on one ten times its size, in a session whose cache was emptied first, and
the statements are counted on the engine (the `count_queries` fixture).
"""

from sqlalchemy import select

from eventapp.checkin.attended import attended_by_person
from eventapp.events.models import Event
from eventapp.events.services import choice_slots, event_with_program
from eventapp.organiser.dashboard import dashboard
from eventapp.platform.db import utcnow
from eventapp.platform.extensions import db
from eventapp.registration.models import Registration
from tests.registration.helpers import sign_up


def people_of(make_event, people: int, sessions: int):
    event = make_event(day_capacity=people, theme=(people,) * sessions, pilot=(people,) * sessions)
    return event, [
        sign_up(event, number, theme=number % sessions, pilot=(number + 1) % sessions) for number in range(people)
    ]


def counted(count_queries, rule) -> int:
    db.session.expire_all()
    with count_queries() as queries:
        rule()
    return queries.count


def test_attended_by_person_takes_as_many_queries_for_fifty_people_as_for_five(app_context, make_event, count_queries):
    counts = []
    for people in (5, 50):
        event, registrations = people_of(make_event, people, 2)
        db.session.expire_all()
        loaded = db.session.scalars(select(Registration).where(Registration.event_id == event.id)).all()
        with count_queries() as queries:
            attended = attended_by_person(db.session, db.session.get(Event, event.id), loaded)
        assert len(attended) == people
        counts.append(queries.count)
    assert counts[0] > 0 and counts[0] == counts[1]


def test_the_dashboard_takes_as_many_queries_for_fifty_people_as_for_five(app_context, make_event, count_queries):
    counts = []
    for people in (5, 50):
        event, _ = people_of(make_event, people, 2)
        counts.append(counted(count_queries, lambda event=event: dashboard(db.session, event, utcnow().date())))
    assert counts[0] > 0 and counts[0] == counts[1]


def test_the_program_loads_in_as_many_queries_for_eight_sessions_as_for_two(app_context, make_event, count_queries):
    counts = []
    for sessions in (1, 4):
        event, _ = people_of(make_event, 2, sessions)

        def walk(slug=event.slug):
            loaded = event_with_program(db.session, slug)
            for slot in choice_slots(loaded):
                for session in slot.sessions:
                    assert session.hosts is not None and session.contacts is not None

        counts.append(counted(count_queries, walk))
    assert counts[0] > 0 and counts[0] == counts[1]
