"""Every route of the app, fed malformed and hostile input: a clear answer, never a crash.

Hypothesis draws a route from app.url_map, values for its path, a method, and a body (random
form fields, duplicated fields, JSON that is wrong in shape, bytes that are not UTF-8, very long
values, forged and truncated tokens, lone surrogates, ids beyond 64 bits, JSON nested 5,000 deep,
scan times in year 1 or 9999). No answer may be a 5xx or show a traceback, and a refused
request (4xx) must leave the database as it was.
"""

import json
import re

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from eventapp.platform.extensions import db
from eventapp.registration.models import Registration
from tests.conftest import load_demo
from tests.registration.test_pages import csrf_token, form_data

HOSTILE = [
    "",
    " ",
    "0",
    "-1",
    "999999999999",
    "null",
    "../../etc/passwd",
    "%00",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "=cmd|' /C calc'!A0",
    "\u202e\u0000",
    "😀" * 50,
    "x" * 5000,
    "ä\r\nBcc: a@b.c",
    "{{7*7}}",
    "${jndi:ldap://x}",
]
text = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=300))
# Only JSON can carry these (a form or address cannot spell a lone surrogate); each once gave a 500.
JSON_HOSTILE = ["\ud800", "x\udfff", "0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00", "1" * 1001]
BIG_NUMBERS = [10**20, 10**22, -(10**22), 2**63]
DEEP_JSON = [b"[" * 5000 + b"]" * 5000, b'{"code": ' + b"[" * 5000 + b"]" * 5000 + b"}"]
form_fields = st.lists(
    st.tuples(
        st.sampled_from(
            [
                "email",
                "name",
                "organisation",
                "role",
                "language",
                "consent",
                "code",
                "q",
                "session_id",
                "choice_1",
                "second_1",
                "csrf_token",
                "confirm",
                "capacity",
                "date",
                "slug",
                "website",
            ]
        )
        | st.text(max_size=20),
        text,
    ),
    max_size=12,
)
json_bodies = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.sampled_from(BIG_NUMBERS)
    | st.floats(allow_nan=False)
    | text
    | st.sampled_from(JSON_HOSTILE),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                ["code", "event", "mode", "session_id", "scan_id", "scanned_at", "registration_id", "admit_anyway"]
            )
            | st.text(max_size=10),
            children,
            max_size=6,
        )
    ),
    max_leaves=12,
)
METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH"]


def fingerprint():
    """Row counts of every table: a refused request must not change them."""
    return {
        table.name: db.session.scalar(select(func.count()).select_from(table)) for table in db.metadata.sorted_tables
    }


@pytest.fixture
def world(app, client, make_user, login, make_device):
    """The demo day with one registration, an organiser logged in on `client`, a device token."""
    slug = load_demo(app)
    page = client.get(f"/e/{slug}/register").get_data(as_text=True)
    client.post(f"/e/{slug}/register", data=form_data(app, csrf_token(page)))
    login(*make_user("organiser"))
    with app.app_context():
        registration = db.session.scalar(select(Registration))
        manage, ticket = registration.manage_token, registration.ticket_code
    staff_page = client.get(f"/staff/checkin?event={slug}").get_data(as_text=True)
    csrf = re.search(r'data-csrf="([^"]+)"', staff_page).group(1)
    return {"slug": slug, "token": manage, "ticket": ticket, "csrf": csrf, "device": make_device("fuzz")}


def path_value(draw, name: str, converter: str, world: dict):
    if converter in ("IntegerConverter", "DatabaseIdConverter"):
        return draw(st.integers(min_value=0, max_value=10**6) | st.sampled_from([1, 2, 3, *BIG_NUMBERS[:2]]))
    real = {"slug": world["slug"], "token": world["token"], "fmt": "csv", "filename": "css/app.css"}.get(name, "x")
    candidates = [real, real[:-1], real + "x", real.upper()]
    return draw(st.sampled_from(candidates) | text.filter(lambda v: "/" not in v and v not in (".", "..")))


@st.composite
def requests(draw, rule, world):
    values = {name: path_value(draw, name, type(rule._converters[name]).__name__, world) for name in rule.arguments}
    try:
        path = rule.build(values, append_unknown=False)[1]
    except Exception:  # a value the route's converter cannot even put in a URL
        assume(False)
    own = sorted(rule.methods - {"HEAD", "OPTIONS"})
    method = (
        draw(st.sampled_from(own) | st.sampled_from(METHODS))
        if draw(st.integers(0, 3))
        else draw(st.sampled_from(METHODS))
    )
    kinds = ["form", "form+csrf", "json", "json+auth", "raw", "none"]
    if rule.rule.startswith("/api/"):  # JSON routes: mostly JSON, of every shape
        kinds = ["json", "json+auth", "json+auth", "json", "form", "raw"]
    kind = draw(st.sampled_from(kinds))
    headers, body = {}, {}
    if kind.startswith("form"):
        fields = draw(form_fields)
        if kind == "form+csrf":
            fields.append(("csrf_token", world["csrf"]))
        body = {"data": MultiDict(fields)}  # duplicated keys stay duplicated
    elif kind.startswith("json"):
        code = st.sampled_from([world["ticket"], world["ticket"][:10], world["token"], *JSON_HOSTILE]) | text
        payload = draw(
            st.one_of(
                st.lists(json_bodies, min_size=1, max_size=3),  # an array where an object belongs
                st.dictionaries(
                    st.sampled_from(["code", "event", "mode", "session_id", "scan_id"]), json_bodies, max_size=5
                ),
                json_bodies,
                st.fixed_dictionaries(
                    {"code": code},
                    optional={
                        "mode": json_bodies,
                        "scan_id": json_bodies,
                        "scanned_at": json_bodies,
                        "session_id": json_bodies,
                    },
                ),
            )
        )
        body = {"data": json.dumps(payload), "content_type": "application/json"}
        headers["X-CSRFToken"] = world["csrf"]
        if kind == "json+auth":
            headers["Authorization"] = draw(
                st.sampled_from([f"Bearer {world['device']}", "Bearer forged", "Basic x", "Bearer " + "x" * 300])
            )
    elif kind == "raw":
        body = {
            "data": draw(st.binary(max_size=400).map(lambda b: b + b"\xff\xfe\xc3") | st.sampled_from(DEEP_JSON)),
            "content_type": draw(
                st.sampled_from(
                    ["application/json", "application/x-www-form-urlencoded", "text/plain", "multipart/form-data"]
                )
            ),
        }
    query = draw(
        st.sampled_from(
            [
                b"",
                b"q=%ff%fe",
                b"event=" + world["slug"].encode(),
                b"page=-1&session=x&checked_in=maybe",
                b"a=" + b"b" * 3000,
            ]
        )
    )
    return path, method, headers, body, query


def all_rules():
    from eventapp import create_app

    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    return sorted(rule.rule for rule in app.url_map.iter_rules())


RULES = all_rules()


def test_the_walk_reaches_every_area():
    """The walked routes are the app's own, from every area's blueprint (a factory that lost one would show)."""
    for route in (
        "/e/<slug>/register",
        "/r/<token>",
        "/api/v1/checkin",
        "/organiser/",
        "/staff/login",
        "/verify/<code>",
    ):
        assert route in RULES, route
    assert len(RULES) > 50


@pytest.mark.both_databases
@pytest.mark.parametrize("rule_text", RULES)
def test_no_route_crashes_on_bad_input(app, client, world, rule_text):
    (rule,) = [rule for rule in app.url_map.iter_rules() if rule.rule == rule_text]
    anonymous = app.test_client()

    @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
    @given(data=st.data())
    def run(data):
        path, method, headers, body, query = data.draw(requests(rule, world))
        browser = data.draw(st.sampled_from([client, anonymous]))
        with app.app_context():
            before = fingerprint()
        response = browser.open(path, method=method, headers=headers, query_string=query.decode("latin-1"), **body)
        status, page = response.status_code, response.get_data()
        response.close()
        assert status < 500, (method, path, status, page[:500])
        assert b"Traceback" not in page and b'File "' not in page, (method, path)
        if 400 <= status < 500:
            with app.app_context():
                assert fingerprint() == before, (method, path, status)

    run()
