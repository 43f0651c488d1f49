"""The allocation as an optimisation on plain data: no database, so it can be checked against brute force.

Each choice slot (a part of the day) is a problem of its own, optimised in three lexicographic steps:

1. place as many people as seats and rankings allow (each person at most one session per slot, never more
   people in a session than its seats);
2. among those, keep every organisation kind within `max_type_share` of the people in each session: the
   excess (people over the bound, rounded up) is minimised, so the bound holds whenever the rankings allow it
   and is exceeded as little as possible when they do not;
3. among those, the minimal total rank (the sum of 1 for a first choice, 2 for a second, 3 for a third);
   ties are broken by a seeded lottery, so a seed repeats exactly.

People of the same kind who ranked the same sessions are alike for every one of these rules: they are solved as
one group (grouped.py, SciPy's `milp`, i.e. HiGHS, on a model whose size does not grow with people), and the
seeded lottery then draws who of a group gets which of its places. The cost grows close to linearly with people.
"""

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from eventapp.allocation.grouped import Group, Optimum, SolverFailed, solve

DEFAULT_MAX_TYPE_SHARE = 0.5

__all__ = ["DEFAULT_MAX_TYPE_SHARE", "Allocation", "Person", "SessionSeats", "SolverFailed", "allocate"]


@dataclass(frozen=True)
class Person:
    """Someone to place: their kind of organisation and, per slot id, session ids best first."""

    id: int
    kind: str
    ranking: Mapping[int, Sequence[int]]


@dataclass(frozen=True)
class SessionSeats:
    id: int
    slot_id: int
    seats: int


@dataclass
class Allocation:
    """(person id, slot id) -> (session id, rank) for each place given; the people who could not be placed."""

    placed: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)
    unplaced: list[tuple[int, int]] = field(default_factory=list)
    optimum: dict[int, Optimum] = field(default_factory=dict)  # slot id -> the figures its steps reached

    def total_rank(self) -> int:
        return sum(rank for _, rank in self.placed.values())

    def by_rank(self) -> Counter:
        return Counter(rank for _, rank in self.placed.values())

    def kinds_per_session(self, kinds: Mapping[int, str]) -> dict[int, Counter]:
        """session id -> how many of each kind were placed there."""
        mix: dict[int, Counter] = defaultdict(Counter)
        for (person_id, _slot), (session_id, _rank) in self.placed.items():
            mix[session_id][kinds[person_id]] += 1
        return mix


def allocate(
    people: Sequence[Person],
    sessions: Sequence[SessionSeats],
    max_type_share: float = DEFAULT_MAX_TYPE_SHARE,
    seed: int = 0,
) -> Allocation:
    """The allocation of every slot's sessions (see the module's docstring for what it optimises)."""
    allocation = Allocation()
    for slot_id in sorted({session.slot_id for session in sessions}):
        seats = {session.id: session.seats for session in sessions if session.slot_id == slot_id}
        _allocate_slot(allocation, slot_id, people, seats, max_type_share, seed)
    return allocation


def group_people(people: Sequence[Person], slot_id: int, seats: Mapping[int, int]) -> dict[Group, list[int]]:
    """The groups of alike people of one slot, each with its members' ids (ascending); people without any
    ranked session that has seats form groups without choices. Only the first three of a ranking count."""
    members: dict[tuple[str, tuple], list[int]] = defaultdict(list)
    for person in people:
        ranking = person.ranking.get(slot_id)
        if ranking:
            choices = tuple(
                (session_id, rank)
                for rank, session_id in enumerate(ranking[:3], start=1)
                if seats.get(session_id, 0) > 0
            )
            members[(person.kind, choices)].append(person.id)
    return {Group(kind, choices, len(ids)): sorted(ids) for (kind, choices), ids in sorted(members.items())}


def _allocate_slot(allocation, slot_id, people, seats, max_type_share, seed) -> None:
    groups = group_people(people, slot_id, seats)
    rng = np.random.default_rng([seed, slot_id])
    counts, optimum = solve(list(groups), seats, max_type_share, rng)
    allocation.optimum[slot_id] = optimum
    for (group, ids), numbers in zip(groups.items(), counts, strict=True):
        drawn = rng.permutation(ids).tolist()
        start = 0
        for (session_id, rank), number in zip(group.choices, numbers, strict=True):
            for person_id in drawn[start : start + number]:
                allocation.placed[(person_id, slot_id)] = (session_id, rank)
            start += number
        allocation.unplaced.extend((person_id, slot_id) for person_id in sorted(drawn[start:]))
