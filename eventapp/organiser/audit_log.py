"""The audit log as organisers read it: each entry a sentence in their language, never an internal code."""

import datetime as dt
import re

from flask_babel import format_date, format_datetime, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from eventapp.events.models import AgendaItem, Session
from eventapp.platform.audit import AuditEntry
from eventapp.platform.db import DbSession
from eventapp.platform.i18n import current_language, text_in
from eventapp.platform.mail.models import TextKind
from eventapp.registration.models import OrganisationType, Registration

SENTENCES = {
    "event.created": _l("Set up the day"),
    "event.changed": _l("Changed the day"),
    "event.copied": _l("Made this edition from %(source)s"),
    "session.created": _l("Added the session %(title)s"),
    "session.changed": _l("Changed the session %(title)s"),
    "session.deleted": _l("Deleted the session %(title)s"),
    "agenda.created": _l("Added the agenda item %(title)s"),
    "agenda.changed": _l("Changed the agenda item %(title)s"),
    "agenda.deleted": _l("Deleted the agenda item %(title)s"),
    "person.admitted": _l("Gave them a place for the day, from the waitlist"),
    "person.cancelled": _l("Cancelled their registration on their behalf"),
    "person.erased": _l("Erased their details"),
    "person.confirmation_resent": _l("Sent their confirmation again"),
    "person.changed": _l("Changed their details"),
    "person.transferred": _l("Gave the place to a colleague (%(before)s to %(after)s)"),
    "allocation.mode": _l("Chose how session seats are handed out: %(mode)s"),
    "allocation.run": _l("Allocated the session seats from the rankings (seed %(seed)s)"),
    "export.attendance": _l("Exported the attendance list (%(format)s)"),
    "export.session": _l("Exported the list of %(session)s (%(format)s)"),
    "export.waitlists": _l("Exported the waitlists (%(format)s)"),
    "test_scans.cleared": _l("Cleared %(cleared)s test scans made before the day"),
    "seats.released": _l("Released %(released)s seats of people who had not come; %(seated)s went to people waiting"),
    "export.answers": _l("Exported the summary of the answers (%(format)s)"),
    "statement.issued": _l("Issued their statement of attendance"),
    "statement.revoked": _l("Revoked their statement of attendance"),
    "feedback.closed": _l("Closed the feedback"),
    "feedback.reopened": _l("Opened the feedback again"),
    "question.added": _l("Added the question %(title)s"),
    "question.changed": _l("Changed the question %(title)s"),
    "question.moved": _l("Moved the question %(title)s"),
    "question.removed": _l("Removed the question %(title)s with %(answers)d answers"),
    "desk.searches": _l("The desk %(desk)s made %(searches)s searches (%(today)s today)"),
}
# Exports that held the answers to sensitive questions (asked for with ?sensitive=yes) say so.
SENSITIVE_EXPORTS = {
    "export.attendance": _l("Exported the attendance list with the sensitive answers (%(format)s)"),
    "export.answers": _l("Exported the summary of the answers with the sensitive texts and names (%(format)s)"),
}

FIELDS = {
    "slug": _l("web address"),
    "edition": _l("edition"),
    "title_nl": _l("Dutch title"),
    "title_en": _l("English title"),
    "intro_nl": _l("Dutch introduction"),
    "intro_en": _l("English introduction"),
    "description_nl": _l("Dutch description"),
    "description_en": _l("English description"),
    "date": _l("date"),
    "venue": _l("venue"),
    "venue_address": _l("venue's address"),
    "contact_email": _l("contact address"),
    "timezone": _l("time zone"),
    "capacity": _l("capacity"),
    "registration_opens_at": _l("registration opens"),
    "registration_closes_at": _l("registration closes"),
    "room": _l("room"),
    "host_organisation": _l("host"),
    "position": _l("order"),
    "starts_at": _l("start"),
    "ends_at": _l("end"),
    "kind": _l("kind"),
}
# The kinds of action the log filters by (?action=): the first part of an entry's action, in the reader's words.
ACTION_KINDS = {
    "event": _l("The day's setup"),
    "agenda": _l("Agenda"),
    "session": _l("Sessions"),
    "person": _l("People"),
    "export": _l("Exports"),
    "allocation": _l("Seat allocation"),
    "seats": _l("Released seats"),
    "statement": _l("Statements of attendance"),
    "feedback": _l("Feedback"),
    "question": _l("Questions"),
    "message": _l("Messages"),
    "pilot": _l("Pilot contacts"),
    "desk": _l("Desk"),
    "staff": _l("Staff accounts"),
}
LONG_TEXTS = {"intro_nl", "intro_en", "description_nl", "description_en"}


def action_kind(asked: str) -> str:
    """?action=: a kind of action the log knows, else "" (every kind)."""
    return asked if asked in ACTION_KINDS else ""


def person_named(registration: Registration | None) -> str:
    """Whom an entry is about: their name, or "erased person" once their details are gone."""
    if registration is None or registration.anonymised_at is not None:
        return _("erased person")
    return registration.name


def sentence(db_session: DbSession, entry: AuditEntry) -> str:
    """What happened, as one sentence in the reader's language, with what changed."""
    details = entry.details or {}
    if entry.action == "session.cancelled":
        text = ngettext(
            "Cancelled the session %(title)s; %(num)d person was told",
            "Cancelled the session %(title)s; %(num)d people were told",
            details.get("people", 0),
            title=details.get("title", ""),
        )
    elif entry.action == "person.moved":
        text = _("Moved them to %(session)s", session=details.get("session", ""))
        if details.get("over_capacity"):
            text = _("Moved them to %(session)s, over its capacity", session=details.get("session", ""))
    elif details.get("sensitive") and entry.action in SENSITIVE_EXPORTS:
        text = str(SENSITIVE_EXPORTS[entry.action]) % details
    elif entry.action == "pilot.handed_over":
        text = ngettext(
            "Passed %(num)d request to be contacted about %(title)s to %(contacts)s",
            "Passed %(num)d requests to be contacted about %(title)s to %(contacts)s",
            details.get("people", 0),
            title=_title(db_session, entry),
            contacts=details.get("contacts", ""),
        )
    elif entry.action == "allocation.mode" and details.get("converted"):
        text = ngettext(
            "Chose how session seats are handed out: %(mode)s; the sessions of %(num)d person became first choices",
            "Chose how session seats are handed out: %(mode)s; the sessions of %(num)d people became first choices",
            details["converted"],
            mode=details.get("mode", ""),
        )
    elif entry.action == "message.sent":
        text = _message_sentence(details)
    elif entry.action == "mail_texts.changed":
        text = _("Changed the words of the mails: %(texts)s", texts=_texts_named(details.get("texts", [])))
    elif entry.action in SENTENCES:
        text = str(SENTENCES[entry.action]) % {**details, "title": _title(db_session, entry)}
    else:  # an action this page has no words for yet: say so plainly rather than show its code
        text = _("Another change")
    changes = [change_phrase(field, *pair) for field, pair in details.get("changes", {}).items()]
    return text + (": " + "; ".join(changes) if changes else "")


def _texts_named(changed: list[str]) -> str:
    """ "confirmation/nl" as "Registration confirmed (Dutch)"."""
    languages = {"nl": _("Dutch"), "en": _("English")}
    named = []
    for pair in changed:
        kind, _slash, language = pair.partition("/")
        label = TextKind(kind).label if kind in set(map(str, TextKind)) else kind
        named.append(f"{label} ({languages.get(language, language)})")
    return ", ".join(named)


def _message_sentence(details: dict) -> str:
    recipients, subject = details.get("recipients", 0), details.get("subject", "")
    if details.get("session") and details.get("audience") == "attended":
        return ngettext(
            "Sent “%(subject)s” to %(num)d person who attended %(session)s",
            "Sent “%(subject)s” to %(num)d people who attended %(session)s",
            recipients,
            subject=subject,
            session=details["session"],
        )
    if details.get("session"):
        return ngettext(
            "Sent “%(subject)s” to %(num)d person of %(session)s",
            "Sent “%(subject)s” to %(num)d people of %(session)s",
            recipients,
            subject=subject,
            session=details["session"],
        )
    audience = details.get("audience", "confirmed")
    if audience in ("came", "did_not_come", "type"):
        return _after_the_day_sentence(audience, details, recipients, subject)
    if audience == "waitlisted":
        return ngettext(
            "Sent “%(subject)s” to %(num)d person on the waitlist",
            "Sent “%(subject)s” to %(num)d people on the waitlist",
            recipients,
            subject=subject,
        )
    if audience == "checked_in":
        return ngettext(
            "Sent “%(subject)s” to %(num)d person who checked in",
            "Sent “%(subject)s” to %(num)d people who checked in",
            recipients,
            subject=subject,
        )
    if audience == "not_checked_in":
        return ngettext(
            "Sent “%(subject)s” to %(num)d person who has not checked in",
            "Sent “%(subject)s” to %(num)d people who have not checked in",
            recipients,
            subject=subject,
        )
    return ngettext(
        "Sent “%(subject)s” to %(num)d person", "Sent “%(subject)s” to %(num)d people", recipients, subject=subject
    )


def _after_the_day_sentence(audience: str, details: dict, recipients: int, subject: str) -> str:
    if audience == "came":
        return ngettext(
            "Sent “%(subject)s” to %(num)d person who came",
            "Sent “%(subject)s” to %(num)d people who came",
            recipients,
            subject=subject,
        )
    if audience == "did_not_come":
        return ngettext(
            "Sent “%(subject)s” to %(num)d person who registered and did not come",
            "Sent “%(subject)s” to %(num)d people who registered and did not come",
            recipients,
            subject=subject,
        )
    kind = details.get("organisation_type", "")
    label = OrganisationType(kind).label if kind in OrganisationType._value2member_map_ else kind
    return ngettext(
        "Sent “%(subject)s” to %(num)d person from: %(kind)s",
        "Sent “%(subject)s” to %(num)d people from: %(kind)s",
        recipients,
        subject=subject,
        kind=label,
    )


def _title(db_session: DbSession, entry: AuditEntry) -> str:
    """The session's or agenda item's title in the reader's language (the one recorded once it is gone)."""
    details = entry.details or {}
    found: Session | AgendaItem | None = None
    if "session_id" in details:
        found = db_session.get(Session, details["session_id"])
    elif "item_id" in details:
        found = db_session.get(AgendaItem, details["item_id"])
    if found is not None:
        return text_in(found, "title", current_language())
    return details.get("title", "")


def change_phrase(field: str, old, new) -> str:
    """“capacity from 35 to 12”; a long text only says that it changed."""
    name = str(FIELDS.get(field, field.replace("_", " ")))
    # Equal values: an erased person's correction, whose words were replaced by a placeholder.
    if field in LONG_TEXTS or old == new:
        return _("%(field)s changed", field=name)
    return _("%(field)s from %(old)s to %(new)s", field=name, old=_value(old), new=_value(new))


def _value(value) -> str:
    """A recorded value as a person writes it: times as 14:20, dates in words, nothing as a dash."""
    if value is None or value == "":
        return "–"
    text = str(value)
    if re.fullmatch(r"\d\d:\d\d(:\d\d(\.\d+)?)?", text):
        return text[:5]
    if re.fullmatch(r"\d{4}-\d\d-\d\d", text):
        return format_date(dt.date.fromisoformat(text), "d MMMM yyyy")
    if re.fullmatch(r"\d{4}-\d\d-\d\d[ T]\d\d:\d\d.*", text):
        return format_datetime(dt.datetime.fromisoformat(text), "d MMMM yyyy HH:mm")
    return text
