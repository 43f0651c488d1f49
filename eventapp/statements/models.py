"""An attendance statement: one per registration, with the code printed on it and its QR code."""

import datetime as dt
from enum import StrEnum

from sqlalchemy import JSON, ForeignKey, String, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eventapp.platform.db import StatusText, UTCDateTime
from eventapp.platform.extensions import Model
from eventapp.registration.models import Registration


class RevokedBecause(StrEnum):
    """Why a statement was revoked: an organiser's revocation stands; one that followed an undone check-in gives
    way to a new statement (new code) when the person is checked in again."""

    ORGANISER = "organiser"
    CHECK_IN_UNDONE = "check_in_undone"


class AttendanceStatement(Model):
    """A statement that a person attended the day.

    What it says (name, organisation, sessions attended from the door scans, hours, language, the event's title,
    venue and date) is stored as issued (`snapshot`), so the PDF and /verify/<code> agree and a later change of
    the registration cannot rewrite it; an organiser's correction replaces it with a new code. The code is a
    secret of its own: neither the personal link nor the ticket, so a statement handed to an employer opens nothing.
    A revoked statement is kept (revoked_at, revoked_because), its code then verifies as "not a valid statement";
    issuing again gives a new code, and the old one is kept as a ReplacedStatementCode marked revoked.
    """

    __tablename__ = "attendance_statement"

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("registration.id", ondelete="CASCADE"), unique=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    issued_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    # The organiser who issued it for someone the desk missed; None when it followed from the check-in.
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id", ondelete="SET NULL"))
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # None for statements revoked before the reason was kept: read as the organiser's (it stands).
    revoked_because: Mapped[RevokedBecause | None] = mapped_column(StatusText(RevokedBecause, 32))
    # What it says, as issued (statements.services.take_snapshot); None once the person is erased.
    snapshot: Mapped[dict | None] = mapped_column(JSON)

    registration: Mapped[Registration] = relationship()

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None


class ReplacedStatementCode(Model):
    """The code of a statement an organiser's correction replaced: it verifies as "replaced by a newer
    statement", naming no one. Erasure removes it with the person.

    With `revoked`, the code of a revoked statement that a new one (new code) followed: it verifies as revoked.
    """

    __tablename__ = "replaced_statement_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("registration.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    replaced_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    revoked: Mapped[bool] = mapped_column(default=False, server_default=false())
