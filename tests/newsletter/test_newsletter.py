"""The newsletter through a real SMTP server on loopback: double opt-in, one-click unsubscribe, export."""

import csv
import datetime as dt
import io
import re

import pytest
from python_calamine import CalamineWorkbook
from sqlalchemy import func, select

from eventapp.newsletter import services
from eventapp.newsletter.models import Subscriber, SubscriberStatus
from eventapp.platform.db import utcnow
from eventapp.platform.extensions import db
from eventapp.platform.mail.models import OutgoingMail
from eventapp.platform.mail.sender import deliver_due, sending_context

PUBLIC_URL = "https://events.example.org"


@pytest.fixture
def app_settings(smtp_port):
    return {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": smtp_port, "MAIL_SUPPRESS_SEND": False, "PUBLIC_URL": PUBLIC_URL}


def deliver(app):
    with app.app_context(), sending_context(app):
        return deliver_due()


def csrf_of(client, path):
    html = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', html).group(1)


def sign_up(client, email, **fields):
    data = {
        "email": email,
        "name": "Ann",
        "language": "en",
        "consent": "y",
        "source": "form",
    }
    data.update(fields)
    return client.post("/newsletter", data=data)


def text_of(message):
    return message.get_body(("plain",)).get_content()


def local_path(url: str) -> str:
    assert url.startswith(PUBLIC_URL)
    return url[len(PUBLIC_URL) :]


def test_double_opt_in(app, client, smtp):
    response = sign_up(client, "Ann@Example.org")
    assert response.status_code == 302 and response.headers["Location"] == "/newsletter/check-mail"
    with app.app_context():
        subscriber = db.session.scalar(select(Subscriber))
        expected = ("ann@example.org", SubscriberStatus.PENDING, "form")
        assert (subscriber.email, subscriber.status, subscriber.source) == expected
        assert subscriber.consent_version == services.CONSENT_VERSION and subscriber.consented_at
    deliver(app)
    (message,) = smtp.wait_for(1)
    assert message["To"].addresses[0].addr_spec == "ann@example.org"
    link = re.search(r"https://\S+/newsletter/confirm/\S+", text_of(message)).group(0)
    page = client.get(local_path(link))
    assert page.status_code == 200 and "Yes, send me the newsletter" in page.get_data(as_text=True)
    with app.app_context():
        # opening the link confirms nothing
        assert db.session.scalar(select(Subscriber.status)) == SubscriberStatus.PENDING
    confirmed = client.post(local_path(link), data={"csrf_token": csrf_of(client, local_path(link))})
    assert confirmed.status_code == 200 and "You are subscribed" in confirmed.get_data(as_text=True)
    with app.app_context():
        subscriber = db.session.scalar(select(Subscriber))
        assert subscriber.status == SubscriberStatus.CONFIRMED and subscriber.confirmed_at >= subscriber.consented_at


def test_signing_up_needs_no_cookie_and_public_pages_set_none(client, demo_slug):
    """Double opt-in makes a forged sign-up harmless, so the footer form carries no CSRF token: public pages are
    the same for everyone, set no cookie, and the event page can be cached."""
    for path in ("/", f"/e/{demo_slug}/", "/newsletter", "/privacy"):
        page = client.get(path)
        assert page.status_code == 200 and "Set-Cookie" not in page.headers, path
        assert "csrf_token" not in page.get_data(as_text=True), path
    answer = client.post(
        "/newsletter", data={"email": "cookieless@example.org", "language": "nl", "consent": "y", "source": "footer"}
    )
    assert answer.status_code == 302 and answer.headers["Location"] == "/newsletter/check-mail"


def test_the_same_answer_for_known_and_unknown_addresses_and_few_mails(app, client, smtp):
    app.config["NEWSLETTER_RATE_LIMIT"] = "100 per minute"  # this test is about the per-address limit
    answers = [sign_up(client, "same@example.org") for _ in range(6)]
    other = sign_up(client, "new@example.org")
    assert {(a.status_code, a.headers["Location"]) for a in [*answers, other]} == {(302, "/newsletter/check-mail")}
    with app.app_context():
        mails = db.session.scalar(
            select(func.count()).select_from(OutgoingMail).where(OutgoingMail.recipient == "same@example.org")
        )
        assert mails == services.CONFIRMATION_MAILS_PER_HOUR
        subscriber = db.session.scalar(select(Subscriber).where(Subscriber.email == "same@example.org"))
        subscriber.status = SubscriberStatus.CONFIRMED
        db.session.commit()
    again = sign_up(client, "same@example.org")
    assert again.headers["Location"] == "/newsletter/check-mail"
    with app.app_context():
        status = db.session.scalar(select(Subscriber.status).where(Subscriber.email == "same@example.org"))
        assert status == SubscriberStatus.CONFIRMED


def test_honeypot_and_rate_limit(app, client):
    trapped = sign_up(client, "bot@example.org", website="http://spam.example")
    assert trapped.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Subscriber)) == 0
    statuses = [sign_up(client, f"loop{n}@example.org").status_code for n in range(8)]
    assert 429 in statuses
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Subscriber)) < 8


def confirmed_subscriber(app, email="reader@example.org", language="en"):
    with app.app_context():
        subscriber = services.sign_up(db.session, email, "Reader", language, "form", utcnow())
        subscriber.status, subscriber.confirmed_at = SubscriberStatus.CONFIRMED, utcnow()
        db.session.execute(OutgoingMail.__table__.delete())
        db.session.commit()
        return subscriber.unsubscribe_token


def test_newsletter_has_rfc_8058_headers_and_one_click_post_unsubscribes(app, client, smtp):
    token = confirmed_subscriber(app)
    with app.app_context():
        assert services.send_newsletter(db.session, "Nieuws", "Eerste alinea.\n\nTweede alinea.", utcnow()) == 1
        db.session.commit()
    deliver(app)
    (message,) = smtp.wait_for(1)
    unsubscribe_url = f"{PUBLIC_URL}/newsletter/unsubscribe/{token}"
    # The https link first (RFC 8058), then a mail to the organiser for mail programs that only send mail.
    assert message["List-Unsubscribe"] == f"<{unsubscribe_url}>, <mailto:noreply@localhost?subject=unsubscribe>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe_url in text_of(message) and unsubscribe_url in message.get_body(("html",)).get_content()
    # The mail program's one-click request: a POST with that body, no cookies, no CSRF token.
    response = app.test_client().post(
        local_path(unsubscribe_url), data="List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    # The request names no language; the answer is in the subscriber's (English).
    assert response.status_code == 200 and "You are unsubscribed" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Subscriber.status)) == SubscriberStatus.UNSUBSCRIBED
        assert services.send_newsletter(db.session, "Meer nieuws", "Tekst", utcnow()) == 0


def test_opening_the_unsubscribe_link_changes_nothing_its_button_unsubscribes(app, smtp):
    token = confirmed_subscriber(app, language="nl")
    checker = app.test_client()  # a link checker in a mail system, asking for English
    checker.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    page = checker.get(f"/newsletter/unsubscribe/{token}").get_data(as_text=True)
    assert "Ja, meld mij af" in page  # one button, in the subscriber's language
    form = re.search(r'<form method="post" action="([^"]+)">', page)
    assert form and form.group(1) == f"/newsletter/unsubscribe/{token}"
    with app.app_context():
        assert db.session.scalar(select(Subscriber.status)) == SubscriberStatus.CONFIRMED
    response = app.test_client().post(form.group(1))  # the button: a plain form POST
    assert response.status_code == 200 and "U bent afgemeld" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Subscriber.status)) == SubscriberStatus.UNSUBSCRIBED
    assert "U bent afgemeld" in checker.get(f"/newsletter/unsubscribe/{token}").get_data(as_text=True)


def test_unsubscribing_twice_is_fine_and_resubscribing_needs_confirmation(app, client, smtp):
    token = confirmed_subscriber(app)
    page = client.post(f"/newsletter/unsubscribe/{token}")
    assert page.status_code == 200 and "You are unsubscribed" in page.get_data(as_text=True)
    assert client.post(f"/newsletter/unsubscribe/{token}").status_code == 200  # again: still fine
    assert client.get("/newsletter/unsubscribe/forged").status_code == 404
    assert client.post("/newsletter/unsubscribe/forged").status_code == 404
    sign_up(client, "reader@example.org")
    with app.app_context():
        assert db.session.scalar(select(Subscriber.status)) == SubscriberStatus.PENDING
    deliver(app)
    assert "confirm" in text_of(smtp.wait_for(1)[0])


def test_an_old_or_forged_confirmation_link_does_not_work(app, client):
    sign_up(client, "late@example.org")
    with app.app_context():
        subscriber = db.session.scalar(select(Subscriber))
        token = services.confirmation_token(app.config["SECRET_KEY"], subscriber)
        with pytest.raises(services.InvalidLink):
            services.confirm(db.session, app.config["SECRET_KEY"], token[:-3] + "abc", utcnow())
        with pytest.raises(services.InvalidLink):
            services.confirm(db.session, "another secret key of enough length", token, utcnow())
        subscriber.consented_at = utcnow() - dt.timedelta(minutes=1)  # signed up again since: the old link is spent
        db.session.commit()
        with pytest.raises(services.InvalidLink):
            services.confirm(db.session, app.config["SECRET_KEY"], token, utcnow())
    response = client.post(f"/newsletter/confirm/{token}", data={"csrf_token": csrf_of(client, "/staff/login")})
    assert response.status_code == 400


def test_unconfirmed_sign_ups_are_purged_after_30_days(app, runner):
    with app.app_context():
        old = services.sign_up(db.session, "old@example.org", "", "nl", "form", utcnow() - dt.timedelta(days=31))
        services.sign_up(db.session, "fresh@example.org", "", "nl", "form", utcnow())
        old_id = old.id
        db.session.commit()
    assert (
        "1 unconfirmed sign-ups older than 30 days would be deleted"
        in runner.invoke(args=["purge-unconfirmed", "--dry-run"]).output
    )
    assert "Deleted 1" in runner.invoke(args=["purge-unconfirmed"]).output
    with app.app_context():
        assert db.session.get(Subscriber, old_id) is None
        assert db.session.scalar(select(func.count()).select_from(Subscriber)) == 1


def test_the_registration_box_signs_up_with_its_own_confirmation(app, client, demo_slug):
    from tests.registration.test_pages import csrf_token, form_data

    page = client.get(f"/e/{demo_slug}/register").get_data(as_text=True)
    client.post(f"/e/{demo_slug}/register", data=form_data(app, csrf_token(page), newsletter="y"))
    with app.app_context():
        subscriber = db.session.scalar(select(Subscriber))
        assert (subscriber.email, subscriber.status, subscriber.source) == (
            "sylvia@example.org",
            SubscriberStatus.PENDING,
            "registration",
        )


def test_organisers_see_counts_and_export_confirmed_subscribers_only(app, client, make_user, login):
    confirmed_subscriber(app, "yes@example.org", "nl")
    with app.app_context():
        services.sign_up(db.session, "pending@example.org", "", "en", "footer", utcnow())
        gone = services.sign_up(db.session, "gone@example.org", "", "en", "form", utcnow())
        gone.status = SubscriberStatus.UNSUBSCRIBED
        db.session.commit()
    assert client.get("/organiser/newsletter").status_code == 302
    login(*make_user("organiser"))
    page = client.get("/organiser/newsletter").get_data(as_text=True)
    assert re.search(r'stat-value">1<', page)
    exported = client.get("/organiser/newsletter/subscribers.csv")
    rows = list(csv.reader(io.StringIO(exported.get_data(as_text=True)[1:])))
    assert rows[0] == ["E-mail", "Name", "Language", "Consent given", "Confirmed", "Form"]
    assert [row[0] for row in rows[1:]] == ["yes@example.org"] and rows[1][2] == "nl"
    assert client.get("/organiser/newsletter/subscribers.xlsx").status_code == 200


def test_the_footer_of_every_public_page_signs_up(client, demo_slug):
    for path in ("/", f"/e/{demo_slug}/", "/privacy"):
        html = client.get(path).get_data(as_text=True)
        assert 'action="/newsletter"' in html and 'name="website"' in html


SUBSCRIBER_EXPORT = {
    "nl": (["E-mail", "Naam", "Taal", "Toestemming gegeven", "Bevestigd", "Formulier"], "nieuwsbriefpagina", ";"),
    "en": (["E-mail", "Name", "Language", "Consent given", "Confirmed", "Form"], "newsletter page", ","),
}


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_subscriber_export_speaks_the_organisers_language(app, client, make_user, login, language):
    with app.app_context():
        subscriber = services.sign_up(db.session, "sum@example.org", "=SUM(A1)", "nl", "form", utcnow())
        subscriber.status, subscriber.confirmed_at = SubscriberStatus.CONFIRMED, utcnow()
        db.session.commit()
    login(*make_user("organiser"))
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = language
    header, form, delimiter = SUBSCRIBER_EXPORT[language]
    exported = client.get("/organiser/newsletter/subscribers.csv").data
    assert exported.startswith(b"\xef\xbb\xbf")
    as_csv = list(csv.reader(io.StringIO(exported[3:].decode("utf-8")), delimiter=delimiter))
    assert as_csv[0] == header and as_csv[1][1] == "'=SUM(A1)" and as_csv[1][5] == form  # CSV keeps its quote
    xlsx = client.get("/organiser/newsletter/subscribers.xlsx").data
    as_xlsx = CalamineWorkbook.from_filelike(io.BytesIO(xlsx)).get_sheet_by_index(0).to_python()
    assert as_xlsx[0] == header and as_xlsx[1][1] == "=SUM(A1)" and as_xlsx[1][5] == form  # a text cell, as typed
    assert isinstance(as_xlsx[1][3], dt.datetime)


def pending_confirmation(app, language: str) -> str:
    """The path of a fresh sign-up's confirmation link."""
    with app.app_context():
        subscriber = services.sign_up(db.session, "reader@example.org", "Reader", language, "form", utcnow())
        db.session.commit()
        return f"/newsletter/confirm/{services.confirmation_token(app.config['SECRET_KEY'], subscriber)}"


@pytest.mark.parametrize(
    ("stored", "browser", "button", "done"),
    [
        ("nl", "en", "Ja, stuur mij de nieuwsbrief", "U bent aangemeld"),
        ("en", "nl", "Yes, send me the newsletter", "You are subscribed"),
    ],
)
def test_the_confirmation_pages_speak_the_subscribers_language(app, stored, browser, button, done):
    path = pending_confirmation(app, stored)
    reader = app.test_client()
    reader.environ_base["HTTP_ACCEPT_LANGUAGE"] = browser
    page = reader.get(path).get_data(as_text=True)
    assert button in page and f'<html lang="{stored}">' in page
    confirmed = reader.post(path, data={"csrf_token": csrf_of(reader, path)})
    assert confirmed.status_code == 200 and done in confirmed.get_data(as_text=True)


def test_a_visitor_who_chose_a_language_keeps_it_on_the_confirmation_page(app):
    path = pending_confirmation(app, "nl")
    reader = app.test_client()
    reader.get("/language/en")  # the language switch on every page
    assert "Yes, send me the newsletter" in reader.get(path).get_data(as_text=True)


def test_the_unsubscribe_pages_speak_the_subscribers_language_not_the_browsers(app):
    token = confirmed_subscriber(app, language="en")
    reader = app.test_client()
    reader.environ_base["HTTP_ACCEPT_LANGUAGE"] = "nl"
    assert "Yes, unsubscribe me" in reader.get(f"/newsletter/unsubscribe/{token}").get_data(as_text=True)
    assert "You are unsubscribed" in reader.post(f"/newsletter/unsubscribe/{token}").get_data(as_text=True)
