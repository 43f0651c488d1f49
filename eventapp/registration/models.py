"""People who come: a Registration for the day and a Choice per choice slot."""

import datetime as dt

from anyascii import anyascii
from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    String,
    Text,
    UniqueConstraint,
    event,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eventapp.events.models import AgendaItem, Event, Session
from eventapp.platform.db import StatusText, UTCDateTime, sql_values, utcnow
from eventapp.platform.extensions import Model
from eventapp.platform.i18n import Labelled, set_labels
from eventapp.registration.names import sort_key


class RegistrationStatus(Labelled):
    """Where a registration stands for the day; a choice is CONFIRMED (a seat) or WAITLISTED (in line).

    A choice is RELEASED when its holder had not come by the slot's release moment: the seat went
    to someone at the door, and the person keeps their registration (checkin/release.py).
    """

    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    CANCELLED = "cancelled"
    RELEASED = "released"


class RegistrationMail(Labelled):
    """The messages the product sends about a registration (registered with the outbox in mails.py)."""

    CONFIRMED = "registration_confirmed"
    WAITLISTED = "registration_waitlisted"
    CHOICE_CHANGED = "choice_changed"
    PROMOTED = "promoted"
    CANCELLED = "cancelled"
    MANAGE_LINK = "manage_link"
    REMINDER = "reminder"
    ORGANISER_MESSAGE = "organiser_message"
    CALENDAR_UPDATE = "calendar_update"  # the organiser changed the day: times, rooms, venue, a session
    HOLD_RELEASED = "hold_released"  # the personal link was never opened: the seat went to the waitlist


# A registration is for the day; RELEASED is only ever a choice's status.
DAY_STATUSES = (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED, RegistrationStatus.CANCELLED)
CHOICE_STATUSES = (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED, RegistrationStatus.RELEASED)


class OrganisationType(Labelled):
    """The kind of organisation a person comes from: what the chain mix of a session is counted in."""

    MUNICIPALITY = "municipality"
    POLICE = "police"
    PUBLIC_PROSECUTION = "public_prosecution"
    CHILD_PROTECTION = "child_protection"
    YOUTH_CARE = "youth_care"
    YOUTH_PROTECTION = "youth_protection"
    EDUCATION = "education"
    HALT = "halt"
    PROBATION = "probation"
    SOCIAL_DOMAIN = "social_domain"
    OTHER = "other"


set_labels(
    OrganisationType,
    {
        OrganisationType.MUNICIPALITY: _l("Municipality"),
        OrganisationType.POLICE: _l("Police"),
        OrganisationType.PUBLIC_PROSECUTION: _l("Public Prosecution Service"),
        OrganisationType.CHILD_PROTECTION: _l("Child Protection Council"),
        OrganisationType.YOUTH_CARE: _l("Youth care"),
        OrganisationType.YOUTH_PROTECTION: _l("Youth protection"),
        OrganisationType.EDUCATION: _l("Education"),
        OrganisationType.HALT: _l("HALT"),
        OrganisationType.PROBATION: _l("Probation service"),
        OrganisationType.SOCIAL_DOMAIN: _l("Social domain"),
        OrganisationType.OTHER: _l("Other"),
    },
)
set_labels(
    RegistrationStatus,
    {
        RegistrationStatus.CONFIRMED: _l("confirmed"),
        RegistrationStatus.WAITLISTED: _l("on the waitlist"),
        RegistrationStatus.CANCELLED: _l("cancelled"),
        RegistrationStatus.RELEASED: _l("seat released"),
    },
)
set_labels(
    RegistrationMail,
    {
        RegistrationMail.CONFIRMED: _l("registration confirmed"),
        RegistrationMail.WAITLISTED: _l("on the waitlist"),
        RegistrationMail.CHOICE_CHANGED: _l("sessions changed"),
        RegistrationMail.PROMOTED: _l("a place became free"),
        RegistrationMail.CANCELLED: _l("registration cancelled"),
        RegistrationMail.MANAGE_LINK: _l("personal link again"),
        RegistrationMail.REMINDER: _l("reminder the day before"),
        RegistrationMail.ORGANISER_MESSAGE: _l("message from the organisers"),
        RegistrationMail.CALENDAR_UPDATE: _l("program change"),
        RegistrationMail.HOLD_RELEASED: _l("seat released: link never opened"),
    },
)


class Registration(Model):
    """One person's place at one event.

    `status` is the day: confirmed (holds a day seat), waitlisted (the day was full) or cancelled.
    The manage token (the personal link) and the ticket code (in the QR) are separate secrets,
    so a photographed ticket cannot be used to change or cancel a registration.
    """

    __tablename__ = "registration"
    __table_args__ = (
        # One live registration per address; cancelled ones stay beside a new one as history, so a new
        # registration never inherits a cancelled one's personal link or ticket.
        Index("ix_registration_event_id_email", "event_id", "email"),  # an address's registrations, any status
        Index("ix_registration_event_id_sort_name", "event_id", "sort_name", "id"),  # the people list, by page
        Index(
            "uq_registration_event_id_email_live",
            "event_id",
            "email",
            unique=True,
            sqlite_where=text(f"status <> '{RegistrationStatus.CANCELLED}'"),
            postgresql_where=text(f"status <> '{RegistrationStatus.CANCELLED}'"),
        ),
        CheckConstraint(
            f"status IN ({sql_values(DAY_STATUSES)})",
            name="status_known",
        ),
        CheckConstraint("language IN ('nl', 'en')", name="language_known"),
        CheckConstraint(f"organisation_type IN ({sql_values(OrganisationType)})", name="organisation_type_known"),
        CheckConstraint(
            f"(status = '{RegistrationStatus.WAITLISTED}') = (waitlisted_at IS NOT NULL)", name="waitlisted_has_place"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="RESTRICT"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254))  # stored lower-cased: one person, one address
    organisation: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(200), default="")
    # Kept when the personal fields are erased: a category, counted in the chain mix and the report.
    organisation_type: Mapped[OrganisationType] = mapped_column(
        StatusText(OrganisationType, 32), default=OrganisationType.OTHER, server_default=OrganisationType.OTHER.value
    )
    language: Mapped[str] = mapped_column(String(2), default="nl")
    status: Mapped[RegistrationStatus] = mapped_column(StatusText(RegistrationStatus))
    manage_token: Mapped[str] = mapped_column(String(64), unique=True)
    ticket_code: Mapped[str] = mapped_column(String(64), unique=True)
    consent_version: Mapped[str] = mapped_column(String(32))  # the privacy text they agreed to
    wants_newsletter: Mapped[bool] = mapped_column(default=False, server_default=false())  # ticked the optional box
    # Raised whenever what the person's calendar should show changes, so that calendar
    # programs replace the events they have (same UIDs, higher SEQUENCE).
    calendar_sequence: Mapped[int] = mapped_column(default=0, server_default="0")
    # Name, e-mail and organisation folded for search at the desk ("soeder" finds "Søderhuizen").
    search_text: Mapped[str] = mapped_column(Text, default="", server_default="")
    # The name as a Dutch list sorts it (registration.names.sort_key: "van der Plaat" under P); empty once erased.
    # Stored so a page of the people list is one indexed query, also for 10,000 people.
    sort_name: Mapped[str] = mapped_column(String(400), default="", server_default="")
    waitlisted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)  # place on the day's waitlist
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    cancelled_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # Not checked in when the day's walk-in ended: the day seat went to the people at the door (checkin/release.py).
    day_seat_released_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # When the person's name badge was last printed (the organiser's sheets or the desk).
    badge_printed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # Held seats must be claimed (registration/holds.py): the holder opened a /r/<token> page, or the
    # registration was made by an organiser, at the desk or by an import. Unclaimed day seats are released.
    claimed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # Since when the registration holds its day seat (registered with one, or admitted from the waitlist).
    held_since: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # The unclaimed hold was released to the waitlist; until claimed, the person is not admitted again.
    hold_released_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # Personal fields were removed (on request, or after the retention period); the row stays for counts.
    anonymised_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    event: Mapped[Event] = relationship()
    choices: Mapped[list["Choice"]] = relationship(
        back_populates="registration", cascade="all, delete-orphan", order_by="Choice.id"
    )

    def __repr__(self) -> str:
        return f"<Registration {self.id} {self.status}>"

    # Pages show these, not `name`/`email`: an erased row keeps a placeholder ("(erased)",
    # "erased-16@invalid") that must not read as a name or an address to the organiser.
    @property
    def shown_name(self) -> str:
        return str(_l("erased person")) if self.anonymised_at else self.name

    @property
    def shown_email(self) -> str:
        return "" if self.anonymised_at else self.email


# The other common way to write these letters in ASCII: "Søderhuizen" is found as "soder" and "soeder".
_SPELLED_OUT = str.maketrans(
    {
        "ø": "oe",
        "Ø": "Oe",
        "ö": "oe",
        "Ö": "Oe",
        "æ": "ae",
        "Æ": "Ae",
        "ä": "ae",
        "Ä": "Ae",
        "ü": "ue",
        "Ü": "Ue",
        "å": "aa",
        "Å": "Aa",
    }
)


def _fold(text: str) -> str:
    folded = anyascii(text).lower()
    return " ".join("".join(char if char.isalnum() else " " for char in folded).split())


def searchable(*texts: str) -> str:
    """Lower-case ASCII words: accents and letters such as ø, æ and ß transliterated, punctuation gone.

    Where a text has letters that are also spelled out (ø as oe), both spellings are kept.
    """
    text = " ".join(texts)
    variants = dict.fromkeys([_fold(text), _fold(text.translate(_SPELLED_OUT))])
    return " | ".join(variants)


def search_words(query: str) -> list[str]:
    """The words of a search query, folded as `searchable` folds the text it is matched against."""
    return _fold(query).split()


@event.listens_for(Registration, "before_insert")
@event.listens_for(Registration, "before_update")
def _refresh_search_text(_mapper, _connection, registration: Registration) -> None:
    registration.search_text = searchable(
        registration.name or "", registration.email or "", registration.organisation or ""
    )
    # Set wherever the name is (registration, the person's or the organiser's correction); erasure clears it.
    registration.sort_name = "" if registration.anonymised_at else sort_key(registration.name or "")


class Choice(Model):
    """A registration's seat in, or place in line for, one session of a choice slot.

    Per slot a registration holds at most one confirmed choice and at most one waitlisted
    choice: someone who asks to swap into a full session keeps their seat while they wait.
    Place in line is the order of `waitlisted_at` (then id): first come, first served.
    """

    __tablename__ = "choice"
    __table_args__ = (
        ForeignKeyConstraint(
            ["session_id", "agenda_item_id"],
            ["session.id", "session.agenda_item_id"],
            name="fk_choice_session_slot",
            ondelete="RESTRICT",
        ),
        UniqueConstraint("registration_id", "agenda_item_id", "status"),
        UniqueConstraint("registration_id", "session_id"),
        CheckConstraint(
            f"status IN ({sql_values(CHOICE_STATUSES)})",
            name="status_known",
        ),
        CheckConstraint(
            f"(status = '{RegistrationStatus.WAITLISTED}') = (waitlisted_at IS NOT NULL)", name="waitlisted_has_place"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("registration.id", ondelete="CASCADE"), index=True)
    agenda_item_id: Mapped[int] = mapped_column(ForeignKey("agenda_item.id", ondelete="RESTRICT"))
    session_id: Mapped[int] = mapped_column(index=True)
    status: Mapped[RegistrationStatus] = mapped_column(StatusText(RegistrationStatus))
    waitlisted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # Seated on the day from the people at the door, when no-show seats were released (checkin/release.py).
    seated_from_door_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    registration: Mapped[Registration] = relationship(back_populates="choices")
    session: Mapped[Session] = relationship(viewonly=True)
    agenda_item: Mapped[AgendaItem] = relationship(viewonly=True)

    def __repr__(self) -> str:
        return f"<Choice {self.registration_id}->{self.session_id} {self.status}>"


class TransferEnd(Labelled):
    """How a transfer request ended: the colleague accepted it, or a newer request replaced it."""

    ACCEPTED = "accepted"
    REPLACED = "replaced"


class TransferRequest(Model):
    """A person's request to give their place to a colleague, confirmed by the colleague's link (48 hours).

    Only the SHA-256 of the link's secret is stored; used once; a newer request replaces an open one.
    """

    __tablename__ = "transfer_request"
    __table_args__ = (
        CheckConstraint("language IN ('nl', 'en')", name="language_known"),
        CheckConstraint(f"organisation_type IN ({sql_values(OrganisationType)})", name="organisation_type_known"),
        CheckConstraint(f"ended_as IS NULL OR ended_as IN ({sql_values(TransferEnd)})", name="ended_as_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("registration.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254))
    organisation: Mapped[str] = mapped_column(String(200))
    organisation_type: Mapped[OrganisationType] = mapped_column(StatusText(OrganisationType, 32))
    language: Mapped[str] = mapped_column(String(2))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    ended_as: Mapped[TransferEnd | None] = mapped_column(StatusText(TransferEnd))

    registration: Mapped[Registration] = relationship()

    def __repr__(self) -> str:
        return f"<TransferRequest {self.id} r{self.registration_id}>"


class DaySeat(Model):
    """The session seat a person held in a slot when the day began (or that the desk or an organiser gave since).

    Where a session's doors were not scanned, this, not the person's current choice, says where they were:
    a change on the personal page later that day does not rewrite their statement or feedback.
    """

    __tablename__ = "day_seat"
    __table_args__ = (
        ForeignKeyConstraint(
            ["session_id", "agenda_item_id"],
            ["session.id", "session.agenda_item_id"],
            name="fk_day_seat_session_slot",
            ondelete="CASCADE",
        ),
        UniqueConstraint("registration_id", "agenda_item_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("registration.id", ondelete="CASCADE"), index=True)
    agenda_item_id: Mapped[int] = mapped_column(ForeignKey("agenda_item.id", ondelete="CASCADE"))
    session_id: Mapped[int] = mapped_column(index=True)
    noted_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<DaySeat {self.registration_id}->{self.session_id}>"
