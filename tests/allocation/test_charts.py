"""The allocation page's charts: the demand per session as stacked 1st/2nd/3rd bars and the kinds of organisation,
each drawn by eventapp.platform.charts with the same figures in its table."""

import base64

from eventapp.allocation.charts import demand_figure, kinds_figure
from eventapp.allocation.demand import SessionDemand
from eventapp.events.services import choice_slots
from eventapp.registration.models import OrganisationType


def svg_of(image: str) -> str:
    prefix = "data:image/svg+xml;base64,"
    assert image.startswith(prefix)
    return base64.b64decode(image[len(prefix) :]).decode("utf-8")


def test_demand_is_a_stacked_bar_per_session_with_seats_in_the_table(app, make_event):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        event = make_event(theme=(4, 5))
        slot = choice_slots(event)[0]
        first, second = slot.sessions
        fig = demand_figure(slot, [SessionDemand(first, (3, 1, 0)), SessionDemand(second, (0, 2, 5))])
        assert fig.title == f"Demand: {slot.title_en}"
        assert list(fig.columns) == ["Session", "Seats", "1st choice", "2nd choice", "3rd choice"]
        assert fig.rows == [(first.title_en, 4, 3, 1, 0), (second.title_en, 5, 0, 2, 5)]
        assert fig.values == [4, 7]
        svg = svg_of(fig.image)
        assert first.title_en in svg and second.title_en in svg
        assert all(name in svg for name in ("1st choice", "2nd choice", "3rd choice"))  # the legend
        assert "horizontalstackedbar-graph" in svg


def test_no_ranking_yet_draws_nothing_and_kinds_are_a_bar_each(app):
    with app.test_request_context(headers={"Accept-Language": "nl"}):
        assert kinds_figure([]).image == "" and kinds_figure([]).rows == []
        fig = kinds_figure([(OrganisationType.POLICE, 3), (OrganisationType.MUNICIPALITY, 1)])
        police, municipality = str(OrganisationType.POLICE.label), str(OrganisationType.MUNICIPALITY.label)
        assert fig.title == "Soorten organisaties" and fig.rows == [(police, 3), (municipality, 1)]
        svg = svg_of(fig.image)
        assert police in svg and municipality in svg and "horizontalbar-graph" in svg
