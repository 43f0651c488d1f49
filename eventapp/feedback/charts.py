"""The feedback results as figures: the day's scores, and per session the average and the spread of scores."""

from collections.abc import Sequence

from flask_babel import gettext as _

from eventapp.feedback.models import SCORES
from eventapp.feedback.services import Results, SessionResults
from eventapp.platform.charts import Figure, bar_image
from eventapp.platform.i18n import decimal, localized


def day_figure(results: Results) -> Figure:
    labels = [str(score) for score in SCORES]
    counts = [n for _score, n in results.day.distribution]
    return Figure(
        title=_("Scores for the day"),
        columns=(_("Score"), _("Answers")),
        rows=list(zip(labels, counts, strict=True)),
        image=bar_image(labels, [(_("Answers"), counts)]),
    )


def sessions_figure(results: Results) -> Figure:
    """Per session: answers, average, and how many gave each score (a stacked bar per session)."""
    titles = [localized(result.session, "title") for result in results.sessions]
    series = [
        (_("Score %(score)d", score=score), [result.scores.counts[score] for result in results.sessions])
        for score in SCORES
    ]
    rows = [_session_row(title, result) for title, result in zip(titles, results.sessions, strict=True)]
    return Figure(
        title=_("Scores per session"),
        columns=(_("Session"), _("Answers"), _("Average"), *[str(score) for score in SCORES]),
        rows=rows,
        image=bar_image(titles, series, horizontal=True, stacked=True, height=80 + 40 * len(titles)),
    )


def _session_row(title: str, result: SessionResults) -> Sequence[str | int]:
    if result.withheld:  # the numbers would point to the few who answered
        return (title, _("too few answers to show"), "–", *["" for _score in SCORES])
    scores = result.scores
    return (title, scores.count, decimal(scores.average), *[scores.counts[score] for score in SCORES])


def result_figures(results: Results) -> list[Figure]:
    return [day_figure(results), sessions_figure(results)]
