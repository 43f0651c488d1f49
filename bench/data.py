"""The benchmark's databases: the demo day, people in bulk, desks, and the checks after each rush."""

import datetime as dt
import random
import secrets
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import event as sa_event
from sqlalchemy import func, insert, select, update

from eventapp import create_app
from eventapp.checkin.models import CheckIn, Scan
from eventapp.demo.cli import register_demo_people
from eventapp.events.models import Event, Session
from eventapp.events.seats import change_capacity
from eventapp.events.services import choice_slots
from eventapp.platform.db import utcnow
from eventapp.platform.extensions import db
from eventapp.platform.mail.models import OutgoingMail
from eventapp.platform.staff.models import Role
from eventapp.platform.staff.services import create_device_token, create_user
from eventapp.registration.models import Choice, Registration, RegistrationStatus, searchable
from eventapp.registration.services import new_token

DEMO_SLUG = "jeugd-en-veiligheid-6"
RUSH_SEATS = 40
ORGANISER_EMAIL = "bench-organiser@example.org"
BULK_BATCH = 1000


# Production refuses its development defaults; the bench names an outside address, and (one machine, limits raised)
# counts rate limits in memory.
PRODUCTION_ADDRESSES = {
    "EVENTAPP_PUBLIC_URL": "https://bench.example.org",
    "EVENTAPP_ORGANIZER_EMAIL": "bench@example.org",
    "EVENTAPP_ALLOW_MEMORY_RATELIMIT": "true",
}


def bench_app(database_url: str, secret_key: str, **settings):
    """The app as production configures it, for preparing and checking the database in this process."""
    production = {name.removeprefix("EVENTAPP_"): value for name, value in PRODUCTION_ADDRESSES.items()}
    return create_app(
        "production",
        {"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": secret_key, **production, **settings},
    )


def demo_event() -> Event:
    return db.session.scalar(select(Event).where(Event.slug == DEMO_SLUG))


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def rush_form(number: int, slots, prefix: str = "bench") -> dict[str, str]:
    """What person `number` of the rush fills in: sessions spread over the slot, so every session fills."""
    theme, pilot = slots
    return {
        "name": f"Bench Person {number}",
        "email": f"{prefix}{number}@example.org",
        "organisation": "Gemeente Enschede",
        "organisation_type": "municipality",
        "language": "nl",
        "consent": "y",
        f"choice_{theme['id']}": str(theme["sessions"][number % len(theme["sessions"])]),
        f"choice_{pilot['id']}": str(pilot["sessions"][(number * 7) % len(pilot["sessions"])]),
    }


def prepare_day(app, registrations: int) -> list[dict]:
    """The demo day with every session at RUSH_SEATS seats and `registrations` people through the real rules."""
    with app.app_context():
        event = demo_event()
        for slot in choice_slots(event):
            for session in slot.sessions:
                change_capacity(db.session, session, RUSH_SEATS, now())
        register_demo_people(event, registrations)
        db.session.commit()
        return [{"id": slot.id, "sessions": [s.id for s in slot.sessions]} for slot in choice_slots(event)]


@dataclass
class RushCheck:
    answered: int  # answers that said "we mailed your personal link"
    refused: int  # answers that did not (any status but a redirect to the check-mail page)
    confirmed: int
    waitlisted: int
    overbooked: int  # seats taken beyond a capacity, counted from the rows
    lost: int  # an answer without its row, or a row without its answer
    counters_match: bool  # seats_taken equals the rows it counts, for the day and every session


def check_rush(app, answers: dict[int, tuple[int, str]], people: int, prefix: str = "bench") -> RushCheck:
    """Compare what the rush of addresses `<prefix><number>@example.org` was told with what the database holds."""
    told = {
        f"{prefix}{number}@example.org"
        for number, (status, location) in answers.items()
        if status in (302, 303) and location.endswith("/check-mail")
    }
    with app.app_context():
        event = demo_event()
        rows = dict(
            db.session.execute(
                select(Registration.email, Registration.id).where(
                    Registration.event_id == event.id, Registration.email.like(f"{prefix}%@example.org")
                )
            ).all()
        )
        mailed = set(db.session.scalars(select(OutgoingMail.registration_id)))
        lost = sum(1 for email in told if email not in rows or rows[email] not in mailed)
        lost += sum(1 for email in rows if email not in told)
        lost += people - len(answers)  # people whose POST never got an answer
        by_status = dict(
            db.session.execute(
                select(Registration.status, func.count())
                .where(Registration.event_id == event.id)
                .group_by(Registration.status)
            ).all()
        )
        confirmed_choices = dict(
            db.session.execute(
                select(Choice.session_id, func.count())
                .where(Choice.status == RegistrationStatus.CONFIRMED)
                .group_by(Choice.session_id)
            ).all()
        )
        sessions = [s for slot in choice_slots(event) for s in slot.sessions]
        overbooked = sum(max(0, confirmed_choices.get(s.id, 0) - s.capacity) for s in sessions)
        overbooked += max(0, by_status.get(RegistrationStatus.CONFIRMED, 0) - event.capacity)
        counters_match = event.seats_taken == by_status.get(RegistrationStatus.CONFIRMED, 0) and all(
            s.seats_taken == confirmed_choices.get(s.id, 0) for s in sessions
        )
        return RushCheck(
            answered=len(told),
            refused=len(answers) - len(told),
            confirmed=by_status.get(RegistrationStatus.CONFIRMED, 0),
            waitlisted=by_status.get("waitlisted", 0),
            overbooked=overbooked,
            lost=lost,
            counters_match=counters_match,
        )


def fill_to(app, total: int) -> None:
    """Grow the day to `total` confirmed registrations, as a big conference would hold.

    Capacities are raised through the real rules first (which admits everyone waiting), then the rest is inserted
    in bulk, with the seat counters raised by what was inserted: the rules' per-person path would take minutes.
    """
    with app.app_context():
        event = demo_event()
        slots = choice_slots(event)
        for slot in slots:
            for session in slot.sessions:
                change_capacity(db.session, session, total, now())
        change_capacity(db.session, event, total, now())
        db.session.commit()
        present = db.session.scalar(
            select(func.count()).select_from(Registration).where(Registration.event_id == event.id)
        )
        taken = {session.id: 0 for slot in slots for session in slot.sessions}
        for start in range(present, total, BULK_BATCH):
            numbers = range(start, min(start + BULK_BATCH, total))
            people = [bulk_person(event, number) for number in numbers]
            ids = db.session.scalars(insert(Registration).returning(Registration.id), people).all()
            choices = []
            for number, registration_id in zip(numbers, ids, strict=True):
                for position, slot in enumerate(slots):
                    session_id = slot.sessions[(number * (1 + 6 * position)) % len(slot.sessions)].id
                    taken[session_id] += 1
                    choices.append(
                        {
                            "registration_id": registration_id,
                            "agenda_item_id": slot.id,
                            "session_id": session_id,
                            "status": RegistrationStatus.CONFIRMED,
                            "created_at": now(),
                        }
                    )
            db.session.execute(insert(Choice), choices)
        for session_id, seats in taken.items():
            db.session.execute(
                update(Session).where(Session.id == session_id).values(seats_taken=Session.seats_taken + seats)
            )
        db.session.execute(
            update(Event).where(Event.id == event.id).values(seats_taken=Event.seats_taken + total - present)
        )
        db.session.commit()


def bulk_person(event: Event, number: int) -> dict:
    name, organisation = f"Deelnemer {number}", f"Gemeente {number % 97}"
    email = f"bulk{number}@example.org"
    return {
        "event_id": event.id,
        "name": name,
        "email": email,
        "organisation": organisation,
        "role": "Beleidsadviseur",
        "language": "nl",
        "status": RegistrationStatus.CONFIRMED,
        "manage_token": new_token(),
        "ticket_code": new_token(),
        "consent_version": "bench",
        "search_text": searchable(name, email, organisation),
        "created_at": now(),
        "updated_at": now(),
    }


def walk_in_plan(
    app, desks: int, scans: int, repeat_share: float, forged_share: float, seed: int = 6, name: str = "Bench desk"
) -> dict:
    """Device tokens for `desks` desks (named `<name> <n>`) and the codes each scans, with the answer each scan
    should get; the codes are of confirmed people not yet checked in.

    A repeated scan comes later at the same desk (someone scanned twice), so its answer is certain.
    """
    randomness = random.Random(seed)
    repeats, forged = round(scans * repeat_share), round(scans * forged_share)
    with app.app_context():
        event = demo_event()
        # The walk-in of the day: a scan counts on the event's day only (events.phases), until its last item ends.
        event.date = utcnow().astimezone(ZoneInfo(event.timezone)).date()
        max(event.agenda_items, key=lambda item: item.ends_at).ends_at = dt.time(23, 59)
        tokens = [create_device_token(db.session, f"{name} {desk + 1}", None, utcnow())[1] for desk in range(desks)]
        db.session.commit()
        codes = db.session.scalars(
            select(Registration.ticket_code).where(
                Registration.event_id == event.id,
                Registration.status == RegistrationStatus.CONFIRMED,
                Registration.id.not_in(select(CheckIn.registration_id)),
            )
        ).all()
    valid = randomness.sample(codes, scans - repeats - forged)
    lines = [[] for _ in range(desks)]
    desk_of = {}
    for index, code in enumerate(valid):
        desk_of[code] = lines[index % desks]
        desk_of[code].append([code, "ok"])
    for code in randomness.sample(valid, repeats):
        desk = desk_of[code]
        first = desk.index([code, "ok"])
        desk.insert(randomness.randint(first + 1, len(desk)), [code, "already_checked_in"])
    for _ in range(forged):
        desk = lines[randomness.randrange(desks)]
        desk.insert(randomness.randint(0, len(desk)), [secrets.token_urlsafe(32), "invalid"])
    return {"event": DEMO_SLUG, "desks": [{"token": t, "scans": s} for t, s in zip(tokens, lines, strict=True)]}


@dataclass
class WalkInCheck:
    arrivals: int
    scans_recorded: int


def check_walk_in(app) -> WalkInCheck:
    with app.app_context():
        return WalkInCheck(
            arrivals=db.session.scalar(select(func.count()).select_from(CheckIn)),
            scans_recorded=db.session.scalar(select(func.count()).select_from(Scan)),
        )


def create_organiser(app) -> str:
    """An organiser account for the exports; returns its password."""
    password = secrets.token_urlsafe(16)
    with app.app_context():
        create_user(db.session, ORGANISER_EMAIL, Role.ORGANISER, password)
        db.session.commit()
    return password


def statements_per_page(database_url: str, secret_key: str, path: str) -> int:
    """SQL statements the page costs when it is rendered, not served from the cache (the second request)."""
    app = bench_app(database_url, secret_key, CACHE_TYPE="NullCache", CACHE_NO_NULL_WARNING=True)
    with app.app_context():
        engine = db.engine
    client = app.test_client()
    client.get(path)
    count = 0

    def counted(*_args):
        nonlocal count
        count += 1

    sa_event.listen(engine, "before_cursor_execute", counted)
    try:
        response = client.get(path)
    finally:
        sa_event.remove(engine, "before_cursor_execute", counted)
    if response.status_code != 200:
        raise RuntimeError(f"{path} answered {response.status_code}")
    return count
