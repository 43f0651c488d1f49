"""The solver against two independent CP-SAT formulations (tests/allocation/reference.py) on medium days:
80 to 160 people over two parts of four sessions, seats short, kinds skewed, rankings alike and not.

Brute force (test_solver.py) proves the optimum up to seven people; here the per-person model and the counted
model, neither sharing code with eventapp/allocation/, must reach the same places, excess and total rank per part.
"""

import random

import pytest

from eventapp.allocation.solver import Person, SessionSeats, allocate
from tests.allocation.reference import counted_optimum, measured, optimum

KINDS = ("municipality", "police", "education", "youth_care", "halt")
SLOTS = (1, 2)


def medium_day(seed: int) -> tuple[list[Person], list[SessionSeats], float]:
    rng = random.Random(seed)
    people = rng.randint(80, 160)
    sessions = [SessionSeats(10 * slot + n, slot, rng.randint(5, people // 4)) for slot in SLOTS for n in range(4)]
    weights = [rng.random() + (3 if n == 0 else 0) for n in range(len(KINDS))]  # one kind comes in numbers
    popular = {slot: rng.choice(range(4)) for slot in SLOTS}
    persons = []
    for number in range(people):
        ranking = {}
        for slot in SLOTS:
            ids = [10 * slot + n for n in range(4)]
            first = 10 * slot + popular[slot] if rng.random() < 0.6 else rng.choice(ids)
            rest = rng.sample([i for i in ids if i != first], rng.randint(0, 2))
            ranking[slot] = [first, *rest]
        persons.append(Person(number, rng.choices(KINDS, weights)[0], ranking))
    return persons, sessions, rng.choice([0.4, 0.5, 0.67])


def solved(persons, sessions, share, seed) -> dict[int, tuple[int, int, int]]:
    allocation = allocate(persons, sessions, share, seed)
    kinds = {p.id: p.kind for p in persons}
    result = {}
    for slot in SLOTS:
        placed = {p: s for (p, at), (s, _rank) in allocation.placed.items() if at == slot}
        ranks = sum(rank for (_p, at), (_s, rank) in allocation.placed.items() if at == slot)
        result[slot] = (*measured(placed, kinds, share), ranks)
    return result


@pytest.mark.parametrize("seed", range(6))
def test_a_medium_day_reaches_the_optimum_of_both_independent_formulations(seed):
    persons, sessions, share = medium_day(seed)
    mine = solved(persons, sessions, share, seed)
    assert mine == optimum(persons, sessions, share)
    assert mine == counted_optimum(persons, sessions, share)
    assert any(places < sum(1 for p in persons if p.ranking[slot]) for slot, (places, _, _) in mine.items())
