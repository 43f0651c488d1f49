"""Name badges: A4 sheets read back with pypdf, and a rendered page whose QR codes decode (pypdfium2, zxing-cpp)."""

import io

import pypdfium2
import pytest
import zxingcpp
from pypdf import PdfReader
from sqlalchemy import select

from eventapp.checkin.badges import NOT_PRINTED, badge_of, people_for_badges
from eventapp.platform.extensions import db
from eventapp.platform.tickets.badges import LAYOUTS, Badge, badge_sheets
from eventapp.registration.models import Registration
from tests.registration.helpers import sign_up, slots

NAMES = ["Zoë de Vriës", "Ayşe Yılmaz", "Łukasz Wójcik", "Søren Østergaard", "Anouk Huis in 't Veld"]


def pages_text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def decoded_codes(pdf: bytes, page_number: int = 0) -> list[str]:
    """Render a page at print resolution (300 dpi) and read every QR code on it."""
    document = pypdfium2.PdfDocument(pdf)
    image = document[page_number].render(scale=300 / 72).to_pil()
    return sorted(result.text for result in zxingcpp.read_barcodes(image) if result.valid)


@pytest.mark.parametrize(("layout", "pages"), [("2x4", 2), ("2x5", 2)])
def test_sheets_have_the_pages_and_names_of_the_layout(layout, pages):
    people = [
        Badge(name=f"{NAMES[n % len(NAMES)]} {n}", organisation="Gemeente Ede", code=f"code-{n}", qr_alt_text="QR")
        for n in range(12)
    ]
    pdf = badge_sheets(people, LAYOUTS[layout])
    text = pages_text(pdf)
    assert len(text) == pages
    per_page = LAYOUTS[layout].per_page
    assert all(f"{person.name}" in text[0] for person in people[:per_page])
    assert all(f"{person.name}" in text[1] for person in people[per_page:])
    width, height = (float(v) for v in PdfReader(io.BytesIO(pdf)).pages[0].mediabox[2:])
    assert (round(width), round(height)) == (595, 842)  # A4


def test_names_with_european_letters_print_as_written_and_every_qr_code_scans():
    people = [
        Badge(
            name=name,
            organisation="Politie Oost-Nederland",
            code=f"ticket-{n}-{'x' * 40}",
            qr_alt_text="QR",
            sessions=["14:20 Preventie · Zaal 1"],
        )
        for n, name in enumerate(NAMES)
    ]
    pdf = badge_sheets(people, LAYOUTS["2x5"])
    text = pages_text(pdf)[0]
    for name in NAMES:
        assert name in text
    assert "14:20 Preventie · Zaal 1" in text
    assert decoded_codes(pdf) == sorted(person.code for person in people)


def test_a_badge_shows_the_persons_sessions_with_rooms_in_their_language(app_context, make_event):
    event = make_event(theme=(5, 5), pilot=(5, 5))
    registration = sign_up(event, 1, theme=1, pilot=0, name="Łukasz Wójcik")
    badge = badge_of(registration)
    assert badge.name == "Łukasz Wójcik" and badge.code == registration.ticket_code
    assert badge.sessions == ["14:20 Theme 1 · Room 2", "15:30 Pilot 0 · Room 1"]


def test_the_organiser_prints_everyone_not_yet_printed_or_one_session(app, client, make_event, make_user, login):
    with app.app_context():
        event = make_event(day_capacity=20, theme=(10, 10), pilot=(10, 10))
        for n in range(1, 12):
            sign_up(event, n, theme=n % 2, name=f"Person {n} Yılmaz")
        slug, theme1 = event.slug, slots(event)[0].sessions[1].id
    login(*make_user("organiser"))

    one_session = client.get(f"/organiser/e/{slug}/badges.pdf?session={theme1}&layout=2x5")
    assert one_session.status_code == 200 and one_session.mimetype == "application/pdf"
    text = pages_text(one_session.data)
    assert len(text) == 1 and all(f"Person {n} Yılmaz" in "".join(text) for n in range(1, 12, 2))
    assert "Person 2 Yılmaz" not in "".join(text)

    rest = client.get(f"/organiser/e/{slug}/badges.pdf?who={NOT_PRINTED}")
    names = "".join(pages_text(rest.data))
    assert len(pages_text(rest.data)) == 1  # five not printed yet, on one 2x4 sheet
    assert all(f"Person {n} Yılmaz" in names for n in range(2, 12, 2)) and "Person 1 Yılmaz" not in names
    everyone = client.get(f"/organiser/e/{slug}/badges.pdf")
    assert len(pages_text(everyone.data)) == 2
    with app.app_context():
        codes = sorted(db.session.scalars(select(Registration.ticket_code)))
        assert not people_for_badges(db.session, db.session.get(type(event), event.id), NOT_PRINTED)
    assert sorted(decoded_codes(everyone.data, 0) + decoded_codes(everyone.data, 1)) == codes
    assert client.get(f"/organiser/e/{slug}/badges.pdf?layout=3x3").status_code == 400


def test_the_desk_prints_one_persons_badge_and_only_staff_may(app, client, make_event, make_user, login):
    with app.app_context():
        event = make_event()
        registration = sign_up(event, 1, name="Zoë de Vriës")
        registration_id, code, slug = registration.id, registration.ticket_code, event.slug
    assert client.get(f"/staff/checkin/badge/{registration_id}.pdf").status_code == 302  # to the login page
    login(*make_user("desk"))
    response = client.get(f"/staff/checkin/badge/{registration_id}.pdf")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    assert "Zoë de Vriës" in pages_text(response.data)[0]
    assert decoded_codes(response.data) == [code]
    assert client.get("/staff/checkin/badge/999999.pdf").status_code == 404
    assert client.get(f"/organiser/e/{slug}/badges.pdf").status_code == 403  # desk staff: not the sheets


def test_the_desk_prints_on_the_label_its_device_chose(app, client, make_event, make_user, login):
    with app.app_context():
        registration = sign_up(make_event(), 1, name="Anna-Maria van den Berg-Oudendijk-Hoekstra")
        registration_id, code = registration.id, registration.ticket_code
    login(*make_user("desk"))
    label = client.get(f"/staff/checkin/badge/{registration_id}.pdf?layout=label-62x100")
    page = PdfReader(io.BytesIO(label.data)).pages[0]
    assert tuple(round(float(v) * 25.4 / 72) for v in page.mediabox[2:]) == (62, 100)
    text = " ".join(pages_text(label.data)[0].replace("-\n", "-").split())  # the name wraps, whole
    assert "Anna-Maria van den Berg-Oudendijk-Hoekstra" in text and decoded_codes(label.data) == [code]
    assert client.get(f"/staff/checkin/badge/{registration_id}.pdf?layout=3x3").status_code == 400
    person_page = client.get(f"/staff/checkin/person/{registration_id}").get_data(as_text=True)
    assert 'data-badge-link="/staff/checkin/badge/' in person_page and 'value="label-54x101"' in person_page
