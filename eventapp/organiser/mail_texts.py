"""The organiser's own words in the attendees' mails: which mail each text goes in, saving, preview and test.

The preview and the test copy are the real mail, built by its own area for a sample person
(registration/sample.py), with the words as typed on the page, saved or not.
"""

from flask_babel import force_locale
from flask_babel import gettext as _

from eventapp.events.models import Event
from eventapp.feedback.models import FeedbackMail
from eventapp.platform.audit import audit
from eventapp.platform.db import DbSession
from eventapp.platform.mail import outbox, texts
from eventapp.platform.mail.models import OutgoingMail, TextKind
from eventapp.platform.staff.models import User
from eventapp.registration.models import RegistrationMail

# For each text, the mail a sample person gets to show it: its kind and what its builder needs.
SAMPLES: dict[TextKind, tuple[str, dict]] = {
    TextKind.CONFIRMATION: (RegistrationMail.CONFIRMED, {}),
    TextKind.WAITLIST: (RegistrationMail.WAITLISTED, {}),
    TextKind.PROMOTION: (RegistrationMail.PROMOTED, {"day": True}),
    TextKind.REMINDER: (RegistrationMail.REMINDER, {}),
    TextKind.CHANGE: (RegistrationMail.CHOICE_CHANGED, {}),
    TextKind.CANCEL: (RegistrationMail.CANCELLED, {}),
    TextKind.ALLOCATION: (RegistrationMail.CHOICE_CHANGED, {"allocated": True}),
    TextKind.FEEDBACK: (FeedbackMail.REQUEST, {}),
    TextKind.MESSAGE: (RegistrationMail.ORGANISER_MESSAGE, {}),
}


def sample_payload(event: Event, kind: TextKind, language: str, words: texts.Words) -> tuple[str, dict]:
    """The mail kind and payload of the sample mail for `kind`, carrying `words`."""
    mail_kind, extra = SAMPLES[kind]
    payload = {**extra, "sample": {"event_id": event.id, "session_id": None}, "texts": vars(words)}
    if kind == TextKind.MESSAGE:
        with force_locale(language):
            payload["subject"] = _("A message from the organisers")
            payload["body"] = _("Here is the message you write on the Message page.")
    return mail_kind, payload


def sample_mail(event: Event, kind: TextKind, language: str, words: texts.Words, address: str) -> OutgoingMail:
    """The sample mail, not saved: for the preview, through the real mail builder."""
    mail_kind, payload = sample_payload(event, kind, language, words)
    return OutgoingMail(kind=mail_kind, recipient=address, language=language, payload=payload)


def send_test(
    db_session: DbSession, event: Event, kind: TextKind, language: str, words: texts.Words, user: User, now
) -> OutgoingMail:
    """One sample mail in the outbox for the organiser's own address; about nobody, in nobody's history."""
    mail_kind, payload = sample_payload(event, kind, language, words)
    return outbox.enqueue_to(db_session, mail_kind, user.email, language, now, **payload)


def save(db_session: DbSession, event: Event, wanted: dict[tuple[str, str], texts.Words], user: User, now) -> int:
    """Store the texts; an audit entry names the texts that changed. Returns how many changed."""
    changed = texts.save_words(db_session, event.id, wanted, now)
    if changed:
        audit(db_session, user, "mail_texts.changed", event, texts=changed)
    return len(changed)
