"""The registration form and the personal page, through HTTP."""

import datetime as dt
import re

import icalendar
import pytest
from sqlalchemy import select, update

from eventapp.events.models import Event, Session
from eventapp.platform.extensions import db
from eventapp.platform.mail.models import OutgoingMail
from eventapp.registration.models import Choice, Registration, RegistrationMail, RegistrationStatus
from tests.checkin.days import slug_on_the_day

EN = {"Accept-Language": "en"}


def csrf_token(html: str, prefix: str = "") -> str:
    match = re.search(rf'name="{re.escape(prefix)}csrf_token" type="hidden" value="([^"]+)"', html)
    assert match, "no CSRF token in the page"
    return match.group(1)


def session_ids(app) -> dict[str, int]:
    with app.app_context():
        return {session.title_en: session.id for session in db.session.scalars(select(Session))}


def slot_ids(app) -> dict[str, int]:
    """The slot id of each session title."""
    with app.app_context():
        return {session.title_en: session.agenda_item_id for session in db.session.scalars(select(Session))}


def form_data(app, token: str, theme="Prevention", pilot="Dashboard Twente", **fields) -> dict:
    sessions, slots = session_ids(app), slot_ids(app)
    data = {
        "csrf_token": token,
        "name": "Sylvia Huis in 't Veld",
        "email": "sylvia@example.org",
        "organisation": "Kennispunt Twente",
        "organisation_type": "other",
        "role": "",
        "language": "en",
        "consent": "y",
        f"choice_{slots[theme]}": str(sessions[theme]),
        f"choice_{slots[pilot]}": str(sessions[pilot]),
    }
    data.update(fields)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def register(app, client, demo_slug):
    """A callable that registers through the form and returns the response.

    The personal link only travels by mail; `response.manage_token` is read from the database.
    """

    def post(**fields):
        page = client.get(f"/e/{demo_slug}/register", headers=EN)
        data = form_data(app, csrf_token(page.get_data(as_text=True)), **fields)
        response = client.post(f"/e/{demo_slug}/register", data=data, headers=EN)
        found = registration_by_email(app, data.get("email", "").strip().lower())
        response.manage_token = found[2] if found else None
        return response

    return post


def registration_by_email(app, email: str):
    with app.app_context():
        newest_first = select(Registration).where(Registration.email == email).order_by(Registration.id.desc())
        registration = db.session.scalars(newest_first).first()
        return None if registration is None else (registration.id, registration.status, registration.manage_token)


def test_form_offers_one_session_per_slot_with_seats_left(client, demo_slug):
    html = client.get(f"/e/{demo_slug}/register", headers=EN).get_data(as_text=True)
    assert html.count('type="radio"') == 8
    assert html.count("40 seats left") == 4 and html.count("35 seats left") == 4
    assert 'href="/privacy"' in html
    assert re.search(r'<input[^>]*id="newsletter"[^>]*type="checkbox"', html) and "checked" not in html


@pytest.mark.parametrize("name", ["Huis in 't Veld", "van der Plaat", "Søren Ærø", "Teun Soederhuizen-Ōno"])
def test_registering_mails_the_personal_page(app, client, register, name):
    response = register(name=name, email="Guest@Example.org ")
    assert response.status_code == 302 and response.headers["Location"].endswith("/register/check-mail")
    assert "guest@example.org" in client.get(response.headers["Location"], headers=EN).get_data(as_text=True)
    token = response.manage_token
    page = client.get(f"/r/{token}", headers=EN)
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "You are registered" in html
    assert "Prevention" in html and "Dashboard Twente" in html
    assert "<svg" in html and 'class="qr"' in html
    assert f"/r/{token}/calendar.ics" in html
    assert name.replace("'", "&#39;") in html
    registration_id, status, _ = registration_by_email(app, "guest@example.org")
    assert status == RegistrationStatus.CONFIRMED
    with app.app_context():
        assert db.session.get(Registration, registration_id).consent_version


def test_seats_left_go_down_after_registering(client, register, demo_slug):
    register()
    html = client.get(f"/e/{demo_slug}/", headers=EN).get_data(as_text=True)
    assert "39 seats left" in html and "34 seats left" in html


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"name": ""}, "name", "Please fill this in."),
        ({"email": "not-an-address"}, "email", "Please enter a valid e-mail address."),
        ({"organisation": "   "}, "organisation", "Please fill this in."),
        ({"organisation_type": ""}, "organisation_type", "Please choose the kind of organisation."),
        ({"organisation_type": "bakery"}, "organisation_type", "Not a valid choice."),
        ({"consent": None}, "consent", "We can only register you with your consent."),
        ({"name": "Ann\r\nBcc: victim@example.org"}, "name", "Please use letters, digits and punctuation only."),
        ({"name": "x" * 201}, "name", "Field cannot be longer than 200 characters."),
    ],
)
def test_invalid_input_is_shown_next_to_the_field_and_kept(app, register, fields, field, message):
    response = register(**fields)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert re.search(rf'id="{field}-error"[^>]*>{re.escape(message)}<', html)
    assert 'value="Kennispunt Twente"' in html or field == "organisation"
    assert registration_by_email(app, "sylvia@example.org") is None


def test_a_missing_session_choice_is_an_error(app, register):
    slots = slot_ids(app)
    response = register(**{f"choice_{slots['Prevention']}": None})
    assert response.status_code == 422
    assert "Please choose a session." in response.get_data(as_text=True)


def test_a_session_of_the_wrong_slot_is_refused(app, register):
    sessions, slots = session_ids(app), slot_ids(app)
    response = register(**{f"choice_{slots['Prevention']}": str(sessions["Dashboard Twente"])})
    assert response.status_code == 422
    assert registration_by_email(app, "sylvia@example.org") is None


def test_post_without_csrf_token_is_refused(app, client, demo_slug):
    response = client.post(f"/e/{demo_slug}/register", data=form_data(app, token="forged"), headers=EN)
    assert response.status_code == 400
    assert registration_by_email(app, "sylvia@example.org") is None


def test_the_same_address_twice_gets_check_your_mail(app, client, register):
    first = register()
    second = register(email="SYLVIA@example.org", name="Someone Else")
    assert second.status_code == 302 and second.headers["Location"].endswith("/register/check-mail")
    html = client.get(second.headers["Location"], headers=EN).get_data(as_text=True)
    assert "Check your mail" in html
    assert first.manage_token not in html
    with app.app_context():
        assert db.session.scalar(select(Registration.name)) == "Sylvia Huis in 't Veld"
        kinds = list(db.session.scalars(select(OutgoingMail.kind).order_by(OutgoingMail.id)))
        assert kinds == [RegistrationMail.CONFIRMED, RegistrationMail.MANAGE_LINK]


def set_window(app, opens: dt.timedelta, closes: dt.timedelta) -> None:
    now = dt.datetime.now(dt.UTC)
    with app.app_context():
        db.session.execute(update(Event).values(registration_opens_at=now + opens, registration_closes_at=now + closes))
        db.session.commit()


@pytest.mark.parametrize(
    ("opens", "closes", "notice"),
    [
        (dt.timedelta(days=1), dt.timedelta(days=9), "Registration opens on"),
        (dt.timedelta(days=-9), dt.timedelta(days=-1), "Registration has closed."),
    ],
)
def test_outside_the_window_the_page_says_so_and_offers_the_waitlist(
    app, client, register, demo_slug, opens, closes, notice
):
    set_window(app, opens, closes)
    html = client.get(f"/e/{demo_slug}/register", headers=EN).get_data(as_text=True)
    assert notice in html and "Join the waitlist" in html
    response = register()
    page = client.get(f"/r/{response.manage_token}", headers=EN).get_data(as_text=True)
    assert "On the waitlist for the day" in page and "number 1" in page
    assert 'class="qr"' not in page


def test_a_full_day_says_so(app, client, demo_slug):
    with app.app_context():
        db.session.execute(update(Event).values(capacity=0))
        db.session.commit()
    html = client.get(f"/e/{demo_slug}/register", headers=EN).get_data(as_text=True)
    assert "The day is full." in html and "Join the waitlist" in html


def manage_form(client, token: str, prefix: str = "") -> str:
    return csrf_token(client.get(f"/r/{token}", headers=EN).get_data(as_text=True), prefix)


def test_swap_to_a_free_session(app, client, register):
    token = register().manage_token
    sessions, slots = session_ids(app), slot_ids(app)
    slot = slots["Prevention"]
    prefix = f"slot{slot}-"
    response = client.post(
        f"/r/{token}/slot/{slot}",
        data={f"{prefix}csrf_token": manage_form(client, token, prefix), f"{prefix}session_id": sessions["Aftercare"]},
        headers=EN,
    )
    assert response.status_code == 302
    html = client.get(f"/r/{token}", headers=EN).get_data(as_text=True)
    assert "You now have a seat in Aftercare." in html
    with app.app_context():
        assert db.session.get(Session, sessions["Aftercare"]).seats_taken == 1
        assert db.session.get(Session, sessions["Prevention"]).seats_taken == 0


def test_swap_to_a_full_session_offers_its_waitlist_and_keeps_the_seat(app, client, register):
    token = register().manage_token
    sessions, slots = session_ids(app), slot_ids(app)
    with app.app_context():
        db.session.execute(update(Session).where(Session.id == sessions["Aftercare"]).values(capacity=0))
        db.session.commit()
    slot = slots["Prevention"]
    prefix = f"slot{slot}-"
    data = {f"{prefix}csrf_token": manage_form(client, token, prefix), f"{prefix}session_id": sessions["Aftercare"]}
    offered = client.post(f"/r/{token}/slot/{slot}", data=data, headers=EN)
    assert offered.status_code == 409
    assert "Aftercare is full." in offered.get_data(as_text=True)
    joined = client.post(f"/r/{token}/slot/{slot}", data={**data, f"{prefix}join_waitlist": "1"}, headers=EN)
    assert joined.status_code == 302
    html = client.get(f"/r/{token}", headers=EN).get_data(as_text=True)
    assert "Waiting for Aftercare: number 1 in line." in html
    with app.app_context():
        choices = {(c.session_id, c.status) for c in db.session.scalars(select(Choice))}
        assert (sessions["Prevention"], "confirmed") in choices and (sessions["Aftercare"], "waitlisted") in choices


def test_update_details(app, client, register):
    token = register().manage_token
    data = {
        "csrf_token": manage_form(client, token),
        "name": "Sylvia Huis in 't Veld",
        "organisation": "Gemeente Enschede",
        "organisation_type": "municipality",
        "role": "Beleidsadviseur",
        "language": "nl",
    }
    assert client.post(f"/r/{token}/details", data=data, headers=EN).status_code == 302
    with app.app_context():
        registration = db.session.scalar(select(Registration))
        assert (registration.organisation, registration.organisation_type, registration.role) == (
            "Gemeente Enschede",
            "municipality",
            "Beleidsadviseur",
        )
        assert registration.language == "nl"
    bad = client.post(f"/r/{token}/details", data={**data, "name": ""}, headers=EN)
    assert bad.status_code == 422 and 'id="name-error"' in bad.get_data(as_text=True)


def test_cancel_frees_the_seat_and_moves_the_next_person_up(app, client, register):
    sessions = session_ids(app)
    with app.app_context():
        db.session.execute(update(Session).where(Session.id == sessions["Prevention"]).values(capacity=1))
        db.session.commit()
    first = register().manage_token
    second = register(email="teun@example.org", name="Teun Soederhuizen").manage_token
    assert "number 1 in line" in client.get(f"/r/{second}", headers=EN).get_data(as_text=True)

    unconfirmed = client.post(f"/r/{first}/cancel", data={"csrf_token": manage_form(client, first)}, headers=EN)
    assert unconfirmed.status_code == 422
    response = client.post(
        f"/r/{first}/cancel", data={"csrf_token": manage_form(client, first), "confirm": "y"}, headers=EN
    )
    assert response.status_code == 302
    assert "This registration is cancelled." in client.get(f"/r/{first}", headers=EN).get_data(as_text=True)
    html = client.get(f"/r/{second}", headers=EN).get_data(as_text=True)
    assert "in line" not in html and "Prevention</strong>" in html
    with app.app_context():
        assert registration_by_email(app, "sylvia@example.org")[1] == RegistrationStatus.CANCELLED
        assert (
            db.session.scalar(select(OutgoingMail).where(OutgoingMail.kind == RegistrationMail.PROMOTED)).recipient
            == "teun@example.org"
        )


@pytest.mark.parametrize("token", ["nope", "x" * 43, "x" * 500])
def test_unknown_personal_links_are_404(client, token):
    for path in (f"/r/{token}", f"/r/{token}/calendar.ics", f"/r/{token}/qr.png"):
        assert client.get(path).status_code == 404


def test_a_nul_character_in_a_link_is_refused(client):
    assert client.get("/r/%00").status_code == 400


def test_the_ticket_code_does_not_open_the_personal_page(app, client, register):
    register()
    with app.app_context():
        ticket_code = db.session.scalar(select(Registration.ticket_code))
    assert client.get(f"/r/{ticket_code}").status_code == 404


def test_qr_png_and_calendar_downloads(client, register):
    token = register().manage_token
    with client.get(f"/r/{token}/qr.png") as png:
        assert png.status_code == 200 and png.mimetype == "image/png" and png.data.startswith(b"\x89PNG")
    with client.get(f"/r/{token}/calendar.ics") as ics:
        body = ics.get_data(as_text=True)
        assert ics.mimetype == "text/calendar"
        assert "BEGIN:VTIMEZONE" in body and "TZID:Europe/Amsterdam" in body
        (vevent,) = icalendar.Calendar.from_ical(body).walk("VEVENT")
        assert "Prevention (Room 1)" in vevent["DESCRIPTION"]
    with client.get(f"/r/{token}/sessions.ics") as ics:
        vevents = icalendar.Calendar.from_ical(ics.data).walk("VEVENT")
        assert len(vevents) == 2 and str(vevents[0]["SUMMARY"]).startswith("Prevention")
        assert str(vevents[0]["LOCATION"]).startswith("Room 1")


def answer_without_address_and_csrf(client, response) -> tuple[int, str, str]:
    """Status, redirect and page of a registration attempt, with the parts that may differ blanked."""
    page = client.get(response.headers["Location"], headers=EN).get_data(as_text=True)
    page = re.sub(r'name="csrf_token" type="hidden" value="[^"]+"', "", page)
    page = re.sub(r"[\w.+-]+@example\.org", "ADDRESS", page)
    return response.status_code, response.headers["Location"], page


def test_a_new_and_a_known_address_get_the_same_answer(app, register):
    register(email="known@example.org")
    new = register(email="new@example.org")
    known = register(email="known@example.org")
    assert answer_without_address_and_csrf(app.test_client(), new) == answer_without_address_and_csrf(
        app.test_client(), known
    )
    # Neither answer leads to the personal page: only the mail does.
    for response in (new, known):
        assert "/r/" not in response.headers["Location"]


def test_in_development_the_answer_links_to_the_mail_in_the_outbox(app, client, register):
    response = register(email="newcomer@example.org")
    html = client.get(response.headers["Location"], headers=EN).get_data(as_text=True)
    assert 'href="/outbox/mine"' in html
    mail = client.get("/outbox/mine", headers=EN).get_data(as_text=True)
    assert f"/r/{response.manage_token}" in mail
    assert app.test_client().get("/outbox/mine").status_code == 404  # another browser sees nothing


def test_the_outbox_page_does_not_exist_where_mail_is_delivered(app_settings, database_url, demo_slug):
    from eventapp import create_app

    delivering = create_app(
        "testing", {**app_settings, "SQLALCHEMY_DATABASE_URI": database_url, "MAIL_SUPPRESS_SEND": False}
    )
    browser = delivering.test_client()
    page = browser.get(f"/e/{demo_slug}/register", headers=EN).get_data(as_text=True)
    response = browser.post(f"/e/{demo_slug}/register", data=form_data(delivering, csrf_token(page)), headers=EN)
    assert "/outbox/mine" not in browser.get(response.headers["Location"], headers=EN).get_data(as_text=True)
    assert browser.get("/outbox/mine").status_code == 404


def test_registering_after_a_cancellation_gets_new_secrets(app, client, register, demo_slug, make_device):
    """The takeover: whoever registers a cancelled address must not inherit its link or ticket."""
    victim = register(email="eva@example.org").manage_token
    with app.app_context():
        old_code = db.session.scalar(select(Registration.ticket_code).where(Registration.manage_token == victim))
    cancelled = client.post(f"/r/{victim}/cancel", data={"csrf_token": manage_form(client, victim), "confirm": "y"})
    assert cancelled.status_code == 302
    attacker = register(email="eva@example.org", name="Mallory")
    assert attacker.manage_token not in (None, victim)
    assert client.get(f"/r/{victim}").status_code == 404
    with app.app_context():
        new_code = db.session.scalar(
            select(Registration.ticket_code).where(Registration.manage_token == attacker.manage_token)
        )
        rows = db.session.execute(select(Registration.status, Registration.name).order_by(Registration.id)).all()
        assert [tuple(row) for row in rows] == [
            (RegistrationStatus.CANCELLED, "Sylvia Huis in 't Veld"),
            (RegistrationStatus.CONFIRMED, "Mallory"),
        ]
    assert new_code != old_code
    slug_on_the_day(app, demo_slug)  # the desk scans on the event's day
    device = {"Authorization": f"Bearer {make_device()}"}
    scan = app.test_client().post("/api/v1/checkin", json={"code": old_code, "event": demo_slug}, headers=device)
    assert scan.get_json()["status"] == "cancelled"


def test_registering_in_production_mails_the_link(database_url, demo_slug):
    """Production delivers mail: the same answer, and no outbox page (its settings differ from testing's)."""
    from eventapp import create_app

    production = create_app(
        "production",
        {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "SECRET_KEY": "Wq3-vT9_kR2zLm8pXa7sYb4nHc6dJf1gEu5oKi0t",
            "SESSION_COOKIE_SECURE": False,
            "ALLOW_INSECURE_COOKIES": True,
            "PUBLIC_URL": "https://dag.example.org",
            "ORGANIZER_EMAIL": "dag@example.org",
            "ALLOW_MEMORY_RATELIMIT": True,
        },
    )
    browser = production.test_client()  # over https (PREFERRED_URL_SCHEME): CSRF checks the referrer too
    page = browser.get(f"/e/{demo_slug}/register", headers=EN).get_data(as_text=True)
    referred = {**EN, "Referer": f"https://localhost/e/{demo_slug}/register"}
    response = browser.post(f"/e/{demo_slug}/register", data=form_data(production, csrf_token(page)), headers=referred)
    assert response.status_code == 302 and response.headers["Location"].endswith("/register/check-mail")
    answer = browser.get(response.headers["Location"], headers=EN).get_data(as_text=True)
    assert "sylvia@example.org" in answer and "/outbox/mine" not in answer


def test_the_form_asks_the_kind_of_organisation_in_the_visitors_language(app, client, demo_slug, register):
    english = client.get(f"/e/{demo_slug}/register", headers=EN).get_data(as_text=True)
    dutch = client.get(f"/e/{demo_slug}/register", headers={"Accept-Language": "nl"}).get_data(as_text=True)
    assert '<select id="organisation_type" name="organisation_type"' in english
    assert all(f'value="{key}"' in english for key in KINDS)
    assert "Public Prosecution Service" in english and "Openbaar Ministerie" in dutch
    assert "Kind of organisation" in english and "Soort organisatie" in dutch
    register(organisation_type="public_prosecution")
    with app.app_context():
        assert db.session.scalar(select(Registration.organisation_type)) == "public_prosecution"


KINDS = (
    "municipality police public_prosecution child_protection youth_care youth_protection education halt probation "
    "social_domain other"
).split()
