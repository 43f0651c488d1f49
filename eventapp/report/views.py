"""The event report: /organiser/e/<slug>/report (printable page) and /organiser/e/<slug>/report.pdf."""

from flask import Response, render_template
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from eventapp.events.models import Event
from eventapp.events.services import get_event_or_404
from eventapp.platform.exports import safe_filename
from eventapp.platform.extensions import db
from eventapp.platform.i18n import LONG_DATE, current_language, localized
from eventapp.platform.settings import settings
from eventapp.platform.staff.back_office import back_office, menu_entry
from eventapp.report.charts import percentage, report_figures
from eventapp.report.figures import event_figures
from eventapp.report.pdf import report_pdf

bp = back_office("report", __name__)
menu_entry(bp, "show_report", _l("Report"), 100)


def figures_of(event: Event):
    """This edition's figures, and those of the edition it was copied from (None when there is none)."""
    minimum = settings().feedback_min_respondents
    now = event_figures(db.session, event, minimum)
    source = db.session.get(Event, event.copied_from_id) if event.copied_from_id else None
    return now, (event_figures(db.session, source, minimum) if source is not None else None), source


@bp.get("/e/<slug>/report")
def show_report(slug: str):
    """How the day went: registrations, fill, arrivals, attendance, chain mix and feedback, as charts and tables."""
    event = get_event_or_404(slug)
    now, before, source = figures_of(event)
    return render_template(
        "report/report.html", event=event, now=now, source=source, figures=report_figures(now, before)
    )


@bp.get("/e/<slug>/report.pdf")
def report_download(slug: str):
    """The report's tables with a bar per row, as a PDF to keep or send."""
    event = get_event_or_404(slug)
    now, before, source = figures_of(event)
    title = _("Event report: %(title)s", title=localized(event, "title"))
    subtitle = summary(event, now)
    note = (
        _(
            "Beside the figures of the previous edition: %(title)s (%(date)s).",
            title=localized(source, "title"),
            date=format_date(source.date, "d MMMM yyyy"),
        )
        if source
        else _("This edition was not copied from an earlier one: there is nothing to compare with.")
    )
    body = report_pdf(title, subtitle, report_figures(now, before), note, lang=current_language())
    response = Response(body, mimetype="application/pdf")
    filename = safe_filename(event.slug, "report", extension="pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def summary(event: Event, now) -> str:
    return _(
        "%(date)s · %(came)d of %(expected)d expected people came (no-show rate %(rate)s) · %(responses)d feedback"
        " responses",
        date=format_date(event.date, LONG_DATE),
        came=now.day.came,
        expected=now.day.expected,
        rate=percentage(now.day.no_show_rate),
        responses=now.feedback.responses,
    )
