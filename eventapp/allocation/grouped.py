"""One part of the day (a choice slot) as a model on groups of alike people, solved by SciPy's `milp` (HiGHS).

People with the same kind of organisation and the same ranked sessions (with the same ranks) are
interchangeable for every rule the allocation has, so one variable per group and ranked session says how many of
the group go there. The model's size grows with the number of distinct rankings and kinds, at most
kinds x (sessions choose 3, ordered) however many people come; building the groups is linear in people.

The steps, each optimum fixed as a constraint of the next (see solver.py for what they mean):

1. most places; 2. least excess over the share bound; 3. least total rank; 4. the least seeded lottery cost, a
random weight per group and session, so ties between groups are broken by the seed (solver.py then draws who
of a group goes where).
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, OptimizeResult, milp
from scipy.sparse import coo_array, csr_array

SOLVER_OPTIONS = {"mip_rel_gap": 0.0, "time_limit": 300}
# A variable: (group index, session id, rank); a cell of the share bound: (session id, kind of organisation).
Column = tuple[int, int, int]
Cell = tuple[int, str]


class SolverFailed(RuntimeError):
    """HiGHS gave no optimal solution (it should not: every step has the empty allocation as a solution)."""


@dataclass(frozen=True)
class Group:
    """Alike people of one part: their kind, their ranked sessions with ranks, and how many they are."""

    kind: str
    choices: tuple[tuple[int, int], ...]  # (session id, rank), best first
    size: int


@dataclass(frozen=True)
class Optimum:
    placed: int
    excess: int
    total_rank: int


def solve(
    groups: Sequence[Group], seats: Mapping[int, int], share: float, rng: np.random.Generator
) -> tuple[list[list[int]], Optimum]:
    """Per group, how many go to each of its choices (in the order of `choices`); and the optimum's figures."""
    columns = [(g, session_id, rank) for g, group in enumerate(groups) for session_id, rank in group.choices]
    if not columns:
        return [[] for _ in groups], Optimum(0, 0, 0)
    cells = sorted({(session_id, groups[g].kind) for g, session_id, _ in columns})
    n, width = len(columns), len(columns) + len(cells)
    constraints = [LinearConstraint(*_rows(groups, columns, cells, seats, share))]
    upper = np.concatenate([[groups[g].size for g, _, _ in columns], np.full(len(cells), np.inf)])
    bounds, integrality = Bounds(np.zeros(width), upper), np.ones(width)
    placing = np.concatenate([np.ones(n), np.zeros(len(cells))])
    excess = np.concatenate([np.zeros(n), np.ones(len(cells))])
    ranks = np.concatenate([[rank for _, _, rank in columns], np.zeros(len(cells))])
    lottery = np.concatenate([rng.random(n), np.zeros(len(cells))])
    placed = round(-_run(-placing, constraints, bounds, integrality).fun)
    constraints.append(LinearConstraint(placing, placed - 0.5, np.inf))
    least_excess = round(_run(excess, constraints, bounds, integrality).fun)
    constraints.append(LinearConstraint(excess, -np.inf, least_excess + 0.5))
    total_rank = round(_run(ranks, constraints, bounds, integrality).fun)
    constraints.append(LinearConstraint(ranks, -np.inf, total_rank + 0.5))
    x = np.rint(_run(lottery, constraints, bounds, integrality).x[:n]).astype(int)
    counts: list[list[int]] = [[] for _ in groups]
    for (g, _, _), number in zip(columns, x, strict=True):
        counts[g].append(int(number))
    return counts, Optimum(placed, least_excess, total_rank)


def _rows(
    groups: Sequence[Group],
    columns: Sequence[Column],
    cells: Sequence[Cell],
    seats: Mapping[int, int],
    share: float,
) -> tuple[csr_array, float, np.ndarray]:
    """The constraints' matrix and bounds: each group's size, each session's seats, each cell's excess."""
    group_rows = len(groups)
    sessions = {session_id: i for i, session_id in enumerate(sorted(seats))}
    cell_index = {cell: i for i, cell in enumerate(cells)}
    kinds_in: dict[int, list[str]] = {}
    for session_id, kind in cells:
        kinds_in.setdefault(session_id, []).append(kind)
    offset = group_rows + len(sessions)
    rows: list[int] = []
    cols: list[int] = []
    values: list[float] = []
    for j, (g, session_id, _) in enumerate(columns):
        rows += [g, group_rows + sessions[session_id]]
        cols += [j, j]
        values += [1, 1]
        for kind in kinds_in[session_id]:  # the kind's people - share x the session's people - excess <= 0
            rows.append(offset + cell_index[(session_id, kind)])
            cols.append(j)
            values.append((kind == groups[g].kind) - share)
    for c in range(len(cells)):
        rows.append(offset + c)
        cols.append(len(columns) + c)
        values.append(-1)
    shape = (offset + len(cells), len(columns) + len(cells))
    matrix = coo_array((values, (rows, cols)), shape=shape).tocsr()
    upper = np.concatenate([[group.size for group in groups], [seats[s] for s in sorted(seats)], np.zeros(len(cells))])
    return matrix, -np.inf, upper


def _run(
    cost: np.ndarray, constraints: list[LinearConstraint], bounds: Bounds, integrality: np.ndarray
) -> OptimizeResult:
    result = milp(cost, constraints=constraints, bounds=bounds, integrality=integrality, options=SOLVER_OPTIONS)
    if result.status != 0:
        raise SolverFailed(result.message)
    return result
