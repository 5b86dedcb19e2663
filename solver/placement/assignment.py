"""Which group each admitted applicant gets: two min-cost flows per connected component.

Who is served is already fixed (solver/placement/priority_matching.py) and so is whether each one is
served in the own district or elsewhere. What is left is the choice of group, by the rest of
the objective, in order:

  1. fill groups toward their minimum size: maximise sum over groups of min(offers, need),
     need = max(0, min_size - taken); solved first, its optimum F* is then held fixed by
     routing exactly F* units through the "need" arcs;
  2. keep travel low: minutes x W, where W exceeds any possible difference in (3);
  3. the earliest-starting groups to the longest-waiting: mult(a) x rank(g), a product of an
     applicant and a group term (a sum of the two would break no ties, since swapping two
     partners leaves it unchanged).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from ortools.graph.python import min_cost_flow

from solver.types import SolveStatus

_COST_LIMIT = 2**61


@dataclass(frozen=True)
class Component:
    apps: Sequence[int]  # admitted applicants with a choice, in priority order
    groups: Sequence[int]  # in order of start date, then id
    arcs: dict[int, Sequence[int]]
    travel: dict[tuple[int, int], int]
    free: dict[int, int]  # seats left after applicants with no choice took theirs
    need: dict[int, int]  # seats still missing to reach the minimum size


def assign(c: Component) -> tuple[dict[int, int], SolveStatus]:
    """Optimal group per applicant for the component, or ({}, status) when no optimum."""
    n = len(c.apps)
    node = {g: n + i for i, g in enumerate(c.groups)}
    heads: list[int] = []
    tails: list[int] = []
    for i, a in enumerate(c.apps):
        for g in c.arcs[a]:
            tails.append(i)
            heads.append(node[g])
    fill = _max_fill(c, node, tails, heads)
    if fill is None:
        return {}, SolveStatus.MODEL_INVALID
    costs = _travel_and_start_costs(c, tails, heads)
    flows, status = _solve(c, node, tails, heads, costs, fill)
    if flows is None:
        # The product term may overflow the solver's cost range: drop it, keep the rest.
        costs = list(_travel(c, tails, heads))
        flows, status = _solve(c, node, tails, heads, costs, fill)
        if flows is None:
            return {}, status
    return {c.apps[tails[k]]: c.groups[heads[k] - n] for k in np.flatnonzero(flows)}, status


def _max_fill(c: Component, node: dict[int, int], tails: list[int], heads: list[int]) -> int | None:
    if not any(c.need[g] for g in c.groups):
        return 0
    n, sink = len(c.apps), len(c.apps) + len(c.groups)
    t, h, cap, cost = list(tails), list(heads), [1] * len(tails), [0] * len(tails)
    for g in c.groups:
        t += [node[g], node[g]]
        h += [sink, sink]
        cap += [c.need[g], c.free[g] - c.need[g]]
        cost += [-1, 0]
    flow = network(t, h, cap, cost, [1] * n + [0] * len(c.groups) + [-n])
    if flow.solve() != flow.OPTIMAL:
        return None
    return -int(flow.optimal_cost())


def _travel(c: Component, tails: list[int], heads: list[int]) -> list[int]:
    n = len(c.apps)
    return [
        c.travel.get((c.apps[t], c.groups[h - n]), 0) for t, h in zip(tails, heads, strict=True)
    ]


def _travel_and_start_costs(c: Component, tails: list[int], heads: list[int]) -> list[int]:
    n = len(c.apps)
    rank = {g: i for i, g in enumerate(c.groups)}
    spread = 1  # exceeds any difference the product term can make between two assignments
    for i, a in enumerate(c.apps):
        ranks = [rank[g] for g in c.arcs[a]]
        spread += (n - i) * (max(ranks) - min(ranks))
    travel = _travel(c, tails, heads)
    return [spread * m + (n - t) * (h - n) for m, t, h in zip(travel, tails, heads, strict=True)]


def _solve(
    c: Component,
    node: dict[int, int],
    tails: list[int],
    heads: list[int],
    costs: list[int],
    fill: int,
) -> tuple[np.ndarray | None, SolveStatus]:
    n, g_count = len(c.apps), len(c.groups)
    need_node, extra_node = n + g_count, n + g_count + 1
    if max(costs, default=0) * (n + g_count + 3) >= _COST_LIMIT:
        return None, SolveStatus.MODEL_INVALID
    t, h, cap, cost = list(tails), list(heads), [1] * len(tails), list(costs)
    for g in c.groups:
        t += [node[g], node[g]]
        h += [need_node, extra_node]
        cap += [c.need[g], c.free[g] - c.need[g]]
        cost += [0, 0]
    flow = network(t, h, cap, cost, [1] * n + [0] * g_count + [-fill, fill - n])
    status = flow.solve()
    if status != flow.OPTIMAL:
        mapped = SolveStatus.INFEASIBLE if status == flow.INFEASIBLE else SolveStatus.UNKNOWN
        return None, mapped
    arc_flows = flow.flows(np.arange(len(tails), dtype=np.int32))
    return arc_flows, SolveStatus.OPTIMAL


def network(
    tails: list[int], heads: list[int], caps: list[int], costs: list[int], supplies: list[int]
) -> min_cost_flow.SimpleMinCostFlow:
    """A min-cost flow over the arcs `tails[k] -> heads[k]`, nodes numbered 0.. by `supplies`."""
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(
        np.asarray(tails, dtype=np.int32),
        np.asarray(heads, dtype=np.int32),
        np.asarray(caps, dtype=np.int64),
        np.asarray(costs, dtype=np.int64),
    )
    flow.set_nodes_supplies(
        np.arange(len(supplies), dtype=np.int32), np.asarray(supplies, dtype=np.int64)
    )
    return flow
