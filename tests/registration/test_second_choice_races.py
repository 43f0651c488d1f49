"""Second choices under a registration rush (fallbacks.py): no session over its capacity, every person placed once."""

import pytest
from sqlalchemy import select, update

from eventapp.events.models import Session
from eventapp.platform.extensions import db
from eventapp.registration.models import Registration
from tests.conftest import load_demo
from tests.registration.helpers import check_counters, confirmed_in, slots, waiting_for
from tests.registration.test_concurrency import race
from tests.served import served_app

pytestmark = pytest.mark.both_databases

PEOPLE = 30
SEATS = 4


def test_a_rush_on_a_full_first_choice_fills_the_second_and_no_more(app, database_url, tmp_path):
    slug = load_demo(app)
    with app.app_context():
        theme, pilot = slots(db.session.scalar(select(Session)).agenda_item.event)
        first, second = theme.sessions[0], theme.sessions[1]
        db.session.execute(update(Session).where(Session.id.in_([first.id, second.id])).values(capacity=SEATS))
        db.session.commit()
        ids = {"theme": theme.id, "pilot": pilot.id, "first": first.id, "second": second.id, "p": pilot.sessions[0].id}

    def fields(number):
        return {
            "name": f"Racer {number}",
            "email": f"racer{number}@example.org",
            "organisation": "Gemeente Zwolle",
            "organisation_type": "other",
            "language": "nl",
            "consent": "y",
            f"choice_{ids['theme']}": str(ids["first"]),
            f"second_{ids['theme']}": str(ids["second"]),
            f"choice_{ids['pilot']}": str(ids["p"]),
        }

    with served_app(database_url, tmp_path / "gunicorn.log") as base_url:
        answers = race(base_url, slug, fields, PEOPLE)
    assert {status for _, status, _, _ in answers} == {302}, (tmp_path / "gunicorn.log").read_text()[-3000:]
    with app.app_context():
        first, second = db.session.get(Session, ids["first"]), db.session.get(Session, ids["second"])
        racers = set(db.session.scalars(select(Registration.id).where(Registration.name.like("Racer %"))))
        assert len(racers) == PEOPLE
        in_first, in_second = confirmed_in(first) & racers, confirmed_in(second) & racers
        assert len(in_first) == len(in_second) == SEATS and not in_first & in_second
        assert set(waiting_for(first)) == racers - in_first  # the second's seats are held while waiting
        check_counters(first.agenda_item.event)
