"""The program day: Event, its AgendaItems, and the Sessions people choose between."""

import datetime as dt
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship, synonym

from eventapp.platform.db import StatusText, UTCDateTime, sql_values, utcnow
from eventapp.platform.extensions import Model
from eventapp.platform.i18n import Labelled, set_labels

PLENARY = "plenary"
CHOICE = "choice"


class AllocationMode(Labelled):
    """How an event hands out session seats: first come first served, or allocated from ranked preferences."""

    FIRST_COME = "first-come"
    PREFERENCES = "preferences"


set_labels(
    AllocationMode,
    {
        AllocationMode.FIRST_COME: _l("First come, first served"),
        AllocationMode.PREFERENCES: _l("Ranked preferences, allocated at a deadline"),
    },
)


class Event(Model):
    """One program day: when and where, how many people, and when registration is open."""

    __tablename__ = "event"
    __table_args__ = (
        CheckConstraint("capacity >= 0", name="capacity_not_negative"),
        CheckConstraint("seats_taken >= 0", name="seats_taken_not_negative"),
        CheckConstraint("registration_closes_at > registration_opens_at", name="registration_window_order"),
        CheckConstraint(f"allocation_mode IN ({sql_values(AllocationMode)})", name="allocation_mode_known"),
        CheckConstraint(
            f"allocation_mode = '{AllocationMode.FIRST_COME}' OR preferences_deadline IS NOT NULL",
            name="preferences_have_deadline",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    edition: Mapped[int | None]
    title_nl: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(200))
    intro_nl: Mapped[str] = mapped_column(Text, default="")
    intro_en: Mapped[str] = mapped_column(Text, default="")
    date: Mapped[dt.date]
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/Amsterdam")
    venue: Mapped[str] = mapped_column(String(200))  # in Dutch, the day's main language
    venue_en: Mapped[str] = mapped_column(String(200), default="", server_default="")  # empty: as in Dutch
    venue_nl = synonym("venue")  # so the venue reads in a language like every other text (text_in)
    # The street address under the venue's name (the event page links it to a map), and whom people can write to.
    venue_address: Mapped[str] = mapped_column(String(300), default="")
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    # People the day holds; seats_taken counts confirmed registrations and is only ever
    # changed by a guarded UPDATE (see registration services), never read-then-written.
    capacity: Mapped[int]
    seats_taken: Mapped[int] = mapped_column(default=0)
    registration_opens_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    registration_closes_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    # When the day seats of people who had not come were released (at the end of walk-in), if yet.
    day_seats_released_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # When the session seats held at the start of the day were written down (registration.day_seats), if yet.
    seats_frozen_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # Session seats: first come first served, or (in preference mode) people rank sessions until the
    # deadline and the allocation area hands the seats out once (`allocated_at`); after it, first come again.
    allocation_mode: Mapped[AllocationMode] = mapped_column(
        StatusText(AllocationMode), default=AllocationMode.FIRST_COME, server_default=AllocationMode.FIRST_COME.value
    )
    preferences_deadline: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    allocated_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # The edition this one was copied from: the event report shows its figures beside this day's.
    copied_from_id: Mapped[int | None] = mapped_column(ForeignKey("event.id", ondelete="SET NULL"))
    # From this moment attendees can no longer give or change their feedback on the day.
    feedback_closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # The event's phase (events.phases): a draft until published; anonymised once the purge took its people's data.
    published_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, default=utcnow)
    anonymised_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    agenda_items: Mapped[list["AgendaItem"]] = relationship(
        back_populates="event", order_by="AgendaItem.starts_at", cascade="all, delete-orphan"
    )

    @property
    def seats_left(self) -> int:
        """Day seats still free (never negative)."""
        return max(self.capacity - self.seats_taken, 0)

    @property
    def collects_preferences(self) -> bool:
        """People rank sessions instead of taking seats: preference mode, not yet allocated."""
        return self.allocation_mode == AllocationMode.PREFERENCES and self.allocated_at is None

    @property
    def ends_at(self) -> dt.datetime:
        """The moment the day is over (the end of its last agenda item, else the end of its date)."""
        return self.local_datetime(self.day_ends_at or dt.time(23, 59))

    @property
    def day_starts_at(self) -> dt.time | None:
        """Wall-clock start of the first agenda item."""
        return self.agenda_items[0].starts_at if self.agenda_items else None

    @property
    def day_ends_at(self) -> dt.time | None:
        """Wall-clock end of the last agenda item."""
        return max((item.ends_at for item in self.agenda_items), default=None)

    def local_datetime(self, time: dt.time) -> dt.datetime:
        """A wall-clock time on the day, as an aware datetime in the event's time zone."""
        return dt.datetime.combine(self.date, time, tzinfo=ZoneInfo(self.timezone))

    def __repr__(self) -> str:
        return f"<Event {self.slug}>"


class AgendaItem(Model):
    """A block of the afternoon: plenary for everyone, or a choice slot with parallel sessions."""

    __tablename__ = "agenda_item"
    __table_args__ = (
        CheckConstraint(f"kind IN ('{PLENARY}', '{CHOICE}')", name="kind_known"),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    starts_at: Mapped[dt.time]
    ends_at: Mapped[dt.time]
    kind: Mapped[str] = mapped_column(String(16))
    title_nl: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(200))
    # A choice slot: when the seats of people who had not come were released (shortly before it starts), if yet.
    seats_released_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    event: Mapped[Event] = relationship(back_populates="agenda_items")
    sessions: Mapped[list["Session"]] = relationship(
        back_populates="agenda_item", order_by="Session.position, Session.id"
    )

    @property
    def is_choice(self) -> bool:
        """True for a slot in which each attendee picks one session."""
        return self.kind == CHOICE

    def __repr__(self) -> str:
        return f"<AgendaItem {self.starts_at:%H:%M} {self.title_en}>"


class Session(Model):
    """A session in a choice slot, with a limited number of seats."""

    __tablename__ = "session"
    __table_args__ = (
        # Lets a Choice name (session, slot) together, so the database checks that they match.
        UniqueConstraint("id", "agenda_item_id", name="uq_session_id_agenda_item_id"),
        CheckConstraint("capacity >= 0", name="capacity_not_negative"),
        CheckConstraint("seats_taken >= 0", name="seats_taken_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    agenda_item_id: Mapped[int] = mapped_column(ForeignKey("agenda_item.id", ondelete="RESTRICT"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    title_nl: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(200))
    description_nl: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    room: Mapped[str] = mapped_column(String(100), default="")  # in Dutch
    room_en: Mapped[str] = mapped_column(String(100), default="", server_default="")  # empty: as in Dutch
    room_nl = synonym("room")
    host_organisation: Mapped[str] = mapped_column(String(200), default="")
    capacity: Mapped[int]
    # Confirmed choices; changed only by guarded UPDATEs, like Event.seats_taken.
    seats_taken: Mapped[int] = mapped_column(default=0)
    # The organiser lets the door admit people beyond the seats (standing), each confirmed by the door staff.
    standing_allowed: Mapped[bool] = mapped_column(default=False, server_default=false())

    agenda_item: Mapped[AgendaItem] = relationship(back_populates="sessions")
    hosts: Mapped[list["SessionHost"]] = relationship(
        order_by="SessionHost.position, SessionHost.id", cascade="all, delete-orphan"
    )
    contacts: Mapped[list["PilotContact"]] = relationship(
        order_by="PilotContact.position, PilotContact.id", cascade="all, delete-orphan"
    )
    materials: Mapped[list["SessionMaterial"]] = relationship(
        order_by="SessionMaterial.position, SessionMaterial.id", cascade="all, delete-orphan"
    )

    @property
    def seats_left(self) -> int:
        """Seats still free (never negative)."""
        return max(self.capacity - self.seats_taken, 0)

    @property
    def is_full(self) -> bool:
        """No seat left: new choices join the waitlist."""
        return self.seats_left == 0

    def __repr__(self) -> str:
        return f"<Session {self.title_en}>"


class SessionHost(Model):
    """Someone who leads a session: shown with it on the event page, the form and the personal page."""

    __tablename__ = "session_host"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("session.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    name: Mapped[str] = mapped_column(String(200))
    organisation: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(200), default="")


class PilotContact(Model):
    """Whom to contact about a pilot: the name and organisation are shown, the address never is.

    Attendees who ask to be contacted are handed over to this person by the organiser, by mail.
    """

    __tablename__ = "pilot_contact"
    __table_args__ = (CheckConstraint("language IN ('nl', 'en')", name="language_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("session.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    name: Mapped[str] = mapped_column(String(200))
    organisation: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    language: Mapped[str] = mapped_column(String(2), default="nl")


class SessionMaterial(Model):
    """A link to a session's slides, report or pilot page; attendees see them after the day."""

    __tablename__ = "session_material"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("session.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(String(200))
    url: Mapped[str] = mapped_column(String(1000))
