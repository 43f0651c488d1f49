"""An attendance statement: one per registration, with the code printed on it and its QR code."""

import datetime as dt

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eventapp.db import UTCDateTime
from eventapp.extensions import db
from eventapp.registration.models import Registration


class AttendanceStatement(db.Model):
    """A statement that a person attended the day.

    What it says (name, organisation, sessions, hours) is read from the registration and the door
    scans when it is shown, so the PDF and /verify/<code> always agree. The code is a secret of its
    own: neither the personal link nor the ticket, so a statement handed to an employer opens nothing.
    A revoked statement is kept (revoked_at), its code then verifies as "not a valid statement";
    issuing again gives a new code.
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

    registration: Mapped[Registration] = relationship()

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None
