"""The allocation page's charts, each a `Figure` with its table: per choice slot the demand per session (how many
ranked it 1st, 2nd and 3rd, stacked), and the kinds of organisation of the people ranking."""

from collections.abc import Sequence

from flask_babel import gettext as _

from eventapp.allocation.demand import SessionDemand
from eventapp.events.models import AgendaItem
from eventapp.platform.charts import Figure, bar_image
from eventapp.platform.i18n import localized
from eventapp.registration.models import OrganisationType


def demand_figure(slot: AgendaItem, rows: Sequence[SessionDemand]) -> Figure:
    """One stacked bar per session of the slot; the table adds its seats."""
    titles = [localized(row.session, "title") for row in rows]
    ranks = (_("1st choice"), _("2nd choice"), _("3rd choice"))
    series = [(name, [row.ranked[n] for row in rows]) for n, name in enumerate(ranks)]
    return Figure(
        title=_("Demand: %(slot)s", slot=localized(slot, "title")),
        columns=(_("Session"), _("Seats"), *ranks),
        rows=[(title, row.session.capacity, *row.ranked) for title, row in zip(titles, rows, strict=True)],
        image=bar_image(titles, series, horizontal=True, stacked=True, height=100 + 40 * len(titles)),
        values=[row.total for row in rows],
    )


def kinds_figure(kinds: Sequence[tuple[OrganisationType, int]]) -> Figure:
    """One bar per kind of organisation, most first."""
    labels = [str(kind.label) for kind, _count in kinds]
    counts = [count for _kind, count in kinds]
    return Figure(
        title=_("Kinds of organisation"),
        columns=(_("Kind of organisation"), _("People")),
        rows=list(zip(labels, counts, strict=True)),
        image=bar_image(labels, [(_("People"), counts)], horizontal=True, height=80 + 40 * len(labels)),
        values=counts,
    )
