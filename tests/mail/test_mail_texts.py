"""The organiser's own words in a mail: Markdown kept to paragraphs, emphasis, lists and links; placed after the
greeting and before the signature of the real mail, in the person's language."""

import datetime as dt

import pytest
from sqlalchemy import select

from eventapp.events.services import copy_event
from eventapp.feedback.models import FeedbackMail
from eventapp.platform.db import utcnow
from eventapp.platform.extensions import db
from eventapp.platform.mail import markdown, outbox, texts
from eventapp.platform.mail.folding import OUTBOX
from eventapp.platform.mail.kinds import compose, message_of
from eventapp.platform.mail.models import MailText, OutgoingMail, TextKind
from eventapp.platform.mail.sender import sending_context
from eventapp.registration.mails import text_kind
from eventapp.registration.models import Registration, RegistrationMail
from tests.registration.helpers import sign_up


def test_markdown_keeps_paragraphs_emphasis_lists_and_links():
    html = markdown.to_html("Welkom *allemaal*, **graag** tot dan.\n\n- koffie\n- [route](https://example.org/route)")
    assert "<em>allemaal</em>" in html and "<strong>graag</strong>" in html
    assert "<ul>\n<li>koffie</li>" in html and '<a href="https://example.org/route">route</a>' in html
    assert '<a href="mailto:info@example.org">' in markdown.to_html("[mail ons](mailto:info@example.org)")


@pytest.mark.parametrize(
    "written",
    [
        "<script>alert(1)</script>",
        "Hallo <img src=x onerror=alert(1)> daar",
        '<a href="https://evil.example">raw</a>',
        "<div style='display:none'>verstopt</div>",
    ],
)
def test_raw_html_is_shown_as_text_never_passed_through(written):
    html = markdown.to_html(written)
    assert "<script" not in html and "<img" not in html and "<div" not in html and "<a " not in html
    assert "&lt;" in html


def test_images_are_no_images():
    html = markdown.to_html("![logo](https://example.org/tracker.png)")
    assert "<img" not in html


@pytest.mark.parametrize(
    "link", ["javascript:alert(1)", "JavaScript:alert(1)", " javascript:alert(1)", "data:text/html,x", "vbscript:x"]
)
def test_only_http_and_mailto_links(link):
    html = markdown.to_html(f"[klik]({link})")
    assert "<a" not in html and "href" not in html


def test_headings_quotes_and_code_stay_plain_text():
    html = markdown.to_html("# Kop\n\n> citaat\n\n    code\n\n---")
    for tag in ("<h1", "<blockquote", "<pre", "<code", "<hr"):
        assert tag not in html


def test_the_plain_part_gets_the_text_itself():
    assert markdown.to_text("  *Welkom*, zie [de route](https://example.org)\n") == (
        "*Welkom*, zie [de route](https://example.org)"
    )
    assert markdown.to_html("  ") == "" and markdown.to_text(None) == ""


def parts_of(app, mail):
    with sending_context(app):
        message = compose(mail)
    return message.get_body(("plain",)).get_content(), message.get_body(("html",)).get_content()


@pytest.fixture
def confirmed(app, app_context, make_event):
    """An event with a Dutch and an English person, each with their confirmation in the outbox."""
    event = make_event()
    sign_up(event, 1, language="nl")
    sign_up(event, 2, language="en")
    return event


def confirmation_of(language):
    return db.session.scalar(
        select(OutgoingMail).where(OutgoingMail.kind == RegistrationMail.CONFIRMED, OutgoingMail.language == language)
    )


def write(event, kind, language, opening="", closing=""):
    texts.save_words(db.session, event.id, {(kind, language): texts.Words(opening, closing)}, utcnow())
    db.session.commit()


@pytest.mark.parametrize(
    ("language", "greeting", "signature"),
    [("nl", "Beste Person 1,", "Met vriendelijke groet,"), ("en", "Dear Person 2,", "Kind regards,")],
)
def test_the_opening_follows_the_greeting_and_the_closing_precedes_the_signature(
    app, confirmed, language, greeting, signature
):
    write(confirmed, "confirmation", language, f"Fijn dat u komt *({language})*.", f"Tot de {language}-dag!")
    text, html = parts_of(app, confirmation_of(language))
    assert (
        text.index(greeting)
        < text.index(f"Fijn dat u komt *({language})*.")
        < text.index(confirmed.title_en if language == "en" else confirmed.title_nl)
    )
    assert text.index(f"Tot de {language}-dag!") < text.rindex(signature)
    assert html.index(greeting) < html.index(f"Fijn dat u komt <em>({language})</em>.")
    assert html.index(f"<p>Tot de {language}-dag!</p>") < html.rindex(signature)


def test_each_language_gets_its_own_words(app, confirmed):
    write(confirmed, "confirmation", "nl", "Alleen in het Nederlands.")
    dutch, _ = parts_of(app, confirmation_of("nl"))
    english, _ = parts_of(app, confirmation_of("en"))
    assert "Alleen in het Nederlands." in dutch and "Alleen in het Nederlands." not in english


def test_an_opening_with_its_own_greeting_gets_no_second_one(app, confirmed):
    write(confirmed, "confirmation", "nl", "Beste collega,\n\nWat fijn dat u er bij bent.")
    text, html = parts_of(app, confirmation_of("nl"))
    assert "Beste Person 1" not in text and text.startswith("Beste collega,")
    assert "Beste Person 1" not in html and html.count("Beste") == 1


def test_empty_means_the_built_in_mail_as_before(app, confirmed):
    before = parts_of(app, confirmation_of("en"))
    write(confirmed, "confirmation", "en", "Something", "Else")
    write(confirmed, "confirmation", "en", "", "")
    assert db.session.scalar(select(MailText)) is None
    after = parts_of(app, confirmation_of("en"))
    assert after[0] == before[0]


def test_the_allocation_has_its_own_text_and_other_kinds_keep_theirs(app, confirmed):
    assert text_kind(RegistrationMail.CHOICE_CHANGED, {"allocated": True}) == TextKind.ALLOCATION
    assert text_kind(RegistrationMail.CHOICE_CHANGED, {}) == TextKind.CHANGE
    assert text_kind(RegistrationMail.MANAGE_LINK, {}) is None
    write(confirmed, "change", "en", "Words for a change.")
    text, _ = parts_of(app, confirmation_of("en"))
    assert "Words for a change." not in text


def test_a_mail_already_built_keeps_what_it_said(app, confirmed):
    mail = confirmation_of("en")
    with sending_context(app):
        mail.mime = compose(mail).as_bytes(policy=OUTBOX)  # what the sender stores when it sends
    db.session.commit()
    write(confirmed, "confirmation", "en", "Written after it went out.")
    assert "Written after it went out." not in message_of(mail).get_body(("plain",)).get_content()
    assert "Written after it went out." in parts_of(app, mail)[0]  # a mail built now has them


def test_save_words_reports_what_changed(app, app_context, make_event):
    event = make_event()
    now = utcnow()
    first = {("reminder", "nl"): texts.Words("Tot morgen", ""), ("reminder", "en"): texts.Words("", "")}
    assert texts.save_words(db.session, event.id, first, now) == ["reminder/nl"]
    assert texts.save_words(db.session, event.id, first, now + dt.timedelta(minutes=1)) == []
    assert texts.words_for(db.session, event.id, TextKind.REMINDER, "nl") == texts.Words("Tot morgen", "")


def test_markup_in_the_words_never_reaches_the_real_html_part_as_markup(app, confirmed):
    typed = "Hello <script>alert(1)</script> [x](javascript:alert(1)) ![t](https://t.example/p.png)"
    write(confirmed, "confirmation", "en", typed)
    text, html = parts_of(app, confirmation_of("en"))
    assert "<script" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'href="javascript' not in html and 'src="https://t.example' not in html
    assert typed in text  # the plain part is the text as typed: a mail program runs none of it


def registration_of(language):
    return db.session.get(Registration, confirmation_of(language).registration_id)


def test_the_organisers_message_gets_its_words_and_one_greeting(app, confirmed):
    write(confirmed, "message", "nl", "", "Met hartelijke groet van het hele team.")
    body = "Beste allemaal,\n\nTot dan."
    mail = outbox.enqueue(
        db.session, RegistrationMail.ORGANISER_MESSAGE, registration_of("nl"), utcnow(), subject="S", body=body
    )
    db.session.commit()
    text, _ = parts_of(app, mail)
    assert text.count("Beste") == 1 and text.index("Tot dan.") < text.index("Met hartelijke groet van het hele team.")


def test_a_message_with_its_own_greeting_keeps_it_first_then_the_opening(app, confirmed):
    write(confirmed, "message", "nl", "Fijn u weer te schrijven.")
    body = "Beste allemaal,\n\nTot dan."
    mail = outbox.enqueue(
        db.session, RegistrationMail.ORGANISER_MESSAGE, registration_of("nl"), utcnow(), subject="S", body=body
    )
    db.session.commit()
    text, html = parts_of(app, mail)
    assert text.count("Beste") == 1 and html.count("Beste") == 1
    assert text.index("Beste allemaal,") < text.index("Fijn u weer te schrijven.") < text.index("Tot dan.")
    assert html.index("<p>Beste allemaal,</p>") < html.index("<p>Fijn u weer te schrijven.</p>")


@pytest.mark.parametrize(("language", "greeting"), [("nl", "Beste Person 1,"), ("en", "Dear Person 2,")])
def test_the_feedback_request_gets_its_words(app, confirmed, language, greeting):
    write(confirmed, "feedback", language, f"Dank u ({language}).", f"Tot een volgende keer ({language}).")
    mail = outbox.enqueue(db.session, FeedbackMail.REQUEST, registration_of(language), utcnow())
    db.session.commit()
    text, html = parts_of(app, mail)
    assert text.index(greeting) < text.index(f"Dank u ({language}).")
    assert text.index(f"Tot een volgende keer ({language}).") < text.rindex(str(app.config["ORGANIZER_NAME"]))
    assert f"<p>Dank u ({language}).</p>" in html


def test_the_next_edition_starts_with_the_texts(app, confirmed):
    write(confirmed, "reminder", "en", "See you", "Bye")
    copy = copy_event(db.session, confirmed, "next-edition", confirmed.date + dt.timedelta(days=365), None, utcnow())
    assert texts.words_for(db.session, copy.id, TextKind.REMINDER, "en") == texts.Words("See you", "Bye")
