"""The allocation of 1,000, 5,000 and 20,000 people, each timed against an independent formulation in the same run.

The days are the same every run (a fixed random generator): two parts (choice slots) of six sessions, each person
ranking three per part, popular sessions ranked first more often (skewed demand: each session half as often as the
one before), eleven kinds of organisation of which one makes up more than half of the people, so the share bound
(0.5) has work to do; each session has seats for 18% of the people, so the first choices cannot all be given.

The independent formulation is tests/allocation/reference.py's `counted_optimum`: OR-Tools' CP-SAT on counts of
alike people, written apart from the solver. Each solve runs in a process of its own, so its peak memory (the
process's peak resident set, the generated day included) is its own; the objective values (places, excess over
the share bound, total rank, per part) are compared. `python -m bench.allocation` prints the rows alone.
"""

import json
import random
import resource
import subprocess
import sys
import time
from dataclasses import dataclass

from eventapp.allocation.solver import Person, SessionSeats, allocate

SIZES = (1_000, 5_000, 20_000)
SLOTS, SESSIONS_PER_SLOT, SEATS_SHARE, MAX_TYPE_SHARE = 2, 6, 0.18, 0.5
KINDS = (
    ("municipality", 52),
    ("police", 10),
    ("youth_care", 7),
    ("education", 7),
    ("halt", 5),
    ("other", 4),
    ("public_prosecution", 4),
    ("child_protection", 3),
    ("youth_protection", 3),
    ("probation", 3),
    ("social_domain", 2),
)
TIMEOUT = 600  # seconds for one solve: a solve slower than that is reported as such


@dataclass(frozen=True)
class Solve:
    seconds: float
    peak_mb: float
    before_mb: float  # the process's peak before the solve: Python, the imports and the generated day
    objective: list  # per part: [places, excess, total rank]


@dataclass(frozen=True)
class Measured:
    people: int
    solver: Solve | None  # None: it did not finish within TIMEOUT
    reference: Solve | None

    @property
    def equal(self) -> bool:
        return (
            self.solver is not None and self.reference is not None and self.solver.objective == self.reference.objective
        )


def day(people: int, seed: int = 2026) -> tuple[list[Person], list[SessionSeats]]:
    rng = random.Random(seed)
    seats = round(people * SEATS_SHARE)
    sessions = [
        SessionSeats(slot * SESSIONS_PER_SLOT + n, slot, seats)
        for slot in range(SLOTS)
        for n in range(SESSIONS_PER_SLOT)
    ]
    popularity = [2**-n for n in range(SESSIONS_PER_SLOT)]
    kinds, weights = zip(*KINDS, strict=True)
    persons = []
    for number in range(people):
        ranking = {}
        for slot in range(SLOTS):
            picks = []
            while len(picks) < 3:
                n = rng.choices(range(SESSIONS_PER_SLOT), weights=popularity)[0]
                if slot * SESSIONS_PER_SLOT + n not in picks:
                    picks.append(slot * SESSIONS_PER_SLOT + n)
            ranking[slot] = picks
        persons.append(Person(number, rng.choices(kinds, weights=weights)[0], ranking))
    return persons, sessions


def solver_objective(persons: list[Person], sessions: list[SessionSeats]) -> list:
    """The solver's allocation's places, excess and total rank per part, counted from the places it gave."""
    from tests.allocation.reference import measured  # here: the solver's process does not load OR-Tools

    allocation = allocate(persons, sessions, MAX_TYPE_SHARE, seed=1)
    kinds = {person.id: person.kind for person in persons}
    objective = []
    for slot in sorted({s.slot_id for s in sessions}):
        mine = {p: s for (p, part), (s, _) in allocation.placed.items() if part == slot}
        ranks = sum(rank for (_, part), (_, rank) in allocation.placed.items() if part == slot)
        objective.append([*measured(mine, kinds, MAX_TYPE_SHARE), ranks])
    return objective


def reference_objective(persons: list[Person], sessions: list[SessionSeats]) -> list:
    from tests.allocation.reference import counted_optimum

    return [list(value) for _, value in sorted(counted_optimum(persons, sessions, MAX_TYPE_SHARE).items())]


def solve_here(which: str, people: int) -> dict:
    """One solve in this process: the day is generated first, then only the solve is timed."""
    persons, sessions = day(people)
    before_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started = time.perf_counter()
    objective = (solver_objective if which == "solver" else reference_objective)(persons, sessions)
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": seconds, "peak_mb": peak_mb, "before_mb": before_mb, "objective": objective}


def solve_apart(which: str, people: int) -> Solve | None:
    command = [sys.executable, "-m", "bench.allocation", "--solve", which, str(people)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT, check=True)
    except subprocess.TimeoutExpired:
        return None
    return Solve(**json.loads(done.stdout.splitlines()[-1]))


def measure(sizes=SIZES) -> list[Measured]:
    return [Measured(people, solve_apart("solver", people), solve_apart("reference", people)) for people in sizes]


def describe(measured_day: Measured) -> str:
    def part(solve: Solve | None) -> str:
        return (
            f"over {TIMEOUT} s, stopped"
            if solve is None
            else f"{solve.seconds:.2f} s, peak {solve.peak_mb:.0f} MB ({solve.before_mb:.0f} before)"
        )

    objective = measured_day.solver.objective if measured_day.solver else "-"
    return (
        f"{measured_day.people:,} people: solver {part(measured_day.solver)}; independent (CP-SAT) "
        f"{part(measured_day.reference)}; objective {'equal' if measured_day.equal else 'NOT EQUAL'} "
        f"(per part [places, excess, total rank]: {objective})"
    )


if __name__ == "__main__":
    if sys.argv[1:2] == ["--solve"]:
        print(json.dumps(solve_here(sys.argv[2], int(sys.argv[3]))))
    else:
        for row in measure([int(arg) for arg in sys.argv[1:]] or SIZES):
            print(describe(row), flush=True)
