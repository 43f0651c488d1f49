"""What must hold after every step of the day, each checked against the database, the SMTP sink and the logs.

The database is only read here, with the app's own models, in a connection of its own.
"""

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from icalendar import Calendar
from sqlalchemy import create_engine, func, orm, select, text

from eventapp.checkin.models import CheckIn, Scan
from eventapp.events.models import AgendaItem, Event, Session
from eventapp.platform.db import DbSession
from eventapp.platform.mail.models import MailStatus, OutgoingMail
from eventapp.registration.models import Choice, Registration, RegistrationStatus
from eventapp.simulation.stage import SmtpSink
from eventapp.simulation.traffic import Traffic

CONFIRMED = RegistrationStatus.CONFIRMED


class InvariantBroken(AssertionError):
    """An invariant failed: the run stops at the first."""


@dataclass
class Check:
    phase: str
    name: str
    figure: str
    held: bool


@dataclass
class Ledger:
    """What the simulation did and was answered, for the checks to compare with what the app stored."""

    registered: set[str] = field(default_factory=set)  # addresses whose registration POST was answered 302
    cancelled: set[str] = field(default_factory=set)
    scans: list = field(default_factory=list)  # every desks.Scan that got a verdict
    erased: list[tuple[str, str]] = field(default_factory=list)  # (name, address) of erased people
    languages: dict[str, str] = field(default_factory=dict)  # address -> the language the person chose
    changes: dict[str, int] = field(default_factory=dict)  # address -> the session a change was answered for
    # address -> (the pilot seat held, the one moved to) by a change on the personal page after the sessions
    evening: dict[str, tuple[int, int]] = field(default_factory=dict)
    purged: bool = False


class Invariants:
    def __init__(self, database_url: str, slug: str, sink: SmtpSink, traffic: Traffic, ledger: Ledger):
        self.engine = create_engine(database_url)
        self.slug, self.sink, self.traffic, self.ledger = slug, sink, traffic, ledger
        self.checks: list[Check] = []

    def hold(self, name: str, held: bool, figure: str) -> None:
        self.checks.append(Check(self.traffic.phase, name, figure, held))
        if not held:
            raise InvariantBroken(f"[{self.traffic.phase}] {name}: {figure}")

    def after_step(self) -> None:
        """The checks every step ends with."""
        with orm.Session(self.engine) as db:
            self.seats(db)
            self.stored(db)
            self.scans_once(db)
        self.no_server_errors()

    def seats(self, db: DbSession) -> None:
        event = db.scalars(select(Event).where(Event.slug == self.slug)).one()
        # A no-show's released day seat is free again (the registration stays, for a late arrival to reclaim).
        holding = (
            Registration.event_id == event.id,
            Registration.status == CONFIRMED,
            Registration.day_seat_released_at.is_(None),
        )
        confirmed = db.scalar(select(func.count()).select_from(Registration).where(*holding))
        self.hold(
            "day within its seats, counter = rows",
            confirmed == event.seats_taken <= event.capacity,
            f"{confirmed} holding a seat, counter {event.seats_taken}, {event.capacity} seats",
        )
        sessions = db.scalars(select(Session).join(AgendaItem).where(AgendaItem.event_id == event.id)).all()
        worst = []
        for session in sessions:
            taken = db.scalar(
                select(func.count())
                .select_from(Choice)
                .where(Choice.session_id == session.id, Choice.status == CONFIRMED)
            )
            if not taken == session.seats_taken <= session.capacity:
                worst.append(
                    f"{session.title_en}: {taken} rows, counter {session.seats_taken}, {session.capacity} seats"
                )
        self.hold(
            "every session within its seats, counter = rows", not worst, "; ".join(worst) or f"{len(sessions)} sessions"
        )

    def stored(self, db: DbSession) -> None:
        if self.ledger.purged:  # the purge anonymised every registration: the rows stay, without their addresses
            rows = db.scalars(select(func.count()).select_from(Registration)).one()
            anonymised = db.scalars(
                select(func.count()).select_from(Registration).where(Registration.anonymised_at.is_not(None))
            ).one()
            online = len(self.ledger.registered)  # the erased among them: anonymised too, their rows stay
            self.hold(
                "every registration anonymised, none lost",
                anonymised == rows >= online,
                f"{anonymised} of {rows} registrations anonymised ({online} registered online, the rest at the desk)",
            )
            return
        statuses = dict(db.execute(select(Registration.email, Registration.status)).all())
        missing = self.ledger.registered - set(statuses) - {address for _name, address in self.ledger.erased}
        self.hold(
            "every answered registration stored",
            not missing,
            f"{len(self.ledger.registered)} answered, {len(missing)} missing",
        )
        kept_on = [
            address for address in self.ledger.cancelled if statuses.get(address) != RegistrationStatus.CANCELLED
        ]
        self.hold(
            "every answered cancellation stored",
            not kept_on,
            f"{len(self.ledger.cancelled)} cancelled, {len(kept_on)} still on",
        )

    def session_changes(self, fcfs: bool) -> None:
        """Right after the changes of mind: each answered change is the person's choice (a seat or a place in its
        line); first come, first served, the step must have found the form at all."""
        with orm.Session(self.engine) as db:
            chosen = set(
                db.execute(
                    select(Registration.email, Choice.session_id)
                    .join(Choice, Choice.registration_id == Registration.id)
                    .where(Choice.status.in_((CONFIRMED, RegistrationStatus.WAITLISTED)))
                ).all()
            )
        missing = [address for address, session in self.ledger.changes.items() if (address, session) not in chosen]
        self.hold(
            "every answered session change stored",
            not missing and (bool(self.ledger.changes) or not fcfs),
            f"{len(self.ledger.changes)} changes, {len(missing)} not stored",
        )

    def scans_once(self, db: DbSession) -> None:
        stored = Counter(db.scalars(select(Scan.client_scan_id).where(Scan.client_scan_id.is_not(None))))
        sent = [scan.scan_id for scan in self.ledger.scans]
        wrong = [scan_id for scan_id in sent if stored[scan_id] != 1]
        self.hold(
            "every scan recorded exactly once (offline ones too)",
            not wrong,
            f"{len(sent)} scans, {len(wrong)} not exactly once",
        )

    def no_server_errors(self) -> None:
        errors = self.traffic.server_errors()
        self.hold(
            "no 5xx answer",
            not errors,
            f"{len(self.traffic.answers)} requests, {len(errors)} 5xx"
            + (f" (first: {errors[0].method} {errors[0].route})" if errors else ""),
        )

    def mails(self) -> None:
        """Once the outbox is drained: every mail sent exactly once, in the person's language, invitations in order."""
        with orm.Session(self.engine) as db:
            rows = db.execute(select(OutgoingMail.recipient, OutgoingMail.language, OutgoingMail.status)).all()
        waiting = [row for row in rows if row.status not in (MailStatus.SENT, MailStatus.SUPERSEDED)]
        self.hold("the outbox drained", not waiting, f"{len(rows)} mails, {len(waiting)} not sent")
        sent = Counter(row.recipient.lower() for row in rows if row.status == MailStatus.SENT)
        delivered = Counter(mail.recipient for mail in self.sink.delivered)
        # The outbox forgets an erased person's mails (their farewell stays, addressed to erased@invalid).
        forgotten = {address for _name, address in self.ledger.erased} | {"erased@invalid"}
        differ = {address for address in sent | delivered if sent[address] != delivered[address]} - forgotten
        self.hold(
            "every sent mail reached the SMTP sink exactly once",
            not differ,
            f"{sum(sent.values())} sent, {sum(delivered.values())} delivered, {len(differ)} addresses differ",
        )
        languages = defaultdict(set)
        for row in rows:
            languages[row.recipient.lower()].add(row.language)
        # The language the person chose (the simulation knows it), else the one the outbox row was written in.
        expected = {address: {language} for address, language in self.ledger.languages.items()}
        wrong = [
            mail.recipient
            for mail in self.sink.delivered
            if mail.recipient not in forgotten
            and mail.message.get("Content-Language") not in expected.get(mail.recipient, languages[mail.recipient])
        ]
        self.hold(
            "every mail in its recipient's language",
            not wrong,
            f"{len(wrong)} of {len(self.sink.delivered)} not" + (f" (first to {wrong[0]})" if wrong else ""),
        )
        self.invitations_in_order()

    def invitations_in_order(self) -> None:
        sequences: dict[tuple[str, str], list[int]] = defaultdict(list)
        for mail in self.sink.delivered:
            for part in mail.message.walk():
                if part.get_content_type() == "text/calendar" and part.get_filename() is None:
                    for event in Calendar.from_ical(part.get_content()).walk("VEVENT"):
                        sequences[(mail.recipient, str(event["UID"]))].append(int(event.get("SEQUENCE", 0)))
        # A reminder may carry the unchanged invitation again (same SEQUENCE); a change must carry a higher one.
        falling = [key for key, seen in sequences.items() if seen != sorted(seen)]
        self.hold(
            "every invitation parses and its SEQUENCE never falls",
            not falling,
            f"{len(sequences)} calendar entries, {len(falling)} out of order",
        )

    def no_trace(self, logs: str) -> None:
        """After erasure and the purge: the erased people's names and addresses in no table and no log line."""
        dump = self.database_text()
        found = [
            value
            for name, address in self.ledger.erased
            for value in (name, address)
            if address in dump or address in logs or re.search(rf"\b{re.escape(name)}\b", dump)
        ]
        self.hold(
            "no trace of the erased in the database or the logs",
            not found,
            f"{len(self.ledger.erased)} people; {len(dump) // 1024} kB of data, {len(logs) // 1024} kB of logs searched"
            + (f"; found {found[:3]}" if found else ""),
        )

    def database_text(self) -> str:
        """Every text and binary cell of every table, as one string (the 'whole database dump')."""
        from eventapp.platform.extensions import db

        parts: list[str] = []
        with self.engine.connect() as connection:
            for table in db.metadata.sorted_tables:
                for row in connection.execute(table.select()):
                    parts.extend(_readable(value) for value in row if isinstance(value, (str, bytes, dict, list)))
            parts.extend(str(row) for row in connection.execute(text("SELECT * FROM alembic_version")))
        return "\n".join(parts)

    def seat_of(self, email: str, slot_id: int) -> int | None:
        """The session in which the person holds a seat in part `slot_id` now (read from the database)."""
        with orm.Session(self.engine) as db:
            return db.scalar(
                select(Choice.session_id)
                .join(Registration, Registration.id == Choice.registration_id)
                .where(Registration.email == email, Choice.agenda_item_id == slot_id, Choice.status == CONFIRMED)
            )

    def statements_rest_on_the_seats_held(self, statements: dict[str, dict]) -> None:
        """Where doors were not scanned, a statement names the session of the seat held, not one chosen after."""
        with orm.Session(self.engine) as db:
            titles = {s.id: {"nl": s.title_nl, "en": s.title_en} for s in db.scalars(select(Session))}
        moved = [email for email in self.ledger.evening if email in statements]
        wrong = [
            email
            for email in moved
            if titles[self.ledger.evening[email][0]][self.ledger.languages[email]] not in statements[email]["sessions"]
            or titles[self.ledger.evening[email][1]][self.ledger.languages[email]] in statements[email]["sessions"]
        ]
        self.hold(
            "a change on the personal page after the sessions does not rewrite the statement",
            not wrong,
            f"{len(moved)} statements of people who moved that evening, {len(wrong)} naming the new session",
        )

    def checked_in(self) -> set[str]:
        with orm.Session(self.engine) as db:
            return set(db.scalars(select(Registration.email).join(CheckIn, CheckIn.registration_id == Registration.id)))


def _readable(value) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return str(value)
