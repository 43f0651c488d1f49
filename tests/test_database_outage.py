"""While the database is out of reach: 503 with Retry-After, a calm page for people and JSON for the API.

The databases here really fail (a PostgreSQL port nobody listens on, a SQLite file in a folder that is gone, a
PostgreSQL database dropped under a running app); nothing is mocked.
"""

import shutil

import html5lib
import pytest
from flask_login.utils import _create_identifier
from sqlalchemy.engine import make_url

from eventapp import create_app
from eventapp.platform.extensions import db
from tests.served import free_port

DEVICE = {"Authorization": "Bearer some-device-token"}


@pytest.fixture(params=["postgresql", "sqlite"])
def out_of_reach(request, tmp_path):
    """An app whose database refuses connections."""
    if request.param == "postgresql":
        url = f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/eventapp"
    else:
        folder = tmp_path / "gone"
        folder.mkdir()
        url = f"sqlite:///{folder / 'eventapp.db'}"
        shutil.rmtree(folder)
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": url, "SQLALCHEMY_ENGINE_OPTIONS": {}})
    yield app
    with app.app_context():
        db.engine.dispose()


def logged_in_browser(app):
    """A browser with the session cookie a staff login leaves (with Flask-Login's "strong" protection's id)."""
    browser = app.test_client()
    browser.environ_base["HTTP_USER_AGENT"] = "desk tablet"
    with app.test_request_context(headers={"User-Agent": "desk tablet"}, environ_base={"REMOTE_ADDR": "127.0.0.1"}):
        identifier = _create_identifier()
    with browser.session_transaction() as cookie:
        cookie.update({"_user_id": "a-staff-session-secret", "_fresh": True, "_id": identifier})
    return browser


@pytest.mark.parametrize(
    ("language", "words"),
    [("nl", "De site kan haar gegevens nu niet bereiken"), ("en", "The site cannot reach its data right now")],
)
@pytest.mark.parametrize("path", ["/", "/e/jeugd-en-veiligheid-6/", "/e/jeugd-en-veiligheid-6/register"])
def test_pages_answer_503_with_retry_after_in_the_readers_language(out_of_reach, path, language, words):
    answer = out_of_reach.test_client().get(path, headers={"Accept-Language": language})
    assert answer.status_code == 503
    assert int(answer.headers["Retry-After"]) > 0
    assert answer.mimetype == "text/html"
    page = answer.get_data(as_text=True)
    assert words in page and f'lang="{language}"' in page
    html5lib.HTMLParser(strict=True).parse(page)


def test_a_logged_in_browser_gets_the_page_too(out_of_reach):
    """The page's header asks who is logged in; that must not turn the 503 into a 500."""
    browser = logged_in_browser(out_of_reach)
    answer = browser.get("/staff/checkin", headers={"Accept-Language": "en"})
    assert answer.status_code == 503 and "Back in a moment" in answer.get_data(as_text=True)


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("post", "/api/v1/checkin", {"code": "ABCD-EFGH", "event": "jeugd-en-veiligheid-6"}),
        ("get", "/api/v1/checkin/counts?event=jeugd-en-veiligheid-6", None),
        ("get", "/api/v1/checkin/search?q=jan", None),
    ],
)
def test_the_scan_api_answers_json_503_with_retry_after(out_of_reach, method, path, body):
    """Scanner devices read the answer as JSON and keep the scan for later; an HTML page would confuse them."""
    answer = getattr(out_of_reach.test_client(), method)(path, json=body, headers=DEVICE)
    assert answer.status_code == 503
    assert int(answer.headers["Retry-After"]) > 0
    assert answer.get_json()["error"] == "unavailable"


def test_the_desks_scripts_asking_for_json_get_json(out_of_reach):
    browser = logged_in_browser(out_of_reach)
    answer = browser.get("/staff/checkin/csrf.json", headers={"Accept": "application/json"})
    assert answer.status_code == 503 and answer.get_json()["error"] == "unavailable"


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_a_database_that_goes_away_while_serving(app, demo_slug, database_url, postgres):
    """Served first, then the database is dropped (its connections ended): the next answers are 503s."""
    client = app.test_client()
    assert client.get(f"/e/{demo_slug}/", headers={"Accept-Language": "en"}).status_code == 200
    postgres.drop(make_url(database_url).database)
    page = client.get(f"/e/{demo_slug}/", headers={"Accept-Language": "en"})
    assert page.status_code == 503 and "Back in a moment" in page.get_data(as_text=True)
    scan = client.post("/api/v1/checkin", json={"code": "ABCD-EFGH", "event": demo_slug}, headers=DEVICE)
    assert scan.status_code == 503 and scan.headers["Retry-After"] and scan.get_json()["error"] == "unavailable"
