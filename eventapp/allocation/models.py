"""The record of an allocation: when it ran, with which seed, and what it gave."""

import datetime as dt

from sqlalchemy import JSON, ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from eventapp.platform.db import UTCDateTime, utcnow
from eventapp.platform.extensions import Model


class AllocationRun(Model):
    """One allocation of an event's session seats (dry runs are not recorded): its seed repeats it exactly."""

    __tablename__ = "allocation_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    seed: Mapped[int]
    max_type_share: Mapped[float]
    # The figures `flask allocate --json` prints: people, assigned, by_rank, unassigned, sessions.
    figures: Mapped[dict] = mapped_column(JSON, default=dict)
    ran_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
