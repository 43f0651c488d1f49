"""The virtual clock every process of the simulated deployment reads (platform.db.utcnow, EVENTAPP_CLOCK_FILE)."""

import datetime as dt
import os
from pathlib import Path


class VirtualClock:
    def __init__(self, path: Path, start: dt.datetime):
        self.path = path
        self.set(start)

    def set(self, moment: dt.datetime) -> None:
        """From now on every process reads `moment`, running on in real time; written atomically (rename)."""
        text = f"{moment.astimezone(dt.UTC).isoformat()} {dt.datetime.now(dt.UTC).isoformat()}"
        partial = self.path.with_suffix(".next")
        partial.write_text(text, encoding="ascii")
        os.replace(partial, self.path)

    def now(self) -> dt.datetime:
        from eventapp.platform.db import virtual_now

        return virtual_now(str(self.path), dt.datetime.now(dt.UTC))

    def advance(self, delta: dt.timedelta) -> None:
        self.set(self.now() + delta)
