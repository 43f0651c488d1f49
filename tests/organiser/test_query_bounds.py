"""Numbers in query arguments of the organiser's and the desk's lists: beyond what the databases hold, or not
plain digits, they answer 404 or a page of the list, never a server error (an integer overflow in the query)."""

import pytest

from eventapp.platform.db import MAX_ID, id_from_text

pytestmark = pytest.mark.both_databases

# 2**31: beyond PostgreSQL's integer ids (SQLite's are 64-bit); 5000 digits: more than Python's int() reads.
HUGE = [str(2**31), str(10**18), str(2**63), str(2**64), "9" * 5000]
ODD = ["²", "١٢", "0", "-1", " 1", "1e3", "0x10"]  # superscript two and Arabic-Indic digits pass str.isdigit()


def test_a_page_number_beyond_every_list_is_404_and_nonsense_is_the_first_page(day, organiser):
    base = f"/organiser/e/{day['slug']}/people"
    for page in HUGE:
        assert organiser.get(f"{base}?page={page}").status_code == 404, page
    for page in ["abc", "", "0", "-3", "²"]:
        response = organiser.get(f"{base}?page={page}")
        assert response.status_code == 200 and "Person 1" in response.get_data(as_text=True), page
    far = organiser.get(f"{base}?page=100000")  # within bounds, past the last page: an empty page
    assert far.status_code == 200 and "Person 1" not in far.get_data(as_text=True)


def test_a_session_no_row_can_have_is_404_in_the_people_list(day, organiser):
    base = f"/organiser/e/{day['slug']}/people"
    for session in [*HUGE, *ODD]:
        assert organiser.get(f"{base}?session={session}").status_code == 404, session
    assert organiser.get(f"{base}?session=").status_code == 200  # "every session"
    assert organiser.get(f"{base}?session={day['theme0']}&page={10**18}").status_code == 404


def test_a_door_no_row_can_have_is_404_on_the_desks_scan_page(day, organiser):
    base = f"/staff/checkin?event={day['slug']}"
    for session in [*HUGE, *ODD]:
        assert organiser.get(f"{base}&session={session}").status_code == 404, session
    assert organiser.get(f"{base}&session={day['theme0']}").status_code == 200


def test_badges_for_a_session_no_row_can_have_are_refused(day, organiser):
    base = f"/organiser/e/{day['slug']}/badges.pdf"
    for session in HUGE:
        assert organiser.get(f"{base}?session={session}").status_code in (400, 404), session


def test_ids_beyond_the_databases_integers_are_404_in_addresses(day, organiser):
    base = f"/organiser/e/{day['slug']}"
    for number in (2**31, 2**40, 2**63 - 1):
        assert organiser.get(f"{base}/people/{number}").status_code == 404, number
        assert organiser.get(f"{base}/export/session/{number}.csv").status_code == 404, number


def test_ids_beyond_the_databases_integers_are_bad_requests_for_the_scan_api(day, client, make_device):
    device = {"Authorization": f"Bearer {make_device('Handheld 1')}"}
    for number in (2**31, 2**40, 2**63 - 1):
        body = {"code": "X", "event": day["slug"], "mode": "session", "session_id": number}
        assert client.post("/api/v1/checkin", json=body, headers=device).status_code == 400, number


def test_id_from_text_takes_only_ascii_digits_within_the_ids_rows_have():
    assert id_from_text("1") == 1 and id_from_text(str(MAX_ID)) == MAX_ID
    for text in [None, "", *HUGE, *ODD]:
        assert id_from_text(text) is None, text
