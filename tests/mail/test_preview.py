"""The outbox preview: organisers see each mail as it would arrive (development only for now)."""

import io
import re

import pytest
import zxingcpp
from PIL import Image
from sqlalchemy import select

from eventapp.extensions import db
from eventapp.mail.models import OutgoingMail
from eventapp.registration.models import Registration
from tests.registration.test_pages import csrf_token


@pytest.fixture
def app_settings():
    return {"MAIL_PREVIEW": True}


@pytest.fixture
def mail_id(app, client, demo_slug):
    from tests.registration.test_pages import form_data

    page = client.get(f"/e/{demo_slug}/register").get_data(as_text=True)
    client.post(f"/e/{demo_slug}/register", data=form_data(app, csrf_token(page)))
    with app.app_context():
        return db.session.scalar(select(OutgoingMail.id))


def test_list_and_show_a_mail(client, mail_id):
    listing = client.get("/organiser/mail/").get_data(as_text=True)
    assert "registration_confirmed" in listing and "sylvia@example.org" in listing
    page = client.get(f"/organiser/mail/{mail_id}").get_data(as_text=True)
    assert "You are registered" in page and "text/calendar; method=REQUEST" in page
    assert f'src="/organiser/mail/{mail_id}/html"' in page


def test_the_html_part_shows_its_qr_from_the_mail_itself(app, client, mail_id):
    response = client.get(f"/organiser/mail/{mail_id}/html")
    assert "frame-ancestors 'self'" in response.headers["Content-Security-Policy"]
    image_url = re.search(r'<img src="([^"]+)"', response.get_data(as_text=True)).group(1)
    with client.get(image_url) as image:
        decoded = [r.text for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(image.data)))]
    with app.app_context():
        assert decoded == [db.session.scalar(select(Registration.ticket_code))]


def test_preview_is_hidden_unless_enabled(app, client, mail_id):
    app.config["MAIL_PREVIEW"] = False
    assert client.get("/organiser/mail/").status_code == 404
    assert client.get(f"/organiser/mail/{mail_id}").status_code == 404
