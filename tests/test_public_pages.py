"""The start page and the event page, as a visitor sees them."""

import datetime as dt
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select, update

from eventapp.events.models import Event, Session
from eventapp.platform.extensions import db

STATIC = Path(__file__).resolve().parent.parent / "eventapp" / "static"
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "poster", "data", "srcset"}


class ReferenceCollector(HTMLParser):
    """Every URL an HTML page refers to."""

    def __init__(self):
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in URL_ATTRIBUTES and value:
                self.urls.extend(
                    part.strip().split(" ")[0] for part in value.split(",") if name == "srcset"
                ) if name == "srcset" else self.urls.append(value)
            if name == "style" and value and "url(" in value:
                self.urls.extend(re.findall(r"url\(['\"]?([^'\")]+)", value))


def external_references(html: str, own_host: str = "") -> list[str]:
    """URLs at another host (a calendar subscription, webcal://, names the app's own public host)."""
    collector = ReferenceCollector()
    collector.feed(html)
    return [url for url in collector.urls if urlsplit(url).netloc not in ("", own_host) or url.startswith("//")]


def test_event_page_shows_the_afternoon_as_a_timeline(client, demo_slug):
    response = client.get(f"/e/{demo_slug}/", headers={"Accept-Language": "en"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    times = re.findall(r"<time>(\d\d:\d\d)</time>", html)
    assert times == [
        "13:30",
        "14:00",
        "14:00",
        "14:20",
        "14:20",
        "15:15",
        "15:15",
        "15:30",
        "15:30",
        "16:20",
        "16:20",
        "16:30",
        "16:30",
        "17:00",
    ]
    for title in [
        "Walk-in",
        "Welcome and introduction",
        "Break",
        "Closure",
        "Networking drinks",
        "Prevention",
        "Repression",
        "Youth in Detention and Care",
        "Aftercare",
        "Early Warning Twente",
        "Dashboard Twente",
        "Safe in and around School (VIOS)",
        "Environmental Advice 2.0",
    ]:
        assert title in html
    assert html.count('class="session card"') == 8
    assert html.count("40 seats left") == 4
    assert html.count("35 seats left") == 4
    assert "Conference centre, Zwolle" in html


def test_event_page_in_dutch_by_default(app, demo_slug):
    html = app.test_client().get(f"/e/{demo_slug}/").get_data(as_text=True)
    assert '<html lang="nl">' in html
    for title in ["Preventie", "Nazorg", "Vroegsignalering Twente", "Omgevingsadvies 2.0", "Netwerkborrel"]:
        assert title in html


def test_seats_left_follow_the_seats_taken(app, client, demo_slug):
    with app.app_context():
        session = db.session.scalar(select(Session).where(Session.title_en == "Prevention"))
        db.session.execute(update(Session).where(Session.id == session.id).values(seats_taken=39))
        full = db.session.scalar(select(Session).where(Session.title_en == "Aftercare"))
        db.session.execute(update(Session).where(Session.id == full.id).values(seats_taken=40))
        db.session.commit()
    html = client.get(f"/e/{demo_slug}/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "1 seat left" in html
    assert html.count("40 seats left") == 2
    assert "Full: waitlist open" in html


def test_unknown_event_is_a_friendly_404(client):
    response = client.get("/e/no-such-day/")
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert "<main" in html and 'href="/"' in html
    assert "Traceback" not in html


def test_start_page_lists_upcoming_events_only(app, client, demo_slug):
    with app.app_context():
        db.session.add(
            Event(
                slug="last-year",
                title_nl="Vorig jaar",
                title_en="Last year",
                date=dt.date(2025, 3, 6),
                venue="Ede",
                capacity=10,
                registration_opens_at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC),
                registration_closes_at=dt.datetime(2025, 3, 1, tzinfo=dt.UTC),
            )
        )
        db.session.commit()
    html = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert f"/e/{demo_slug}/" in html
    assert "/e/last-year/" not in html


def test_start_page_without_events(client):
    response = client.get("/", headers={"Accept-Language": "en"})
    assert response.status_code == 200
    assert "No program days are planned" in response.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/", "/e/jeugd-en-veiligheid-6/", "/e/unknown/"])
def test_no_page_refers_to_another_host(app, client, demo_slug, path):
    response = client.get(path)
    own_host = urlsplit(app.config["PUBLIC_URL"]).netloc
    html = response.get_data(as_text=True)
    # The one exception: the venue's route, a plain link the visitor may follow (nothing is loaded from there).
    route = re.findall(r'<a href="(https://www\.openstreetmap\.org/search\?query=[^"]+)"', html)
    assert [url for url in external_references(html, own_host) if url not in route] == []
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy


def test_stylesheets_load_nothing_from_elsewhere():
    for css in STATIC.rglob("*.css"):
        text = css.read_text("utf-8")
        assert not re.search(r"@import|url\(\s*['\"]?(https?:)?//", text), css


def test_static_files_are_served(client):
    with client.get("/static/css/app.css") as response:
        assert response.status_code == 200
        assert response.mimetype == "text/css"
