"""The erase dump: after an erase or the retention purge, no table (and no SQLite file) holds the person."""

import datetime as dt
import re
from pathlib import Path

import pytest
from sqlalchemy import select, update
from sqlalchemy.engine import make_url

from eventapp.events.models import Event
from eventapp.newsletter.models import Subscriber, SubscriberStatus
from eventapp.platform.db import utcnow
from eventapp.platform.extensions import db
from eventapp.platform.mail import outbox
from eventapp.registration.models import Registration, RegistrationMail
from tests.registration.test_pages import csrf_token, form_data

pytestmark = pytest.mark.both_databases

PERSON = {
    "name": "Wilhelmina Zonneveldtstra",
    "email": "w.zonneveldtstra@quirkydomain.example",
    "organisation": "Stichting Kwispelstaart",
}


def register_person(app, client, slug, **fields) -> str:
    """Register PERSON with the newsletter box ticked; returns the manage token."""
    page = client.get(f"/e/{slug}/register").get_data(as_text=True)
    data = form_data(app, csrf_token(page), newsletter="y", **{**PERSON, **fields})
    assert client.post(f"/e/{slug}/register", data=data).status_code == 302
    with app.app_context():  # the personal link travels by mail
        return db.session.scalar(select(Registration.manage_token).where(Registration.email == PERSON["email"]))


def queue_more_mail(app, token: str) -> None:
    """A reminder too, so the outbox holds more than the confirmation mails."""
    with app.app_context():
        registration = db.session.scalar(select(Registration).where(Registration.manage_token == token))
        outbox.enqueue(db.session, RegistrationMail.REMINDER, registration, utcnow())
        db.session.commit()


def ticked_by_default(html: str) -> bool:
    box = re.search(r'<input[^>]*name="remove_newsletter"[^>]*>', html)
    return box is not None and " checked" in box.group(0)


def dump(app) -> str:
    """Every row of every table, as text."""
    with app.app_context():
        rows = [
            repr(tuple(row)) for table in db.metadata.sorted_tables for row in db.session.execute(select(table)).all()
        ]
        db.session.remove()
    return "\n".join(rows)


def assert_gone(app, backend, secrets: list[str]) -> None:
    text = dump(app).lower()
    for secret in secrets:
        assert secret.lower() not in text, secret
    if backend == "sqlite":
        path = Path(make_url(app.config["SQLALCHEMY_DATABASE_URI"]).database)
        for file in (path, Path(f"{path}-wal")):
            if file.exists():
                assert PERSON["email"].encode() not in file.read_bytes(), file.name


def test_the_erase_form_leaves_nothing_of_the_person(app, client, demo_slug, backend):
    token = register_person(app, client, demo_slug)
    queue_more_mail(app, token)
    before = dump(app)
    assert PERSON["email"] in before and token in before  # the dump sees what it looks for
    html = client.get(f"/r/{token}").get_data(as_text=True)
    assert ticked_by_default(html)
    data = {"csrf_token": csrf_token(html), "confirm_erase": "y", "remove_newsletter": "y"}
    assert client.post(f"/r/{token}/erase", data=data).status_code == 200
    assert_gone(app, backend, [*PERSON.values(), token])


def test_the_organiser_erase_leaves_nothing_of_the_person(app, client, demo_slug, backend, make_user, login):
    token = register_person(app, client, demo_slug)
    queue_more_mail(app, token)
    login(*make_user("organiser"))
    with app.app_context():
        registration_id = db.session.scalar(select(Registration.id))
    page = client.get(f"/organiser/e/{demo_slug}/people/{registration_id}/erase").get_data(as_text=True)
    assert ticked_by_default(page)  # on the confirmation page
    data = {"csrf_token": csrf_token(page), "remove_newsletter": "y", "confirm": "yes"}
    response = client.post(f"/organiser/e/{demo_slug}/people/{registration_id}/erase", data=data)
    assert response.status_code == 302
    assert_gone(app, backend, [*PERSON.values(), token])
    person, dashboard = f"/organiser/e/{demo_slug}/people/{registration_id}", f"/organiser/e/{demo_slug}/"
    for path in (person, dashboard, f"/organiser/e/{demo_slug}/message", "/organiser/newsletter"):
        assert client.get(path).status_code == 200


def test_an_unticked_box_keeps_the_newsletter_subscription(app, client, demo_slug):
    token = register_person(app, client, demo_slug)
    html = client.get(f"/r/{token}").get_data(as_text=True)
    assert (
        client.post(f"/r/{token}/erase", data={"csrf_token": csrf_token(html), "confirm_erase": "y"}).status_code == 200
    )
    with app.app_context():
        assert db.session.scalar(select(Subscriber.email)) == PERSON["email"]
        assert db.session.scalar(select(Registration.email)) != PERSON["email"]


def age_event(app, slug: str) -> None:
    with app.app_context():
        db.session.execute(update(Event).where(Event.slug == slug).values(date=dt.date.today() - dt.timedelta(days=91)))
        db.session.commit()


def test_the_retention_purge_leaves_nothing_of_the_person(app, client, runner, demo_slug, backend):
    token = register_person(app, client, demo_slug)
    queue_more_mail(app, token)
    age_event(app, demo_slug)
    assert "1 registrations anonymised" in runner.invoke(args=["purge-personal-data"]).output
    assert_gone(app, backend, [*PERSON.values(), token])


def test_the_retention_purge_keeps_a_subscription_the_subscriber_confirmed(app, client, runner, demo_slug):
    register_person(app, client, demo_slug)
    with app.app_context():
        subscriber = db.session.scalar(select(Subscriber))
        subscriber.status, subscriber.confirmed_at = SubscriberStatus.CONFIRMED, utcnow()
        db.session.commit()
    age_event(app, demo_slug)
    runner.invoke(args=["purge-personal-data"])
    with app.app_context():
        assert db.session.scalar(select(Subscriber.status)) == SubscriberStatus.CONFIRMED
        assert db.session.scalar(select(Registration.name)) == "(erased)"
