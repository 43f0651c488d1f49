"""The audit log: what organisers changed, and when (any area records its actions here)."""

import datetime as dt

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eventapp.platform.db import DbSession, UTCDateTime, utcnow
from eventapp.platform.extensions import Model
from eventapp.platform.staff.models import User


class AuditEntry(Model):
    """One organiser action: who, what, on which object, with the details that matter."""

    __tablename__ = "audit_entry"
    __table_args__ = (Index("ix_audit_entry_event_id_created_at", "event_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id", ondelete="SET NULL"))
    event_id: Mapped[int | None] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"))
    registration_id: Mapped[int | None] = mapped_column(ForeignKey("registration.id", ondelete="SET NULL"), index=True)
    action: Mapped[str] = mapped_column(String(60))
    details: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User | None] = relationship()


def audit(db_session: DbSession, user: User | None, action: str, event=None, registration=None, **details):
    """Record an organiser action (the caller commits it with the action)."""
    entry = AuditEntry(
        user_id=user.id if user else None,
        event_id=event.id if event else (registration.event_id if registration is not None else None),
        registration_id=registration.id if registration is not None else None,
        action=action,
        details=details,
    )
    db_session.add(entry)
    return entry
