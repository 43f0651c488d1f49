"""The organiser's own words in a mail: read when a mail is built, saved from the organiser's texts page.

Infrastructure like the rest of mail/: an area's builder asks `words_for` with the event and the
TextKind its mail maps onto, and puts the result after its greeting and before its signature.
"""

from dataclasses import dataclass

from sqlalchemy import select

from eventapp.platform.db import DbSession
from eventapp.platform.mail import markdown
from eventapp.platform.mail.models import MailText, OutgoingMail, TextKind

LANGUAGES = ("nl", "en")
MAX_LENGTH = 4000  # a few paragraphs: the mail's own facts stay the heart of it


@dataclass(frozen=True)
class Words:
    """An opening and a closing, as typed (Markdown); empty strings mean the built-in words only."""

    opening: str = ""
    closing: str = ""

    def context(self) -> dict:
        """What a mail template needs: each text for the plain part and as HTML for the HTML part."""
        return {
            "opening_text": markdown.to_text(self.opening),
            "opening_html": markdown.to_html(self.opening),
            "closing_text": markdown.to_text(self.closing),
            "closing_html": markdown.to_html(self.closing),
        }


NO_WORDS = Words()


def words_for(db_session: DbSession, event_id: int, kind: TextKind | None, language: str) -> Words:
    """The organiser's words for this mail, or none (a kind no organiser can edit, or nothing written)."""
    if kind is None:
        return NO_WORDS
    row = db_session.scalar(
        select(MailText).where(MailText.event_id == event_id, MailText.kind == kind, MailText.language == language)
    )
    return Words(row.opening, row.closing) if row else NO_WORDS


def words_of(db_session: DbSession, mail: OutgoingMail, event_id: int, kind: TextKind | None) -> Words:
    """The words a mail carries; an organiser's test copy (a sample's) carries those typed on the texts page,
    saved or not, so the preview and the test show what the organiser is about to save."""
    if "sample" in mail.payload and "texts" in mail.payload:
        return Words(**mail.payload["texts"])
    return words_for(db_session, event_id, kind, mail.language)


def all_words(db_session: DbSession, event_id: int) -> dict[tuple[str, str], Words]:
    """Every text of an event, by (kind, language)."""
    rows = db_session.scalars(select(MailText).where(MailText.event_id == event_id))
    return {(str(row.kind), row.language): Words(row.opening, row.closing) for row in rows}


def save_words(db_session: DbSession, event_id: int, wanted: dict[tuple[str, str], Words], now) -> list[str]:
    """Store the texts as given (stripped); returns the "kind/language" pairs that changed, for the audit log.

    An emptied pair is deleted: no row is the same as the built-in words.
    """
    rows = {
        (str(r.kind), r.language): r for r in db_session.scalars(select(MailText).where(MailText.event_id == event_id))
    }
    changed = []
    for (kind, language), words in wanted.items():
        opening, closing = words.opening.strip(), words.closing.strip()
        row = rows.get((kind, language))
        if row is not None and (row.opening, row.closing) == (opening, closing):
            continue
        if row is None and not (opening or closing):
            continue
        changed.append(f"{kind}/{language}")
        if not (opening or closing):
            db_session.delete(row)
        elif row is None:
            db_session.add(
                MailText(
                    event_id=event_id,
                    kind=TextKind(kind),
                    language=language,
                    opening=opening,
                    closing=closing,
                    updated_at=now,
                )
            )
        else:
            row.opening, row.closing, row.updated_at = opening, closing, now
    db_session.flush()
    return changed


def copy_words(db_session: DbSession, source_id: int, target_id: int, now) -> None:
    """The next edition starts with this edition's texts (as it does with its program)."""
    for (kind, language), words in all_words(db_session, source_id).items():
        db_session.add(
            MailText(
                event_id=target_id,
                kind=TextKind(kind),
                language=language,
                opening=words.opening,
                closing=words.closing,
                updated_at=now,
            )
        )
