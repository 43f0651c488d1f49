"""Exact hostile payloads that once crashed a route (5xx): each gets a clear 400 or 404, or at the
desk the red "invalid" card, on SQLite and PostgreSQL."""

import re

import pytest
from sqlalchemy import func, select

from eventapp.checkin.models import Scan
from eventapp.platform.extensions import db
from eventapp.registration.models import Registration
from tests.checkin.test_api import make_people
from tests.conftest import load_demo

pytestmark = pytest.mark.both_databases

API = "/api/v1/checkin"
SURROGATE = "\\ud800"  # a lone surrogate as JSON spells it: valid JSON, not encodable as UTF-8
DEEP = 5000


@pytest.fixture
def people(app, make_event):
    with app.app_context():
        return make_people(make_event)


@pytest.fixture
def device(make_device):
    return {"Authorization": f"Bearer {make_device('Handheld 1')}", "Content-Type": "application/json"}


def post(client, body: str, headers: dict, path: str = API):
    """POST a JSON body exactly as written (the test client's `json=` would re-encode it)."""
    return client.post(path, data=body.encode(), headers=headers)


def scan_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Scan))


def test_lone_surrogate_in_a_code_is_an_invalid_scan(app, client, people, device):
    for code in (SURROGATE, people["confirmed"] + SURROGATE):
        response = post(client, f'{{"code": "{code}", "event": "{people["slug"]}"}}', device)
        assert response.status_code == 200, response.get_data(as_text=True)[:300]
        assert (response.get_json()["status"], response.get_json()["person"]) == ("invalid", None)


@pytest.mark.parametrize("field", ["scan_id", "event", "scanned_at", "mode"])
def test_lone_surrogate_in_other_fields_is_400(app, client, people, device, field):
    body = f'{{"code": "{people["confirmed"]}", "event": "{people["slug"]}", "{field}": "x{SURROGATE}"}}'
    if field == "event":
        body = f'{{"code": "{people["confirmed"]}", "event": "{SURROGATE}"}}'
    response = post(client, body, device)
    assert response.status_code == 400 and response.get_json()["error"] == "bad_request"
    assert scan_count(app) == 0


@pytest.mark.parametrize("path", [API, f"{API}/undo"])
@pytest.mark.parametrize("shape", ["array", "object", "in_code"])
def test_json_nested_5000_deep_is_400(client, people, device, path, shape):
    body = {
        "array": "[" * DEEP + "]" * DEEP,
        "object": '{"a":' * DEEP + "1" + "}" * DEEP,
        "in_code": '{"code": ' + "[" * DEEP + "]" * DEEP + "}",
    }[shape]
    response = post(client, body, device, path)
    assert response.status_code == 400 and response.get_json()["error"] == "bad_request"


@pytest.mark.parametrize(
    "moment",
    [
        "0001-01-01T00:00:00+01:00",  # overflowed when converted to UTC
        "9999-12-31T23:59:59-01:00",
        "0001-01-01T00:00:00+00:00",  # converts, but no scan happened then
        "9999-12-31T23:59:59Z",
        "2000-01-01T00:00:00Z",
    ],
)
def test_unbelievable_scan_times_are_400(app, client, people, device, moment):
    body = f'{{"code": "{people["confirmed"]}", "event": "{people["slug"]}", "scanned_at": "{moment}"}}'
    response = post(client, body, device)
    assert response.status_code == 400 and "scanned_at" in response.get_json()["message"]
    assert scan_count(app) == 0


@pytest.mark.parametrize("session_id", ["10000000000000000000000", "-10000000000000000000000", "9223372036854775808"])
def test_session_id_beyond_any_row_is_400(client, people, device, session_id):
    scan = f'"code": "{people["confirmed"]}", "event": "{people["slug"]}", "mode": "session"'
    body = f'{{{scan}, "session_id": {session_id}}}'
    response = post(client, body, device)
    assert response.status_code == 400 and "session_id" in response.get_json()["message"]


def test_registration_id_beyond_any_row_is_an_invalid_scan(client, people, make_user, login):
    login(*make_user("desk"))
    page = client.get(f"/staff/checkin?event={people['slug']}").get_data(as_text=True)
    headers = {"X-CSRFToken": re.search(r'data-csrf="([^"]+)"', page).group(1), "Content-Type": "application/json"}
    response = post(client, f'{{"registration_id": {10**22}, "event": "{people["slug"]}"}}', headers)
    assert response.status_code == 200 and response.get_json()["status"] == "invalid"


@pytest.mark.parametrize("length", [201, 1001, 60_000])
def test_a_code_of_any_length_that_is_not_ours_is_invalid(app, client, people, device, length):
    code = (people["confirmed"] * (length // len(people["confirmed"]) + 1))[:length]
    response = post(client, f'{{"code": "{code}", "event": "{people["slug"]}"}}', device)
    assert response.status_code == 200
    assert (response.get_json()["status"], response.get_json()["reason"]) == ("invalid", "unknown_code")
    assert scan_count(app) == 1  # recorded like any other scan


def id_rules(app):
    """Every route with a database id (`..._id`) in its address."""
    return [rule for rule in app.url_map.iter_rules() if any(name.endswith("_id") for name in rule.arguments)]


def test_every_integer_in_an_address_that_names_a_row_is_an_id(app):
    """A new route with `<int:...>` for a row would bring the 500 back: only counters may be int."""
    ints = {
        (rule.rule, name)
        for rule in app.url_map.iter_rules()
        for name, converter in rule._converters.items()
        if type(converter).__name__ == "IntegerConverter"
    }
    assert ints == {("/organiser/mail/<id:mail_id>/part/<int:index>", "index")}


def test_ids_beyond_any_row_in_addresses_are_404(app, client, make_user, login):
    slug = load_demo(app)
    login(*make_user("organiser"))
    page = client.get(f"/organiser/e/{slug}/edit").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    with app.app_context():
        manage_token = db.session.scalar(select(Registration.manage_token))
    assert len(id_rules(app)) >= 15
    for rule in id_rules(app):
        values = {name: 10**20 for name in rule.arguments}
        values.update(slug=slug, token=manage_token or "x", fmt="csv", index=0)
        path = rule.build(values, append_unknown=False)[1]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(path, method=method, data={"csrf_token": token})
            assert response.status_code == 404, (method, path, response.status_code)
