"""Independent formulations of the allocation's objective, to check the solver against, by another solver
(OR-Tools' CP-SAT, exact integer arithmetic) and written apart from eventapp/allocation/.

`optimum` has one Boolean per person and ranked session (no groups) and one weighted objective instead of
lexicographic steps: the tests' check on small and medium days. The weights keep the order of the steps: one
place more outweighs any excess and rank (w_place > w_excess x people + 3 x people), and one person of excess
less outweighs any total rank (w_excess > 3 x people).

`counted_optimum` has one integer per distinct (kind, ranking) and session, counted here on its own, solved in
the three steps by CP-SAT (each step's optimum a constraint of the next, the previous solution as a hint): the
bench's check up to 20,000 people, where the per-person model (or one weighted objective) takes CP-SAT minutes.

Both give per slot the places, the excess (counted from the solution, not read from the model) and the total rank.
"""

import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from fractions import Fraction

from ortools.sat.python import cp_model

from eventapp.allocation.solver import Person, SessionSeats


def measured(placed: dict[int, int], kinds: dict[int, str], share: float) -> tuple[int, int]:
    """(people placed, excess): the excess counted from the allocation itself (person id -> session id)."""
    mix: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for person_id, session_id in placed.items():
        mix[session_id][kinds[person_id]] += 1
    return len(placed), _excess_of(mix, share)


def _excess_of(mix: dict[int, dict[str, int]], share: float) -> int:
    """People over the share bound, per session and kind rounded up, summed (the solver's measure)."""
    excess = 0
    for counts in mix.values():
        total = sum(counts.values())
        excess += sum(max(0, math.ceil(count - share * total - 1e-9)) for count in counts.values())
    return excess


# Long enough for a medium day on a busy 2-core machine; a test then fails instead of hanging the suite.
SECONDS_PER_SOLVE = 300


def _solved(model: cp_model.CpModel, workers: int) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = workers
    solver.parameters.max_time_in_seconds = SECONDS_PER_SOLVE
    if solver.solve(model) != cp_model.OPTIMAL:
        raise RuntimeError(f"CP-SAT found no proven optimum within {SECONDS_PER_SOLVE} s")
    return solver


def optimum(people: Sequence[Person], sessions: Sequence[SessionSeats], share: float, workers: int = 2) -> dict:
    """slot id -> (places, excess, total rank) of the optimal allocation of that slot, by CP-SAT."""
    return {
        slot_id: _slot_optimum(
            people, {s.id: s.seats for s in sessions if s.slot_id == slot_id}, slot_id, share, workers
        )
        for slot_id in sorted({s.slot_id for s in sessions})
    }


def _slot_optimum(people, seats, slot_id, share, workers) -> tuple[int, int, int]:
    model = cp_model.CpModel()
    pairs = [
        (person, session_id, rank, model.new_bool_var(f"x{person.id}_{session_id}"))
        for person in people
        for rank, session_id in enumerate(person.ranking.get(slot_id, ())[:3], start=1)
        if seats.get(session_id, 0) > 0
    ]
    if not pairs:
        return 0, 0, 0
    by_person, by_session = defaultdict(list), defaultdict(list)
    for person, session_id, _rank, x in pairs:
        by_person[person.id].append(x)
        by_session[session_id].append((person.kind, x))
    for chosen in by_person.values():
        model.add(sum(chosen) <= 1)
    fraction = Fraction(share).limit_denominator(1000)
    excess = []
    for session_id, entries in by_session.items():
        model.add(sum(x for _, x in entries) <= seats[session_id])
        everyone = sum(x for _, x in entries)
        for kind in {kind for kind, _ in entries}:
            over = model.new_int_var(0, len(entries), f"e{session_id}_{kind}")
            kind_people = sum(x for k, x in entries if k == kind)
            model.add(fraction.denominator * kind_people - fraction.numerator * everyone <= fraction.denominator * over)
            excess.append(over)
    people_count = len(by_person)
    w_excess = 3 * people_count + 1
    w_place = w_excess * (people_count + 1) + 3 * people_count + 1
    model.maximize(sum(w_place * x - rank * x for _, _, rank, x in pairs) - w_excess * sum(excess))
    solver = _solved(model, workers)
    placed = {person.id: session_id for person, session_id, _, x in pairs if solver.value(x)}
    ranks = sum(rank for _, _, rank, x in pairs if solver.value(x))
    kinds = {person.id: person.kind for person, _, _, _ in pairs}
    return (*measured(placed, kinds, share), ranks)


def counted_optimum(people: Sequence[Person], sessions: Sequence[SessionSeats], share: float, workers: int = 2) -> dict:
    """slot id -> (places, excess, total rank), by CP-SAT on counts of alike people."""
    return {
        slot_id: _counted_slot(
            people, {s.id: s.seats for s in sessions if s.slot_id == slot_id}, slot_id, share, workers
        )
        for slot_id in sorted({s.slot_id for s in sessions})
    }


def _counted_slot(people, seats, slot_id, share, workers) -> tuple[int, int, int]:
    alike = Counter(
        (person.kind, tuple(s for s in person.ranking.get(slot_id, ())[:3]))
        for person in people
        if person.ranking.get(slot_id)
    )
    model = cp_model.CpModel()
    flows = []  # (kind, session id, rank, integer variable)
    for (kind, ranking), size in alike.items():
        mine = [
            (kind, session_id, rank, model.new_int_var(0, size, f"n{len(flows)}_{rank}"))
            for rank, session_id in enumerate(ranking, start=1)
            if seats.get(session_id, 0) > 0
        ]
        model.add(sum(n for *_, n in mine) <= size)
        flows += mine
    if not flows:
        return 0, 0, 0
    fraction = Fraction(share).limit_denominator(1000)
    excess = {}
    for session_id in seats:
        here = [(kind, n) for kind, s, _, n in flows if s == session_id]
        model.add(sum(n for _, n in here) <= seats[session_id])
        for kind in {kind for kind, _ in here}:
            over = excess[(session_id, kind)] = model.new_int_var(0, seats[session_id], f"e{session_id}_{kind}")
            kind_people = sum(n for k, n in here if k == kind)
            everyone = sum(n for _, n in here)
            model.add(fraction.denominator * kind_people - fraction.numerator * everyone <= fraction.denominator * over)
    placed_sum = sum(n for *_, n in flows)
    excess_sum = sum(excess.values())
    rank_sum = sum(rank * n for _, _, rank, n in flows)
    for objective, maximise in ((placed_sum, True), (excess_sum, False), (rank_sum, False)):
        (model.maximize if maximise else model.minimize)(objective)
        solver = _solved(model, workers)
        best = round(solver.objective_value)
        model.add(objective >= best) if maximise else model.add(objective <= best)
        model.clear_hints()
        for *_, n in flows:
            model.add_hint(n, solver.value(n))
    mix = defaultdict(lambda: defaultdict(int))
    for kind, session_id, _, n in flows:
        mix[session_id][kind] += solver.value(n)
    return solver.value(placed_sum), _excess_of(mix, share), solver.value(rank_sum)
