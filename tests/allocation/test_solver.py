"""The allocation's rules on plain data, without a database: checked against brute force on small cases."""

import itertools
import math
import random
from collections import Counter

import pytest

from eventapp.allocation.solver import Person, SessionSeats, allocate

KINDS = ("municipality", "police", "education", "youth_care")


def random_case(rng: random.Random, people: int, sessions: int, seats: int, kinds=KINDS):
    """One slot: people ranking 1 to 3 of `sessions` sessions, each with up to `seats` seats."""
    seat_rows = [SessionSeats(s, 1, rng.randint(0, seats)) for s in range(sessions)]
    persons = [
        Person(p, rng.choice(kinds), {1: rng.sample(range(sessions), rng.randint(1, min(3, sessions)))})
        for p in range(people)
    ]
    return persons, seat_rows


def excess(placed: dict[int, int], kinds: dict[int, str], share: float) -> int:
    """People over the type-share bound, per session and kind rounded up, summed (the solver's measure)."""
    total = 0
    for session in set(placed.values()):
        people = [p for p, s in placed.items() if s == session]
        for count in Counter(kinds[p] for p in people).values():
            total += max(0, math.ceil(count - share * len(people) - 1e-9))
    return total


def brute_force(persons, seat_rows, share):
    """The best (most placed, least excess, least total rank) over every possible allocation of one slot."""
    seats = {s.id: s.seats for s in seat_rows}
    kinds = {p.id: p.kind for p in persons}
    options = [[None, *p.ranking[1]] for p in persons]
    best = None
    for pick in itertools.product(*options):
        if any(Counter(s for s in pick if s is not None)[s] > seats[s] for s in seats):
            continue
        placed = {p.id: s for p, s in zip(persons, pick, strict=True) if s is not None}
        ranks = sum(p.ranking[1].index(s) + 1 for p, s in zip(persons, pick, strict=True) if s is not None)
        key = (-len(placed), excess(placed, kinds, share), ranks)
        best = key if best is None or key < best else best
    return best


def solved_key(persons, seat_rows, share, seed=0):
    allocation = allocate(persons, seat_rows, share, seed)
    placed = {p: s for (p, _slot), (s, _rank) in allocation.placed.items()}
    return (-len(placed), excess(placed, {p.id: p.kind for p in persons}, share), allocation.total_rank())


@pytest.mark.parametrize("case", range(40))
def test_total_rank_and_mix_equal_the_brute_force_optimum(case):
    rng = random.Random(case)
    persons, seat_rows = random_case(rng, people=rng.randint(2, 7), sessions=rng.randint(2, 4), seats=3)
    share = rng.choice([0.5, 0.67, 1.0])
    assert solved_key(persons, seat_rows, share, seed=case) == brute_force(persons, seat_rows, share)


@pytest.mark.parametrize("case", range(20))
def test_capacity_is_never_exceeded_and_everyone_gets_at_most_one_ranked_session_per_slot(case):
    rng = random.Random(1000 + case)
    persons = [
        Person(p, rng.choice(KINDS), {1: rng.sample(range(5), 3), 2: rng.sample(range(5, 9), 2)}) for p in range(120)
    ]
    seat_rows = [SessionSeats(s, 1 if s < 5 else 2, rng.randint(0, 30)) for s in range(9)]
    allocation = allocate(persons, seat_rows, 0.5, seed=case)
    taken = Counter(session for session, _ in allocation.placed.values())
    assert all(taken[s.id] <= s.seats for s in seat_rows)
    by_id = {p.id: p for p in persons}
    for (person, slot), (session, rank) in allocation.placed.items():
        assert by_id[person].ranking[slot][rank - 1] == session
    everyone = {(p.id, slot) for p in persons for slot in (1, 2)}
    assert set(allocation.placed) | set(allocation.unplaced) == everyone
    assert not set(allocation.placed) & set(allocation.unplaced)


def test_the_type_share_bound_holds_when_the_rankings_allow_it():
    """Eight police officers and eight others all want session 0 first: the mix wins over first choices."""
    others = ("municipality", "education", "youth_care")
    persons = [Person(p, "police" if p < 8 else others[p % 3], {1: [0, 1]}) for p in range(16)]
    allocation = allocate(persons, [SessionSeats(0, 1, 8), SessionSeats(1, 1, 8)], 0.5, seed=1)
    for session in (0, 1):
        kinds = allocation.kinds_per_session({p.id: p.kind for p in persons})[session]
        assert max(kinds.values()) <= 0.5 * sum(kinds.values())
    assert len(allocation.placed) == 16


def test_the_bound_degrades_gracefully_when_it_cannot_hold():
    """Only police rank session 0: everyone is still placed, and the other session keeps its mix."""
    police = [Person(p, "police", {1: [0]}) for p in range(6)]
    others = [Person(10 + p, KINDS[p % 4], {1: [1, 0]}) for p in range(8)]
    allocation = allocate(police + others, [SessionSeats(0, 1, 10), SessionSeats(1, 1, 10)], 0.5, seed=2)
    assert len(allocation.placed) == 14 and not allocation.unplaced
    mix = allocation.kinds_per_session({p.id: p.kind for p in police + others})
    assert mix[0]["police"] == 6  # the bound cannot hold there: nobody else is put in to dilute against their wish
    assert max(mix[1].values()) <= 0.5 * sum(mix[1].values())


def test_the_same_seed_gives_the_same_allocation_and_the_lottery_breaks_ties():
    """Twenty people want one seat each of two five-seat sessions, all alike: only the lottery decides."""
    persons = [Person(p, "municipality", {1: [0, 1]}) for p in range(20)]
    seats = [SessionSeats(0, 1, 5), SessionSeats(1, 1, 5)]
    runs = [allocate(persons, seats, 1.0, seed=seed).placed for seed in (7, 7, 8, 9)]
    assert runs[0] == runs[1]
    assert len({frozenset(run.items()) for run in runs[1:]}) > 1
