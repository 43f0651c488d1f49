"""The outbox at /organiser/outbox: filtered by event, kind, status and address, 50 a page, served."""

import html
import re

import pytest
from sqlalchemy import select

from eventapp.platform.db import utcnow
from eventapp.platform.extensions import db
from eventapp.platform.mail.models import MailStatus, OutgoingMail
from eventapp.platform.mail.outbox import enqueue_to
from tests.registration.helpers import sign_up

pytestmark = pytest.mark.both_databases
NL = {"Accept-Language": "nl"}


@pytest.fixture
def two_days(app, make_event):
    """Day A with two people (one confirmation failed), day B with one waiting; a newsletter mail to nobody's day."""
    with app.app_context():
        day_a = make_event(day_capacity=5)
        day_b = make_event(day_capacity=0)
        sign_up(day_a, 1, email="eva.bakker@gemeente.nl")
        sign_up(day_a, 2, email="jan@politie.nl")
        sign_up(day_b, 3, email="piet@gemeente.nl")  # waits: a waitlist mail
        failed = db.session.scalar(select(OutgoingMail).where(OutgoingMail.recipient == "jan@politie.nl"))
        failed.status = MailStatus.FAILED
        enqueue_to(db.session, "newsletter_confirm", "lezer@example.org", "nl", utcnow())
        db.session.commit()
        return {"a": day_a.slug, "b": day_b.slug}


def recipients(organiser, **args) -> list[str]:
    response = organiser.get("/organiser/outbox", query_string=args)
    assert response.status_code == 200
    return re.findall(r"<td>([^<@]+@[^<]+)</td>", response.text)


def test_every_mail_without_a_filter(organiser, two_days):
    assert set(recipients(organiser)) >= {
        "eva.bakker@gemeente.nl",
        "jan@politie.nl",
        "piet@gemeente.nl",
        "lezer@example.org",
    }
    assert organiser.get("/organiser/mail/").status_code == 200  # the old address stays


def test_filters_by_event_kind_status_and_address(organiser, two_days):
    assert sorted(set(recipients(organiser, event=two_days["a"]))) == ["eva.bakker@gemeente.nl", "jan@politie.nl"]
    assert set(recipients(organiser, event=two_days["b"])) == {"piet@gemeente.nl"}
    assert set(recipients(organiser, kind="registration_waitlisted")) == {"piet@gemeente.nl"}
    assert set(recipients(organiser, status="failed")) == {"jan@politie.nl"}
    assert set(recipients(organiser, q="GEMEENTE")) == {"eva.bakker@gemeente.nl", "piet@gemeente.nl"}
    assert set(recipients(organiser, event=two_days["a"], q="gemeente")) == {"eva.bakker@gemeente.nl"}
    assert recipients(organiser, q="%") == []  # a wildcard is a character like any other


def test_unknown_values_filter_nothing_out(organiser, two_days):
    everything = recipients(organiser)
    assert recipients(organiser, event="no-such-day", kind="<script>", status="lost", page="x") == everything


def test_the_form_keeps_its_values_and_shows_labels_in_dutch(organiser, two_days):
    page = organiser.get(
        "/organiser/outbox",
        query_string={"event": two_days["a"], "kind": "registration_confirmed", "status": "failed", "q": "jan"},
        headers=NL,
    ).text
    assert f'<option value="{two_days["a"]}" selected>' in page
    assert '<option value="registration_confirmed" selected>' in page
    assert '<option value="failed" selected>' in page
    assert 'name="q" value="jan"' in page
    assert "mislukt" in page  # the status in the reader's language, not its code
    assert ">failed<" not in page and ">registration_confirmed<" not in page


def test_fifty_a_page_and_the_pages_keep_the_filter(organiser, two_days, app):
    with app.app_context():
        for number in range(60):
            enqueue_to(db.session, "newsletter_confirm", f"lezer{number:02}@example.org", "nl", utcnow())
        db.session.commit()
    first = organiser.get("/organiser/outbox?q=example.org").text
    assert len(re.findall(r"<td>lezer\d*@example.org</td>", first)) == 50
    next_link = html.unescape(re.search(r'<a href="([^"]+)">Next page</a>', first).group(1))
    assert "q=example.org" in next_link and "page=2" in next_link
    second = organiser.get(next_link).text
    assert len(re.findall(r"<td>lezer\d*@example.org</td>", second)) == 11
    assert "Previous page" in second and "Next page" not in second
    assert organiser.get("/organiser/outbox?page=" + "9" * 30).status_code == 404
