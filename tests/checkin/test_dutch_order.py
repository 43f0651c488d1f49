"""The desk's lists sort as Dutch lists do, on the surname without its tussenvoegsel (registration/names.py)."""

import pytest

from eventapp.checkin.badges import EVERYONE, people_for_badges
from eventapp.checkin.expected import not_arrived
from eventapp.checkin.lookups import search_people
from eventapp.platform.extensions import db
from tests.registration.helpers import sign_up

pytestmark = pytest.mark.usefixtures("app_context")
NAMES = ["Anna Zwart", "Denise van der Plaat", "Piet Bakker", "Sylvia Huis in 't Veld"]
IN_ORDER = ["Piet Bakker", "Sylvia Huis in 't Veld", "Denise van der Plaat", "Anna Zwart"]


def test_badges_the_not_arrived_list_and_the_search_sort_on_the_surname(make_event):
    event = make_event(day_capacity=10, theme=[5, 5], pilot=[5, 5])
    for number, name in enumerate(NAMES, start=1):
        sign_up(event, number, name=name, organisation="Gemeente Ede")
    assert [r.name for r in people_for_badges(db.session, event, EVERYONE)] == IN_ORDER
    assert [r.name for r in not_arrived(db.session, event)] == IN_ORDER
    assert [r.name for r in search_people(db.session, event, "Ede")] == IN_ORDER
