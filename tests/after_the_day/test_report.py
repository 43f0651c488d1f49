"""The event report: renders for the demo day and for a day without check-ins, counts what happened, and
stands beside the edition the day was copied from."""

import io

from pypdf import PdfReader
from sqlalchemy import select

from eventapp.events import services as setup
from eventapp.events.models import Event
from eventapp.platform.db import utcnow
from eventapp.platform.extensions import db
from eventapp.platform.staff.models import User
from eventapp.report.figures import event_figures
from tests.after_the_day.conftest import check_in

EN = {"Accept-Language": "en"}
HEADINGS = (
    "Registrations over time",
    "Fill per session",
    "Arrivals per five minutes",
    "Attendance per kind of organisation",
    "Attendance per session",
    "Chain mix per session",
    "Feedback scores",
)


def test_the_report_renders_for_the_demo_day_without_check_ins(organiser, demo_slug):
    page = organiser.get(f"/organiser/e/{demo_slug}/report", headers=EN)
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    for heading in HEADINGS:
        assert heading in text
    assert "Nobody has been checked in yet" in text
    pdf = organiser.get(f"/organiser/e/{demo_slug}/report.pdf", headers=EN)
    assert pdf.mimetype == "application/pdf"
    assert "Chain mix per session" in "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages)


def test_the_figures_of_a_day_that_happened(app, past_day):
    with app.app_context():
        figures = event_figures(db.session, db.session.get(Event, past_day["event_id"]))
        assert (figures.day.expected, figures.day.came, figures.day.no_show_rate) == (3, 2, 33.3)
        police = figures.per_type["police"]
        assert (police.expected, police.came, police.no_show_rate) == (2, 1, 50.0)
        by_title = {s.session.title_en: s for s in figures.sessions}
        # Theme 0: persons 1 and 2 had seats; 1 was admitted into Theme 1 instead, and their seat went with them.
        assert (by_title["Theme 0"].seated, by_title["Theme 0"].turnout.came) == (1, 1)
        assert (by_title["Theme 1"].seated, by_title["Theme 1"].turnout.came) == (2, 1)
        assert by_title["Theme 1"].mix == {"police": 1}
        assert by_title["Pilot 0"].mix == {"municipality": 1}  # no pilot door scanned: the seat counts
        assert sum(n for _time, n in figures.arrivals) == 2
        assert figures.registrations_by_day[-1][1] == 4  # cancelled registrations were made too


def test_the_report_stands_beside_the_edition_it_was_copied_from(app, organiser, past_day, make_user):
    with app.app_context():
        source = db.session.get(Event, past_day["event_id"])
        user = db.session.scalar(select(User))
        copy = setup.copy_event(
            db.session, source, "next-edition", source.date.replace(year=source.date.year + 1), user, utcnow()
        )
        db.session.commit()
        assert copy.copied_from_id == source.id
    page = organiser.get("/organiser/e/next-edition/report", headers=EN).get_data(as_text=True)
    assert "Previous edition" in page and f"/organiser/e/{past_day['slug']}/report" in page
    # The new edition has nobody yet; the police row holds the previous edition's no-show rate (1 of 2 came).
    assert '<th scope="row">Police</th><td>0</td><td>0</td><td>–</td><td>50%</td>' in page
    mine = organiser.get(f"/organiser/e/{past_day['slug']}/report", headers=EN).get_data(as_text=True)
    assert "Previous edition" not in mine and "Nobody has been checked in yet" not in mine


def test_only_organisers_see_the_report(client, make_user, login, past_day):
    assert client.get(f"/organiser/e/{past_day['slug']}/report").status_code == 302
    login(*make_user("desk"))
    assert client.get(f"/organiser/e/{past_day['slug']}/report").status_code == 403
    assert client.get(f"/organiser/e/{past_day['slug']}/feedback").status_code == 403


def test_arrivals_are_counted_per_five_minutes(app, make_event):
    import datetime as dt
    from zoneinfo import ZoneInfo

    from tests.registration.helpers import sign_up

    with app.app_context():
        event = make_event(day_capacity=10)
        people = [sign_up(event, n) for n in range(1, 4)]
        zone = ZoneInfo(event.timezone)
        for person, minute in zip(people, (31, 33, 41), strict=True):
            check_in(event, person, at=dt.datetime.combine(event.date, dt.time(13, minute), zone))
        figures = event_figures(db.session, event)
        assert figures.arrivals == [("13:30", 2), ("13:35", 0), ("13:40", 1)]


def test_the_pdf_holds_every_table_beside_a_drawn_chart(organiser, past_day):
    pdf = organiser.get(f"/organiser/e/{past_day['slug']}/report.pdf", headers=EN)
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.data)).pages)
    for heading in HEADINGS:
        assert heading in text
    assert "Theme 1" in text and "Police" in text
    assert "█" not in text  # the bars are drawn, not characters a screen reader would read out
    assert "2 of 3 expected people came (no-show rate 33%)" in text
