"""The outbox preview: organisers see each mail as it would arrive."""

import base64
import io
import re

import pytest
import zxingcpp
from PIL import Image
from sqlalchemy import select

from eventapp.platform.extensions import db
from eventapp.platform.mail.models import OutgoingMail
from eventapp.registration.models import Registration
from tests.registration.test_pages import csrf_token


@pytest.fixture
def mail_id(app, client, demo_slug, make_user, login):
    from tests.registration.test_pages import form_data

    page = client.get(f"/e/{demo_slug}/register").get_data(as_text=True)
    client.post(f"/e/{demo_slug}/register", data=form_data(app, csrf_token(page)))
    login(*make_user("organiser"))
    with app.app_context():
        return db.session.scalar(select(OutgoingMail.id))


def test_list_and_show_a_mail(client, mail_id):
    listing = client.get("/organiser/mail/", headers={"Accept-Language": "nl"}).get_data(as_text=True)
    assert "aanmelding bevestigd" in listing and "sylvia@example.org" in listing
    # the kind's code is only the filter's option value (?kind=), never visible text
    assert "registration_confirmed" not in re.sub(r"<[^>]+>", " ", listing)
    page = client.get(f"/organiser/mail/{mail_id}").get_data(as_text=True)
    assert "You are registered" in page and "calendar invitation" in page
    assert f'src="/organiser/mail/{mail_id}/html"' in page


def test_the_html_part_shows_its_qr_from_the_mail_itself(app, client, mail_id):
    response = client.get(f"/organiser/mail/{mail_id}/html")
    assert "frame-ancestors 'self'" in response.headers["Content-Security-Policy"]
    assert "img-src data:;" in response.headers["Content-Security-Policy"]
    # In the page itself: the sandboxed frame's own requests would go without the organiser's cookie.
    image = re.search(r'<img src="data:image/png;base64,([^"]+)"', response.get_data(as_text=True)).group(1)
    decoded = [r.text for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(base64.b64decode(image))))]
    with app.app_context():
        assert decoded == [db.session.scalar(select(Registration.ticket_code))]


def test_preview_is_for_organisers_only(app, mail_id, make_user):
    anonymous = app.test_client()
    assert anonymous.get("/organiser/mail/").status_code == 302
    assert anonymous.get(f"/organiser/mail/{mail_id}/html").headers["Location"].startswith("/staff/login")
    desk = app.test_client()
    email, password = make_user("desk")
    import re

    page = desk.get("/staff/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    desk.post("/staff/login", data={"csrf_token": token, "email": email, "password": password})
    assert desk.get("/organiser/mail/").status_code == 403
    assert desk.get(f"/organiser/mail/{mail_id}").status_code == 403
