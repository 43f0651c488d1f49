"""The report's figures as charts with their tables, this edition beside the one it was copied from."""

from collections.abc import Sequence

from flask_babel import gettext as _

from eventapp.platform.charts import Figure, bar_image, line_image
from eventapp.platform.i18n import decimal, localized, percent
from eventapp.registration.models import OrganisationType
from eventapp.report.figures import EventFigures

Values = Sequence[float | None]  # what a series draws, one per label
Row = Sequence[str | int | float]  # a table row: its label, then the figures as the reader reads them


def percentage(value: float | None) -> str:
    """A percentage of 0-100 as the reader writes it (the figures count in percents, Babel in shares)."""
    return percent(None if value is None else value / 100)


def _series(
    now: EventFigures, before: EventFigures | None, values_now: Values, values_before: Values
) -> list[tuple[str, Values]]:
    series = [(_("This edition"), values_now)]
    if before is not None:
        series.append((_("Previous edition"), values_before))
    return series


def registrations_figure(now: EventFigures, before: EventFigures | None) -> Figure:
    """Registrations made up to each day before the day (the previous edition on the same count of days)."""
    mine, theirs = dict(now.registrations_by_day), dict(before.registrations_by_day) if before else {}
    days = sorted(set(mine) | set(theirs), reverse=True)
    columns = [_("Days before the day"), _("This edition")] + ([_("Previous edition")] if before else [])
    rows: list[Sequence[int]] = []
    last_mine, last_theirs = 0, 0
    for day in days:
        last_mine, last_theirs = mine.get(day, last_mine), theirs.get(day, last_theirs)
        rows.append((day, last_mine, *([last_theirs] if before else [])))
    series = _series(now, before, [r[1] for r in rows], [r[2] for r in rows] if before else [])
    # The table keeps the days on which something changed (and the last): the chart has every day.
    changed = [row for n, row in enumerate(rows) if n in (0, len(rows) - 1) or row[1:] != rows[n - 1][1:]]
    image = line_image([str(r[0]) for r in rows], series)
    return Figure(_("Registrations over time"), columns, changed, image, [r[1] for r in changed])


def fill_figure(now: EventFigures, before: EventFigures | None) -> Figure:
    earlier = {s.session.title_en: s for s in before.sessions} if before else {}
    columns = [_("Session"), _("Seats taken"), _("Seats"), _("Fill")] + ([_("Previous edition")] if before else [])
    titles = [localized(s.session, "title") for s in now.sessions]
    rows: list[Row] = []
    for title, s in zip(titles, now.sessions, strict=True):
        then = earlier.get(s.session.title_en)
        rows.append(
            (
                title,
                s.seated,
                s.capacity,
                percentage(s.fill),
                *([percentage(then.fill if then else None)] if before else []),
            )
        )
    series = _series(
        now,
        before,
        [s.fill for s in now.sessions],
        [earlier[s.session.title_en].fill if s.session.title_en in earlier else None for s in now.sessions],
    )
    image = bar_image(titles, series, horizontal=True, range=(0, 100), height=120 + 45 * len(rows))
    return Figure(_("Fill per session (percentage of seats)"), columns, rows, image, [s.fill for s in now.sessions])


def arrivals_figure(now: EventFigures, before: EventFigures | None) -> Figure:
    mine, theirs = dict(now.arrivals), dict(before.arrivals) if before else {}
    times = sorted(set(mine) | set(theirs))
    columns = [_("From"), _("This edition")] + ([_("Previous edition")] if before else [])
    rows: list[Row] = [(t, mine.get(t, 0), *([theirs.get(t, 0)] if before else [])) for t in times]
    series = _series(now, before, [mine.get(t, 0) for t in times], [theirs.get(t, 0) for t in times] if before else [])
    image = bar_image(times, series)
    return Figure(_("Arrivals per five minutes"), columns, rows, image, [mine.get(t, 0) for t in times])


def per_type_figure(now: EventFigures, before: EventFigures | None) -> Figure:
    kinds = [k for k in OrganisationType if k in now.per_type or (before and k in before.per_type)]
    columns = [_("Kind of organisation"), _("Expected"), _("Came"), _("No-show rate")]
    columns += [_("No-show rate, previous edition")] if before else []
    rows: list[Row] = []
    mine: list[float | None] = []
    theirs: list[float | None] = []
    for kind in kinds:
        turnout = now.per_type.get(kind)
        then = before.per_type.get(kind) if before else None
        mine.append(turnout.no_show_rate if turnout else None)
        theirs.append(then.no_show_rate if then else None)
        expected, came = (turnout.expected, turnout.came) if turnout else (0, 0)
        rows.append((kind.label, expected, came, percentage(mine[-1]), *([percentage(theirs[-1])] if before else [])))
    image = bar_image(
        [kind.label for kind in kinds],
        _series(now, before, mine, theirs),
        horizontal=True,
        range=(0, 100),
        height=120 + 40 * len(rows),
    )
    return Figure(_("Attendance per kind of organisation (no-show rate)"), columns, rows, image, mine)


def per_session_figure(now: EventFigures, before: EventFigures | None) -> Figure:
    earlier = {s.session.title_en: s for s in before.sessions} if before else {}
    columns = [_("Session"), _("Seated"), _("Attended"), _("No-show rate")]
    columns += [_("No-show rate, previous edition")] if before else []
    titles = [localized(s.session, "title") for s in now.sessions]
    rows: list[Row] = []
    mine: list[float | None] = []
    theirs: list[float | None] = []
    for title, s in zip(titles, now.sessions, strict=True):
        then = earlier.get(s.session.title_en)
        mine.append(s.turnout.no_show_rate)
        theirs.append(then.turnout.no_show_rate if then else None)
        rows.append(
            (
                title,
                s.seated,
                s.turnout.came,
                percentage(mine[-1]),
                *([percentage(theirs[-1])] if before else []),
            )
        )
    image = bar_image(
        titles,
        _series(now, before, mine, theirs),
        horizontal=True,
        range=(0, 100),
        height=120 + 45 * len(rows),
    )
    return Figure(_("Attendance per session (no-show rate)"), columns, rows, image, mine)


def mix_figure(now: EventFigures) -> Figure:
    """Who was in each session, by kind of organisation (those who attended it)."""
    kinds = [k for k in OrganisationType if any(s.mix[k] for s in now.sessions)]
    titles = [localized(s.session, "title") for s in now.sessions]
    columns = [_("Session"), *[k.label for k in kinds]]
    rows: list[Row] = [(title, *[s.mix[k] for k in kinds]) for title, s in zip(titles, now.sessions, strict=True)]
    series = [(k.label, [s.mix[k] for s in now.sessions]) for k in kinds]
    image = bar_image(titles, series, horizontal=True, stacked=True, height=160 + 45 * len(titles))
    return Figure(_("Chain mix per session"), columns, rows, image, [sum(s.mix.values()) for s in now.sessions])


def feedback_figure(now: EventFigures, before: EventFigures | None) -> Figure:
    earlier = {r.session.title_en: r for r in before.feedback.sessions} if before else {}
    columns = [_("About"), _("Answers"), _("Average score")] + ([_("Previous edition")] if before else [])
    items = [(_("The day"), now.feedback.day, before.feedback.day if before else None)]
    items += [
        (
            localized(r.session, "title"),
            r.scores,
            earlier[r.session.title_en].scores if r.session.title_en in earlier else None,
        )
        for r in now.feedback.sessions
    ]
    rows: list[Row] = [
        (label, s.count, decimal(s.average), *([decimal(t.average if t else None)] if before else []))
        for label, s, t in items
    ]
    series = _series(now, before, [s.average for _l, s, _t in items], [t.average if t else None for _l, _s, t in items])
    image = bar_image(
        [label for label, _s, _t in items], series, horizontal=True, range=(0, 5), height=120 + 40 * len(rows)
    )
    return Figure(_("Feedback scores (1-5)"), columns, rows, image, [s.average for _l, s, _t in items])


def report_figures(now: EventFigures, before: EventFigures | None) -> list[Figure]:
    return [
        registrations_figure(now, before),
        fill_figure(now, before),
        arrivals_figure(now, before),
        per_type_figure(now, before),
        per_session_figure(now, before),
        mix_figure(now),
        feedback_figure(now, before),
    ]
