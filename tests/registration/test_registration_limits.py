"""Registration limits per client address and per address prefix: an office registers 30 colleagues, a script
with 160 made-up people does not (the defaults of REGISTRATION_RATE_LIMIT and REGISTRATION_PREFIX_RATE_LIMIT)."""

import pytest
from sqlalchemy import func, select

from eventapp.platform.extensions import db
from eventapp.registration.limits import address_prefix
from eventapp.registration.models import Registration
from tests.registration.test_pages import csrf_token, form_data


def post_as(app, client, slug: str, address: str, number: int, language: str = "en"):
    page = client.get(f"/e/{slug}/register", environ_base={"REMOTE_ADDR": address}).get_data(as_text=True)
    data = form_data(app, csrf_token(page), email=f"colleague{number}@example.org", name=f"Colleague {number}")
    return client.post(
        f"/e/{slug}/register",
        data=data,
        environ_base={"REMOTE_ADDR": address},
        headers={"Accept-Language": language},
    )


def registrations(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Registration))


def test_an_office_behind_one_address_registers_30_colleagues_and_the_41st_is_refused(app, client, demo_slug):
    before = registrations(app)
    assert [post_as(app, client, demo_slug, "203.0.113.7", n).status_code for n in range(30)] == [302] * 30
    assert [post_as(app, client, demo_slug, "203.0.113.7", n).status_code for n in range(30, 40)] == [302] * 10
    refused = post_as(app, client, demo_slug, "203.0.113.7", 40, language="nl")
    page = refused.get_data(as_text=True)
    assert refused.status_code == 429 and 3500 < int(refused.headers["Retry-After"]) <= 3600
    assert "Te veel verzoeken" in page and "Wacht 60 minuten" in page  # how long, in the reader's language
    assert registrations(app) == before + 40
    # Another network is not affected.
    assert post_as(app, client, demo_slug, "192.0.2.50", 41).status_code == 302


def test_spreading_over_the_neighbouring_addresses_hits_the_prefix_limit(app, client, demo_slug):
    before = registrations(app)
    answers = [post_as(app, client, demo_slug, f"198.51.100.{n % 5 + 1}", n).status_code for n in range(100)]
    assert answers == [302] * 100  # 20 per address: each address stays below its own limit
    refused = post_as(app, client, demo_slug, "198.51.100.200", 100)
    assert refused.status_code == 429 and "Please wait" in refused.get_data(as_text=True)
    assert int(refused.headers["Retry-After"]) > 3600  # the day's window
    assert registrations(app) == before + 100
    assert post_as(app, client, demo_slug, "198.51.101.1", 101).status_code == 302  # the next /24 is another network


@pytest.mark.parametrize(
    ("address", "prefix"),
    [
        ("203.0.113.7", "203.0.113.0/24"),
        ("203.0.113.250", "203.0.113.0/24"),
        ("::ffff:203.0.113.7", "203.0.113.0/24"),
        ("2001:db8:1:2ff::1", "2001:db8:1:200::/56"),
        ("2001:db8:1:200:abcd::9", "2001:db8:1:200::/56"),
        ("2001:db8:1:300::1", "2001:db8:1:300::/56"),
        ("fe80::1%eth0", "fe80::/56"),
        ("not-an-address", "not-an-address"),
    ],
)
def test_the_prefix_of_an_address(address, prefix):
    assert address_prefix(address) == prefix


def test_the_form_page_itself_is_never_limited(app, client, demo_slug):
    for _ in range(60):
        assert client.get(f"/e/{demo_slug}/register", environ_base={"REMOTE_ADDR": "203.0.113.9"}).status_code == 200
