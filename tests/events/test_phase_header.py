"""Staff see the event's phase in the organiser header of the event page; visitors do not."""


def test_staff_see_the_phase_on_the_event_page(app, client, make_event, make_user, login):
    with app.app_context():
        slug = make_event().slug
    assert 'class="staff-phase"' not in client.get(f"/e/{slug}/").get_data(as_text=True)
    login(*make_user("organiser"))
    page = client.get(f"/e/{slug}/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert 'data-phase="registration"' in page and "Phase: Registration open" in page
    dutch = client.get(f"/e/{slug}/", headers={"Accept-Language": "nl"}).get_data(as_text=True)
    assert "Fase: Aanmelding open" in dutch
