"""Who came: a CheckIn per person at the door of the day, door attendance per session, and every scan."""

import datetime as dt

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eventapp.events.models import Session
from eventapp.platform.db import StatusText, UTCDateTime, sql_values, utcnow
from eventapp.platform.extensions import Model
from eventapp.platform.i18n import Labelled, set_labels
from eventapp.registration.models import Registration


class ScanStatus(Labelled):
    """What a scan found, as the check-in API reports it."""

    OK = "ok"
    ALREADY_CHECKED_IN = "already_checked_in"
    INVALID = "invalid"
    CANCELLED = "cancelled"
    WRONG_ROOM = "wrong_room"  # door mode: a seat in another session of this part of the day
    WAITLISTED_HERE = "waitlisted_here"  # door mode: waiting for this session, no seat in it
    NO_SEAT = "no_seat"  # door mode: no seat in this part of the day


class ScanMode(Labelled):
    """Where a scan was made."""

    ENTRY = "entry"  # the walk-in desk of the day
    DOOR = "session"  # the door of a theme or pilot session


set_labels(
    ScanStatus,
    {
        ScanStatus.OK: _l("welcome"),
        ScanStatus.ALREADY_CHECKED_IN: _l("already checked in"),
        ScanStatus.INVALID: _l("unknown code"),
        ScanStatus.CANCELLED: _l("registration cancelled"),
        ScanStatus.WRONG_ROOM: _l("not for this room"),
        ScanStatus.WAITLISTED_HERE: _l("on the waitlist of this session"),
        ScanStatus.NO_SEAT: _l("no seat in this part of the day"),
    },
)
set_labels(ScanMode, {ScanMode.ENTRY: _l("at the entrance"), ScanMode.DOOR: _l("at a session door")})


class CheckIn(Model):
    """A person has arrived: one row per registration, so two desks cannot both let them in."""

    __tablename__ = "check_in"

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("registration.id", ondelete="CASCADE"), unique=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    checked_in_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    desk: Mapped[str] = mapped_column(String(100), default="")
    user_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id", ondelete="SET NULL"))
    device_id: Mapped[int | None] = mapped_column(ForeignKey("device_token.id", ondelete="SET NULL"))

    registration: Mapped[Registration] = relationship()


class SessionAttendance(Model):
    """A person went through the door of a session (possibly not the one they chose)."""

    __tablename__ = "session_attendance"
    __table_args__ = (UniqueConstraint("registration_id", "session_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("registration.id", ondelete="CASCADE"))
    session_id: Mapped[int] = mapped_column(ForeignKey("session.id", ondelete="CASCADE"), index=True)
    admitted_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    chosen: Mapped[bool]  # False: admitted although they chose another session
    # Admitted beyond the session's seats (standing), confirmed twice by the door staff: counted apart.
    over_capacity: Mapped[bool] = mapped_column(default=False, server_default=false())
    desk: Mapped[str] = mapped_column(String(100), default="")
    user_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id", ondelete="SET NULL"))
    device_id: Mapped[int | None] = mapped_column(ForeignKey("device_token.id", ondelete="SET NULL"))

    registration: Mapped[Registration] = relationship()
    session: Mapped[Session] = relationship()


class Scan(Model):
    """Every scan, whatever its outcome: who, where, when, what it said.

    `client_scan_id` is made by the scan page, so a scan uploaded twice (after a lost answer or
    from the offline queue) is counted once. It is unique per `scanner` (see scan_log.scanner_of),
    not across all devices: otherwise anyone could send another device's scan id with a made-up
    code and be answered with that device's person. The code itself is not kept, only the
    registration it named, if any.
    """

    __tablename__ = "scan"
    __table_args__ = (
        CheckConstraint(f"outcome IN ({sql_values(ScanStatus)})", name="outcome_known"),
        CheckConstraint(f"mode IN ({sql_values(ScanMode)})", name="mode_known"),
        Index("ix_scan_event_id_scanned_at", "event_id", "scanned_at"),
        UniqueConstraint("scanner", "client_scan_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    scanner: Mapped[str] = mapped_column(String(40), default="")  # whose scan id: "device:<id>" or "user:<id>"
    client_scan_id: Mapped[str | None] = mapped_column(String(64))
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"))
    registration_id: Mapped[int | None] = mapped_column(ForeignKey("registration.id", ondelete="SET NULL"), index=True)
    session_id: Mapped[int | None] = mapped_column(ForeignKey("session.id", ondelete="SET NULL"))
    mode: Mapped[ScanMode] = mapped_column(StatusText(ScanMode), default=ScanMode.ENTRY)
    outcome: Mapped[ScanStatus] = mapped_column(StatusText(ScanStatus, 32))
    reason: Mapped[str] = mapped_column(String(32), default="")
    desk: Mapped[str] = mapped_column(String(100), default="")
    user_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id", ondelete="SET NULL"))
    device_id: Mapped[int | None] = mapped_column(ForeignKey("device_token.id", ondelete="SET NULL"))
    scanned_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)  # on the device (offline scans come later)
    received_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    undone_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # A test scan before the day (the desk confirmed it): never an arrival, no CheckIn or SessionAttendance behind
    # it, so no figure that counts those can count it; shown only under "test scans" (checkin/test_scans.py).
    test: Mapped[bool] = mapped_column(default=False, server_default=false())
