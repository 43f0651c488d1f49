"""Every mail kind as its bytes reached a real SMTP server (aiosmtpd), checked against the RFCs without decoding.

Python's parser decodes RFC 2047 encoded words, so a test that reads headers back through it cannot see that
List-Unsubscribe went out as `=?utf-8?q?=3Chttps…?=`, which mail programs (reading the header raw) ignore. These
tests read the DATA bytes line by line: RFC 5322 fields and folding, RFC 2369/8058 List-Unsubscribe, RFC 2919
List-Id, RFC 3282 Content-Language, RFC 3834 Auto-Submitted, and a 7bit-safe transfer encoding for every part.
The addresses are production-length (`EVENTAPP_PUBLIC_URL` over 60 characters), which is what made the email
package encode.
"""

import re
from email import message_from_bytes, policy

import pytest
from sqlalchemy import select

from eventapp.events.models import PilotContact
from eventapp.feedback.models import FeedbackMail
from eventapp.newsletter import services as newsletter
from eventapp.newsletter.models import NewsletterMail, SubscriberStatus
from eventapp.platform.db import utcnow
from eventapp.platform.extensions import db
from eventapp.platform.mail import kinds, outbox
from eventapp.platform.mail.models import MailStatus, OutgoingMail
from eventapp.platform.mail.sender import deliver_due, sending_context
from eventapp.platform.staff import invitations
from eventapp.platform.staff.mails import StaffMail
from eventapp.registration import contacts, transfers
from eventapp.registration.models import RegistrationMail
from tests.registration.helpers import person, sign_up, slots

PUBLIC_URL = "https://aanmelden.jeugd-en-veiligheid-oost-nederland.regio-ijsselland.example.org"
ORGANIZER_EMAIL = "programma.bijeenkomsten@jeugd-en-veiligheid-oost-nederland.regio-ijsselland.example.org"
LONG_NAME = "Renée Huis in 't Veld-Oudendijk-Hoekstra van den Bergh tot Nijenrode-Sonnenberg"

FIELD = re.compile(rb"([!-9;-~]+):(.*)")  # RFC 5322 3.6.8: a field name is printable ASCII but the colon
DOT_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
MESSAGE_ID = re.compile(rf"<{DOT_ATOM}@{DOT_ATOM}>")
LIST_ID = re.compile(rf'(?:"(?:[^"\\]|\\.)*" )?<{DOT_ATOM}\.{DOT_ATOM}>')  # RFC 2919: [phrase] <label.namespace>
LIST_UNSUBSCRIBE = re.compile(r"<(https://[!-;=?-~]+)>, ?<(mailto:[!-;=?-~]+@[!-;=?-~]+)>")  # RFC 2369, 8058
SAFE_ENCODINGS = {"7bit", "quoted-printable", "base64"}


@pytest.fixture
def app_settings(smtp_port):
    return {
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": smtp_port,
        "MAIL_SUPPRESS_SEND": False,
        "PUBLIC_URL": PUBLIC_URL,
        "ORGANIZER_NAME": "Jeugd en Veiligheid Oost-Nederland — Café Ĳsselland",
        "ORGANIZER_EMAIL": ORGANIZER_EMAIL,
    }


def fields(header_block: bytes) -> list[tuple[str, list[bytes]]]:
    """(name, raw lines) of each field, as written: a field starts at the line's start, folds start with WSP."""
    found = []
    for line in header_block.split(b"\r\n"):
        if line[:1] in (b" ", b"\t"):
            assert found and line.strip(), f"a continuation line without a field, or only whitespace: {line!r}"
            found[-1][1].append(line)
            continue
        match = FIELD.fullmatch(line)
        assert match, f"not a header field: {line!r}"
        assert match[2].strip(), f"folded right after the colon: {line!r}"
        found.append((match[1].decode("ascii"), [line]))
    return found


def unfolded(lines: list[bytes]) -> str:
    """The field's value with its folds removed (RFC 5322 2.2.3), still undecoded."""
    return b"".join(lines).split(b":", 1)[1].strip().decode("ascii")


def top_fields(raw: bytes) -> dict[str, str]:
    """The message's own header fields, unfolded and undecoded."""
    return {name: unfolded(lines) for name, lines in fields(raw.partition(b"\r\n\r\n")[0])}


def leaf_parts(raw: bytes) -> list[dict[str, str]]:
    """The raw, unfolded header fields of every non-multipart part (the message's own when it has no parts)."""
    head, _, body = raw.partition(b"\r\n\r\n")
    headers = {name.lower(): unfolded(lines) for name, lines in fields(head)}
    boundary = re.search(r'boundary="?([^";]+)"?', headers.get("content-type", ""))
    if not headers.get("content-type", "").startswith("multipart/"):
        return [headers]
    delimiter = b"\r\n--" + boundary[1].encode("ascii")
    sections = (b"\r\n" + body).split(delimiter)[1:-1]  # the preamble before the first, the epilogue after the last
    return [leaf for section in sections for leaf in leaf_parts(section.partition(b"\r\n")[2])]


def queue_every_kind(event, now) -> None:
    """One mail of every registered kind, through the areas' own rules where they send it."""
    registration = sign_up(event, 1, name=LONG_NAME, language="nl")
    theme, pilot = (slot.sessions[0] for slot in slots(event))
    payloads = {
        RegistrationMail.ORGANISER_MESSAGE: {"subject": "Parkeren bij de Zwolse Stadshallen", "body": "Tot morgen."},
        RegistrationMail.CHOICE_CHANGED: {"session_id": theme.id},
        RegistrationMail.PROMOTED: {"session_id": theme.id},
    }
    for kind in RegistrationMail:
        outbox.enqueue(db.session, kind, registration, now, **payloads.get(kind, {}))
    outbox.enqueue(db.session, FeedbackMail.REQUEST, registration, now)
    pilot.contacts.append(PilotContact(name="Mw. Coördinator", email="pilot@gemeente-zwolle.example.org"))
    db.session.flush()
    contacts.ask(db.session, registration, pilot, "Graag contact.", "Ik deel mijn gegevens.", now)
    contacts.hand_over(db.session, pilot, now)
    transfers.request_transfer(db.session, registration, person(3, name="Collega Drie"), now)
    transfers.transfer_now(db.session, sign_up(event, 4, language="en"), person(5), None, now)
    subscriber = newsletter.sign_up(db.session, "lezer@example.org", "Lezer", "nl", "form", now)
    newsletter.sign_up(db.session, "nieuw@example.org", "Nieuw", "en", "form", now)
    subscriber.status, subscriber.confirmed_at = SubscriberStatus.CONFIRMED, now
    newsletter.send_newsletter(db.session, "Nieuws uit de regio", "Eerste alinea.", now)
    invitations.invite(db.session, "nieuwe.medewerker@example.org", "Nieuwe Medewerker", "desk", None, now, "nl")
    db.session.commit()


@pytest.fixture
def delivered(app, app_context, make_event, smtp) -> list[tuple[OutgoingMail, bytes]]:
    """Every kind queued and sent: each outbox row with the bytes the SMTP server received for it."""
    assert len(PUBLIC_URL) > 60
    queue_every_kind(make_event(), utcnow())
    with sending_context(app):
        while deliver_due(limit=100).handled:
            pass
    sent = db.session.scalars(select(OutgoingMail).where(OutgoingMail.status == MailStatus.SENT)).all()
    by_message = {mail.mime.rstrip(b"\r\n"): mail for mail in sent}
    received = [(by_message[envelope.content.rstrip(b"\r\n")], envelope.content) for envelope in smtp.envelopes]
    assert len(received) == len(sent)
    return received


def test_every_kind_reached_the_server(delivered):
    assert {mail.kind for mail, _ in delivered} == set(kinds.names())


def test_every_line_is_ascii_within_998_octets_and_folded_only_at_whitespace(delivered):
    for mail, raw in delivered:
        assert raw.isascii(), mail.kind
        assert b"\n" not in raw.replace(b"\r\n", b""), f"{mail.kind}: a bare line feed"
        assert max(len(line) for line in raw.split(b"\r\n")) <= 998, mail.kind
        head = raw.partition(b"\r\n\r\n")[0]
        for name, lines in fields(head):
            assert all(len(line) <= 998 for line in lines), (mail.kind, name)


def test_message_id_and_subject_start_beside_their_name(delivered):
    for mail, raw in delivered:
        top = dict(fields(raw.partition(b"\r\n\r\n")[0]))
        (message_id,) = top["Message-ID"]  # one line: a msg-id has no whitespace to fold at
        assert MESSAGE_ID.fullmatch(unfolded([message_id])), (mail.kind, message_id)
        assert top["Subject"][0].startswith(b"Subject: ") and top["Subject"][0][9:].strip()


def test_a_subject_with_the_organisers_accented_name_reads_back_with_single_spaces(delivered):
    raw = next(raw for mail, raw in delivered if mail.kind == StaffMail.INVITATION)
    assert str(message_from_bytes(raw, policy=policy.default)["Subject"]) == (
        "Uw medewerkersaccount bij Jeugd en Veiligheid Oost-Nederland — Café Ĳsselland"
    )


def test_content_language_and_auto_submitted_on_every_mail(delivered):
    for mail, raw in delivered:
        top = top_fields(raw)
        assert top["Content-Language"] == mail.language, mail.kind
        # The organiser's own message is written by a person (RFC 3834 "no"); all else the app writes by itself.
        expected = "no" if mail.kind == RegistrationMail.ORGANISER_MESSAGE else "auto-generated"
        assert top["Auto-Submitted"] == expected, mail.kind


def test_list_headers_are_plain_ascii_by_the_rfcs_grammar(delivered):
    for mail, raw in delivered:
        top = top_fields(raw)
        is_list = mail.kind in (NewsletterMail.NEWSLETTER, RegistrationMail.ORGANISER_MESSAGE)
        assert ("List-Id" in top) == is_list, mail.kind
        assert ("List-Unsubscribe" in top) == (mail.kind == NewsletterMail.NEWSLETTER), mail.kind
        for name in ("List-Id", "List-Unsubscribe", "Message-ID"):
            assert "=?" not in top.get(name, ""), (mail.kind, name, top[name])
        if is_list:
            assert LIST_ID.fullmatch(top["List-Id"]), top["List-Id"]
    newsletter_mail = next(top_fields(raw) for mail, raw in delivered if mail.kind == NewsletterMail.NEWSLETTER)
    link, mailto = LIST_UNSUBSCRIBE.fullmatch(newsletter_mail["List-Unsubscribe"]).groups()
    assert link.startswith(f"{PUBLIC_URL}/newsletter/unsubscribe/")
    assert mailto == f"mailto:{ORGANIZER_EMAIL}?subject=unsubscribe"
    assert newsletter_mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert newsletter_mail["List-Id"] == (
        '"Nieuwsbrief van Jeugd en Veiligheid Oost-Nederland Cafe IJsselland"'
        " <newsletter.jeugd-en-veiligheid-oost-nederland.regio-ijsselland.example.org>"
    )


def test_every_part_has_a_7bit_safe_transfer_encoding(delivered):
    for mail, raw in delivered:
        parts = leaf_parts(raw)
        types = [part["content-type"].split(";")[0] for part in parts]
        assert "text/plain" in types and "text/html" in types, mail.kind
        for part in parts:
            assert part.get("content-transfer-encoding", "7bit").lower() in SAFE_ENCODINGS, (mail.kind, part)
    confirmation = next(raw for mail, raw in delivered if mail.kind == RegistrationMail.CONFIRMED)
    assert "text/calendar" in [part["content-type"].split(";")[0] for part in leaf_parts(confirmation)]
