"""The allocation as an optimisation on plain data: no database, so it can be checked against brute force.

Each choice slot is a problem of its own, solved with SciPy's `milp` (HiGHS) in three lexicographic steps:

1. place as many people as seats and rankings allow (each person at most one session per slot, never more
   people in a session than its seats);
2. among those, keep every organisation kind within `max_type_share` of the people in each session: the
   excess (people over the bound, rounded up) is a variable, minimised, so the bound holds whenever the
   rankings allow it and is exceeded as little as possible when they do not;
3. among those, the minimal total rank (the sum of 1 for a first choice, 2 for a second, 3 for a third),
   plus a seeded lottery below one rank unit in all, so ties are broken at random and a seed repeats exactly.

Each step's optimum is fixed as a constraint of the next, so no weight of one step can outweigh another.
"""

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_array

DEFAULT_MAX_TYPE_SHARE = 0.5
SOLVER_OPTIONS = {"mip_rel_gap": 1e-9, "time_limit": 120}


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


class SolverFailed(RuntimeError):
    """HiGHS gave no optimal solution (it should not: every step has the empty allocation as a solution)."""


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


def _allocate_slot(allocation, slot_id, people, seats, max_type_share, seed) -> None:
    pairs = [
        (person, session_id, rank)
        for person in people
        for rank, session_id in enumerate(person.ranking.get(slot_id, ())[:3], start=1)
        if seats.get(session_id, 0) > 0
    ]
    ranked = [person for person in people if person.ranking.get(slot_id)]
    chosen = _solve(pairs, seats, max_type_share, np.random.default_rng([seed, slot_id])) if pairs else []
    placed_ids = set()
    for person, session_id, rank in chosen:
        allocation.placed[(person.id, slot_id)] = (session_id, rank)
        placed_ids.add(person.id)
    allocation.unplaced.extend((person.id, slot_id) for person in ranked if person.id not in placed_ids)


def _solve(pairs, seats, max_type_share, rng) -> list:
    """The chosen (person, session id, rank) pairs of one slot."""
    n = len(pairs)
    groups = sorted({(session_id, person.kind) for person, session_id, _ in pairs})
    group_index = {group: i for i, group in enumerate(groups)}
    person_index = {person_id: i for i, person_id in enumerate(dict.fromkeys(p.id for p, _, _ in pairs))}
    session_index = {session_id: i for i, session_id in enumerate(sorted(seats))}
    rows, cols, values = [], [], []

    def put(row, col, value):
        rows.append(row)
        cols.append(col)
        values.append(value)

    offset_sessions = len(person_index)
    offset_groups = offset_sessions + len(session_index)
    for j, (person, session_id, _) in enumerate(pairs):
        put(person_index[person.id], j, 1)  # one session per person
        put(offset_sessions + session_index[session_id], j, 1)  # seats
        for kind in {kind for s, kind in groups if s == session_id}:
            # kind's people - share * everyone in the session - excess <= 0
            put(offset_groups + group_index[(session_id, kind)], j, (kind == person.kind) - max_type_share)
    for g in range(len(groups)):
        put(offset_groups + g, n + g, -1)
    width = n + len(groups)
    matrix = coo_array((values, (rows, cols)), shape=(offset_groups + len(groups), width)).tocsr()
    upper = np.concatenate([np.ones(len(person_index)), [seats[s] for s in sorted(seats)], np.zeros(len(groups))])
    constraints = [LinearConstraint(matrix, -np.inf, upper)]
    bounds = Bounds(np.zeros(width), np.concatenate([np.ones(n), np.full(len(groups), np.inf)]))
    integrality = np.ones(width)
    placing = np.concatenate([np.ones(n), np.zeros(len(groups))])
    excess = np.concatenate([np.zeros(n), np.ones(len(groups))])

    placed = -_optimum(-placing, constraints, bounds, integrality)
    constraints.append(LinearConstraint(placing, round(placed) - 0.5, np.inf))
    least_excess = _optimum(excess, constraints, bounds, integrality)
    constraints.append(LinearConstraint(excess, -np.inf, round(least_excess) + 0.5))
    lottery = rng.random(n) / (len(person_index) + 1)  # below one rank unit, whoever is placed
    cost = np.concatenate([[rank for _, _, rank in pairs] + lottery, np.zeros(len(groups))])
    result = _run(cost, constraints, bounds, integrality)
    return [pair for pair, x in zip(pairs, result.x[:n], strict=True) if x > 0.5]


def _optimum(cost, constraints, bounds, integrality) -> float:
    return _run(cost, constraints, bounds, integrality).fun


def _run(cost, constraints, bounds, integrality):
    result = milp(cost, constraints=constraints, bounds=bounds, integrality=integrality, options=SOLVER_OPTIONS)
    if result.status != 0:
        raise SolverFailed(result.message)
    return result
