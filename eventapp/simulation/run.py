"""The script of the day: weeks before, the deadline, the day at four desks, and after; the checks after each step."""

import contextlib
import datetime as dt
import io
import random
import re
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import orm, select

from eventapp.platform.mail.models import MailStatus, OutgoingMail
from eventapp.simulation import organiser as desk_office
from eventapp.simulation.clock import VirtualClock
from eventapp.simulation.desks import Desk, Scan, run_desks
from eventapp.simulation.invariants import Invariants, Ledger
from eventapp.simulation.people import (
    Person,
    crowd,
    learn_from_mail,
    other_session,
    personal_form,
    read_new_mail,
    register,
)
from eventapp.simulation.stage import PUBLIC_URL, Stage
from eventapp.simulation.traffic import Browser, SimulationError, Traffic

ZONE = ZoneInfo("Europe/Amsterdam")
VERIFY = re.compile(r"/verify/([A-Za-z0-9_\-]+)")


@dataclass
class Plan:
    people: int
    mode: str  # "fcfs" or "preferences"
    seed: int
    rush_threads: int = 8


def at(date: dt.date, clock_time: str, days: int = 0) -> dt.datetime:
    hour, minute = map(int, clock_time.split(":"))
    return dt.datetime.combine(date + dt.timedelta(days=days), dt.time(hour, minute), ZONE)


class DayScript:
    def __init__(self, stage: Stage, plan: Plan, database_url: str):
        self.stage, self.plan = stage, plan
        self.chance = random.Random(plan.seed)
        self.traffic, self.ledger = Traffic(), Ledger()
        self.date = (dt.datetime.now(ZONE) + dt.timedelta(weeks=8)).date()
        self.clock = VirtualClock(stage.clock_file, at(self.date, "09:00", -42))
        self.slug = f"programmadag-{self.date:%Y-%m-%d}"
        self.checks = Invariants(database_url, self.slug, stage.sink, self.traffic, self.ledger)
        self.people: list[Person] = crowd(plan.people, plan.seed)
        self.phase_figures: dict[str, dict] = {}

    def browser(self, language: str = "nl") -> Browser:
        return Browser(self.stage.base, PUBLIC_URL, self.traffic, language)

    def step(self, phase: str, moment: dt.datetime, action) -> None:
        self.traffic.phase = phase
        self.clock.set(moment)
        mails_before, requests_before = self.stage.sink.count(), len(self.traffic.answers)
        action()
        self.checks.after_step()
        self.phase_figures.setdefault(phase, {"requests": 0, "mails": 0})
        self.phase_figures[phase]["requests"] += len(self.traffic.answers) - requests_before
        self.phase_figures[phase]["mails"] += self.stage.sink.count() - mails_before

    def play(self) -> None:
        self.staff()
        self.step("weeks before", at(self.date, "09:00", -42), self.set_up)
        self.step("weeks before", at(self.date, "09:05", -35), self.rush)
        self.step("weeks before", at(self.date, "10:00", -20), self.changes_of_mind)
        self.step("weeks before", at(self.date, "11:00", -14), self.room_change)
        self.step("deadline", at(self.date, "10:00", -7), self.deadline)
        self.step("deadline", at(self.date, "09:00", -1), self.reminders)
        self.step("the day", at(self.date, "13:25"), self.walk_in_desks)
        self.step("the day", at(self.date, "14:11"), self.release_and_doors)
        self.step("the day", at(self.date, "16:40"), self.evening_changes)
        self.step("after", at(self.date, "18:00"), self.after_the_day)
        self.step("after", at(self.date, "10:00", 3), self.past_stays_true)
        self.step("after", at(self.date, "11:00", 4), self.erase_one)
        self.step("after", at(self.date, "03:30", 92), self.purge)

    # --- weeks before -------------------------------------------------------------------------------

    def staff(self) -> None:
        self.organiser_login = self.account("organisator@jeugdenveiligheid.example.nl", "organiser")
        self.desk_login = self.account("balie@jeugdenveiligheid.example.nl", "desk")
        self.organiser = self.browser()
        self.organiser.log_in(*self.organiser_login)

    def account(self, email: str, role: str) -> tuple[str, str]:
        output = self.stage.flask("create-user", email, "--role", role, "--generate")
        shown = re.search(r"Password \(shown once\): (\S+)", output)
        if shown is None:
            raise SimulationError(f"create-user {email} showed no password: {output!r}")
        return email, shown.group(1)

    def set_up(self) -> None:
        opens, closes = at(self.date, "09:00", -35), at(self.date, "17:00", -3)
        self.day = desk_office.set_up_day(self.organiser, self.slug, self.date, self.plan.people, opens, closes)
        if self.plan.mode == "preferences":
            desk_office.preference_mode(self.organiser, self.slug, at(self.date, "23:59", -8))
        # Made the week before the day is five weeks away: the token must outlive the wait.
        self.tokens = [desk_office.device_token(self.organiser, f"Scanner {n}", 60) for n in (1, 2, 3)]

    def rush(self) -> None:
        """Everyone registers at once, in Dutch and English; each reads the mail for the link and the ticket."""
        ranked = self.plan.mode == "preferences"

        def one(person: Person) -> None:
            chance = random.Random(self.plan.seed * 100_003 + person.number)
            status = register(self.browser(person.language), f"/e/{self.slug}/register", person, chance, ranked)
            if status != 302:
                raise SimulationError(f"registration of {person.email} answered {status}")
            self.ledger.registered.add(person.email)
            self.ledger.languages[person.email] = person.language

        with ThreadPoolExecutor(self.plan.rush_threads) as pool:
            list(pool.map(one, self.people))
        for person in self.people:
            learn_from_mail(person, read_new_mail(self.stage.sink, person))

    def changes_of_mind(self) -> None:
        """Some cancel (their seats go to the waitlists, whose people are mailed); some change a session."""
        for person in self.chance.sample(self.with_ticket(), max(2, len(self.people) // 20)):
            browser = self.browser(person.language)
            if personal_form(browser, person, "/cancel", confirm="y") != 302:
                raise SimulationError(f"{person.email} could not cancel")
            person.cancelled = True
            self.ledger.cancelled.add(person.email)
        for person in self.chance.sample(self.with_ticket(), max(2, len(self.people) // 10)):
            browser = self.browser(person.language)
            change = other_session(browser, person, self.day.slots[1], self.chance)
            if change is None:
                continue
            answer = personal_form(browser, person, change[0], **change[1])
            if answer == 409:  # full: the page offers its waitlist, and the person takes the offer
                waiting = {name.replace("session_id", "join_waitlist"): "1" for name in change[1]}
                answer = personal_form(browser, person, change[0], **change[1], **waiting)
            if answer not in (302, 303):
                raise SimulationError(f"{person.email} could not change a session ({answer})")
            self.ledger.changes[person.email] = int(next(iter(change[1].values())))
        self.checks.session_changes(fcfs=self.plan.mode == "fcfs")
        self.stage.flask("send-mail")  # the mail worker runs too; this only makes the step's mails due now

    def room_change(self) -> None:
        desk_office.change_room(self.organiser, self.slug, self.day.sessions[self.day.slots[0]][1], "Raadzaal")
        self.drain_mail()

    def deadline(self) -> None:
        if self.plan.mode == "preferences":
            self.stage.flask("allocate", "--due")
        self.drain_mail()
        for person in self.people:  # the allocation's mails carry the ticket of those who got a place
            if not person.cancelled and len(self.stage.sink.to(person.email)) > person.mails_seen:
                learn_from_mail(person, read_new_mail(self.stage.sink, person))

    def reminders(self) -> None:
        self.stage.flask("send-reminders")
        self.drain_mail()

    def with_ticket(self) -> list[Person]:
        return [person for person in self.people if person.code and not person.cancelled]

    # --- the day ------------------------------------------------------------------------------------

    def walk_in_desks(self) -> None:
        desks = [Desk(f"Balie {n + 1}", self.browser(), token=token) for n, token in enumerate(self.tokens)]
        desks.append(Desk("Balie 4", self.browser(), login=self.desk_login))
        desks[3].log_in()
        arriving = [person for person in self.with_ticket() if self.chance.random() < 0.85]
        self.no_shows = [person for person in self.with_ticket() if person not in arriving]
        line = [Scan(person.code) for person in arriving]
        line += [Scan(person.code) for person in self.chance.sample(arriving, max(1, len(arriving) // 15))]  # twice
        line += [Scan(person.code) for person in self.people if person.cancelled and person.code]
        line += [Scan("not-one-of-ours-" + str(n)) for n in range(3)]
        self.chance.shuffle(line)
        lines = [line[n::4] for n in range(4)]
        run_desks(desks, lines, self.slug, offline_desk=2, clock_now=self.clock.now, interrupt=self.end_desk_login)
        self.desks = desks
        self.ledger.scans.extend(scan for desk in desks for scan in desk.sent)
        self.arrived = arriving
        self.badge(desks[3])

    def end_desk_login(self) -> None:
        """Mid-shift the organiser logs the desk account out everywhere: desk 4 must keep its scans."""
        staff = self.organiser.page("/organiser/staff/").text
        account = re.escape(self.desk_login[0])
        found = re.search(rf'/organiser/staff/(\d+)/logout-everywhere">[^<]*<span[^>]*>: {account}', staff)
        if not found:
            raise SimulationError("the staff page does not offer to log the desk account out")
        page = f"/organiser/staff/{found.group(1)}/logout-everywhere"
        self.organiser.submit(page, "/logout-everywhere", confirm="yes")

    def walk_ins(self, desk: Desk) -> None:
        for number in range(3):
            person = Person(
                10_000 + number,
                f"Inloop Bezoeker {number}",
                f"inloop{number}@gemeente.example.nl",
                "Gemeente Deventer",
                "nl",
            )
            status = register(desk.browser, f"/staff/checkin/walk-in?event={self.slug}", person, self.chance, False)
            if status not in (302, 303, 409):
                raise SimulationError(f"the walk-in form answered {status}")

    def badge(self, desk: Desk) -> None:
        listing = desk.browser.get(f"/staff/checkin/not-arrived?event={self.slug}").text
        person = self.arrived[0]
        answer = desk.browser.get(
            "/api/v1/checkin/search", params={"event": self.slug, "q": person.name.split()[-1]}, headers=desk.headers()
        )
        results = answer.json().get("results", []) if answer.status_code == 200 else []
        if results:
            pdf = desk.browser.get(f"/staff/checkin/badge/{results[0]['id']}.pdf")
            if pdf.status_code != 200 or not pdf.content.startswith(b"%PDF"):
                raise SimulationError(f"the desk's badge answered {pdf.status_code}")
        del listing

    def release_and_doors(self) -> None:
        self.stage.flask("release-no-shows", "--due")
        self.walk_ins(self.desks[3])  # the released day seats go to the people at the door
        door = Desk("Deur", self.browser(), token=self.tokens[0])
        # The theme sessions' doors are scanned; the pilots' are not: there the seat held at the start counts.
        for slot in self.day.slots:
            for person in self.arrived if slot == self.day.slots[0] else []:
                # One in ten tries the wrong door first; the door's answer names the right one.
                wrong = self.chance.random() < 0.1
                session = self.chance.choice(self.day.sessions[slot]) if wrong else None
                session = session or self.seat_of(person, slot) or self.chance.choice(self.day.sessions[slot])
                self.door_scan(door, person, session)
                expected = (door.last.get("expected_session") or {}).get("id")
                if door.last.get("status") == "wrong_room" and expected:
                    self.door_scan(door, person, expected)
            if slot == self.day.slots[0]:
                self.clock.set(at(self.date, "15:21"))
                self.stage.flask("release-no-shows", "--due")
        self.door = door

    def evening_changes(self) -> None:
        """After the sessions, on the day, some who came change their pilot session on their personal page: what
        their statement will say is where they were, not where they moved to."""
        for person in self.arrived[:6]:
            browser = self.browser(person.language)
            change = other_session(browser, person, self.day.slots[1], self.chance)
            if change is None:
                continue
            held = self.checks.seat_of(person.email, self.day.slots[1])
            if personal_form(browser, person, change[0], **change[1]) in (302, 303) and held is not None:
                self.ledger.evening[person.email] = (held, int(next(iter(change[1].values()))))
        if not self.ledger.evening:
            raise SimulationError("nobody who came could change a pilot session that evening")

    def door_scan(self, door: Desk, person: Person, session: int) -> None:
        scan = Scan(person.code, session=session)
        if door.send(scan, self.slug) is None:
            raise SimulationError(f"the door's scan got no verdict: {door.not_sent}")
        self.ledger.scans.append(scan)

    def seat_of(self, person: Person, slot: int) -> int | None:
        """The session the person chose (or ranked first) in this part."""
        chosen = [session for session in self.day.sessions[slot] if session in person.notes.get("choices", ())]
        return chosen[0] if chosen else None

    # --- after the day ------------------------------------------------------------------------------

    def after_the_day(self) -> None:
        self.stage.flask("send-feedback-requests")
        self.drain_mail()
        for person in self.arrived[: max(3, len(self.arrived) // 4)]:
            browser = self.browser(person.language)
            found, target = browser.form(f"/r/{person.token}/feedback", "/feedback")
            scores = {
                name: self.chance.choice([v for v in options if v])
                for name, options in found.options.items()
                if options
            }
            if browser.post(target, data=found.filled(**scores)).status_code not in (302, 303):
                raise SimulationError("feedback was not taken")
        # Twelve, read twice: /verify allows one address 30 a minute, and every simulated person shares one address.
        self.statements = {person.email: self.statement(person) for person in self.arrived[:12]}
        self.checks.statements_rest_on_the_seats_held(self.statements)
        report = self.organiser.page(f"/organiser/e/{self.slug}/report")
        pdf = self.organiser.get(f"/organiser/e/{self.slug}/report.pdf")
        if report.status_code != 200 or not pdf.content.startswith(b"%PDF"):
            raise SimulationError(f"the report answered {report.status_code}, its PDF {pdf.status_code}")
        self.report_agrees()
        desk_office.message_everyone(
            self.organiser, self.slug, "Bedankt voor uw komst", "De presentaties staan online."
        )
        self.drain_mail()

    def statement(self, person: Person) -> dict:
        import pypdf

        browser = self.browser(person.language)
        pdf = browser.get(f"/r/{person.token}/attendance.pdf")
        if pdf.status_code != 200:
            raise SimulationError(f"the statement of {person.email} answered {pdf.status_code}")
        text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf.content)).pages)
        found = VERIFY.search(text.replace("\n", ""))
        if found is None:
            raise SimulationError(f"the statement of {person.email} shows no verification code")
        code = found.group(1)
        verified = browser.get(f"/verify/{code}.json")
        if verified.status_code != 200:
            raise SimulationError(f"/verify/<code>.json answered {verified.status_code}")
        return verified.json()

    def report_agrees(self) -> None:
        live = self.organiser.page(f"/organiser/e/{self.slug}/live.json").json()
        counted = len(self.checks.checked_in())
        self.checks.hold(
            "the organiser's figures equal the database's",
            live["checked_in"] == counted,
            f"dashboard {live['checked_in']} checked in, database {counted}",
        )

    def past_stays_true(self) -> None:
        """After the day: people try to change sessions and details, a desk scans again; nothing changes."""
        before = (self.checks.checked_in(), self.organiser.page(f"/organiser/e/{self.slug}/live.json").json())
        for person in self.arrived[:10]:
            browser = self.browser(person.language)
            change = other_session(browser, person, self.day.slots[0], self.chance)
            if change:
                personal_form(browser, person, change[0], **change[1])
            with contextlib.suppress(LookupError):  # a page that offers no details form (the day is over)
                personal_form(browser, person, f"/r/{person.token}/details", name="Iemand Anders", organisation="Ander")
            self.door.send(Scan(person.code), self.slug)
        after = (self.checks.checked_in(), self.organiser.page(f"/organiser/e/{self.slug}/live.json").json())
        self.checks.hold(
            "after the day the attendance and the figures do not change",
            before == after,
            f"{len(before[0])} checked in before, {len(after[0])} after",
        )
        again = {email: self.statement(self.person(email)) for email in self.statements}
        self.checks.hold(
            "after the day every statement stays as issued",
            again == self.statements,
            f"{len(self.statements)} statements read again",
        )

    def person(self, email: str) -> Person:
        return next(person for person in self.people if person.email == email)

    def erase_one(self) -> None:
        person = self.arrived[-1]
        browser = self.browser(person.language)
        if personal_form(browser, person, "/erase", confirm_erase="y") != 200:  # the page "your data is erased"
            raise SimulationError("the erasure was not taken")
        person.erased = True
        self.ledger.erased.append((person.name, person.email))
        self.drain_mail()

    def purge(self) -> None:
        self.stage.flask("purge-personal-data")
        self.stage.flask("purge-unconfirmed")
        self.ledger.purged = True
        self.ledger.erased.extend((person.name, person.email) for person in self.people[:5] if not person.erased)
        self.checks.no_trace(self.stage.logs())

    def drain_mail(self) -> None:
        """Wait until the mail worker (a process of its own) has sent what is due. Mails held back on purpose (a
        calendar update waits a few minutes for more changes) become due by moving the clock, not by sleeping."""
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            with orm.Session(self.checks.engine) as db:
                pending = select(OutgoingMail.next_attempt_at).where(OutgoingMail.status == MailStatus.PENDING)
                waiting = db.scalars(pending).all()
            if not waiting:
                break
            latest = max(moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment for moment in waiting)
            if latest > self.clock.now():
                self.clock.set(latest + dt.timedelta(seconds=1))
            time.sleep(0.2)
        time.sleep(1)  # a last round of the worker: a duplicate would arrive now
        self.checks.mails()
