"""The back office as the areas build it (issue 33): one access check on every organiser page, whichever area
holds it, and one menu that the areas fill."""

import re

import pytest

from eventapp.platform.staff.back_office import organiser_menu

EN = {"Accept-Language": "en"}
TABS = re.compile(r'<nav class="tabs"[^>]*>(.*?)</nav>', re.S)


def organiser_rules(app) -> list[str]:
    """A URL of every organiser page (the first example of each rule), with the demo's slug and id 1."""
    urls = []
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/organiser") and "GET" in rule.methods:
            url = re.sub(r"<(?:\w+:)?slug>", "demo", rule.rule)
            url = re.sub(r"<any\(([a-z]+)[^>]*\):\w+>", r"\1", url)
            urls.append(re.sub(r"<[^>]+>", "1", url))
    return sorted(set(urls))


def test_every_organiser_page_of_every_area_sends_visitors_to_log_in(app, client):
    urls = organiser_rules(app)
    assert len(urls) > 30
    for url in urls:
        answer = client.get(url)
        assert answer.status_code == 302 and "/staff/login" in answer.headers["Location"], url


def test_desk_staff_get_403_on_every_organiser_page(app, client, make_user, login):
    login(*make_user("desk"))
    for url in organiser_rules(app):
        assert client.get(url).status_code == 403, url


def test_the_menu_is_what_the_areas_put_in_it_in_their_order(app):
    with app.test_request_context(headers=EN):
        per_event = [entry.endpoint for entry in organiser_menu()]
        general = [entry.endpoint for entry in organiser_menu(per_event=False)]
    assert per_event == [
        "organiser.show_dashboard",
        "people.list_people",
        "organiser.show_setup",
        "allocation.show_allocation",
        "questions.edit_questions",
        "registration_admin.list_requests",
        "messages.write_message",
        "texts.edit_texts",
        "feedback_results.show_results",
        "report.show_report",
        "people.show_audit_log",
    ]
    assert general == ["outbox.list_mail", "newsletter_admin.manage"]


@pytest.mark.parametrize(
    ("page", "current"),
    [("/allocation", "Allocation"), ("/pilots", "Pilots"), ("/feedback", "Feedback"), ("/questions", "Questions")],
)
def test_an_area_page_shows_the_menu_with_itself_as_the_current_page(
    client, demo_slug, make_user, login, page, current
):
    login(*make_user("organiser"))
    text = client.get(f"/organiser/e/{demo_slug}{page}", headers=EN).get_data(as_text=True)
    tabs = TABS.search(text).group(1)
    assert tabs.count("<a ") == 13  # eleven pages of the event, the outbox and the newsletter
    assert re.search(rf'aria-current="page">{current}</a>', tabs)
