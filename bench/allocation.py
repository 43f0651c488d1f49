"""The allocation of 1,000 people over 12 sessions, timed against a baseline solved in the same run.

The people are the same every run (a fixed random generator): two choice slots of six sessions, each person
ranking three per slot, popular sessions ranked first more often, and a kind of organisation that makes up more
than half of the people, so the chain-mix rule has work to do. The baseline is the textbook assignment without
the mix rule: the minimal total rank by SciPy's `linear_sum_assignment` (Hungarian method) over every seat, on
the same data and machine, so the figure says what the mix rule and the lottery cost on top of it.
"""

import random
import time
from dataclasses import dataclass

import numpy as np
from scipy.optimize import linear_sum_assignment

from eventapp.allocation.solver import Person, SessionSeats, allocate

PEOPLE, SLOTS, SESSIONS_PER_SLOT, SEATS = 1000, 2, 6, 180
KINDS = (("municipality", 52), ("police", 14), ("youth_care", 10), ("education", 10), ("halt", 7), ("other", 7))
UNRANKED = 10  # the cost of a person left out in the baseline: worse than any rank


@dataclass(frozen=True)
class Measured:
    seconds: float
    baseline_seconds: float
    placed: int
    first_choice_share: float
    max_type_share: float
    baseline_first_choice_share: float


def people(seed: int = 2026) -> tuple[list[Person], list[SessionSeats]]:
    rng = random.Random(seed)
    sessions = [
        SessionSeats(slot * SESSIONS_PER_SLOT + n, slot, SEATS)
        for slot in range(SLOTS)
        for n in range(SESSIONS_PER_SLOT)
    ]
    popularity = [2**-n for n in range(SESSIONS_PER_SLOT)]
    kinds, weights = zip(*KINDS, strict=True)
    persons = []
    for number in range(PEOPLE):
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


def baseline(persons: list[Person], sessions: list[SessionSeats]) -> int:
    """Places given first choices by the minimal-total-rank assignment without the mix rule; one seat a column."""
    first = 0
    for slot in range(SLOTS):
        seats = [s.id for s in sessions if s.slot_id == slot for _ in range(s.seats)]
        cost = np.full((len(persons), len(seats)), UNRANKED)
        for row, person in enumerate(persons):
            for rank, session_id in enumerate(person.ranking[slot], start=1):
                cost[row, [column for column, s in enumerate(seats) if s == session_id]] = rank
        rows, columns = linear_sum_assignment(cost)
        first += int((cost[rows, columns] == 1).sum())
    return first


def measure() -> Measured:
    persons, sessions = people()
    started = time.perf_counter()
    first_in_baseline = baseline(persons, sessions)
    baseline_seconds = time.perf_counter() - started
    started = time.perf_counter()
    allocation = allocate(persons, sessions, 0.5, seed=1)
    seconds = time.perf_counter() - started
    mix = allocation.kinds_per_session({person.id: person.kind for person in persons})
    return Measured(
        seconds=seconds,
        baseline_seconds=baseline_seconds,
        placed=len(allocation.placed),
        first_choice_share=allocation.by_rank()[1] / max(len(allocation.placed), 1),
        max_type_share=max(max(kinds.values()) / sum(kinds.values()) for kinds in mix.values()),
        baseline_first_choice_share=first_in_baseline / (PEOPLE * SLOTS),
    )


if __name__ == "__main__":
    print(measure())
