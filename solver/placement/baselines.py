"""Simple rounds to compare the optimiser with (never used to make real offers).

- status_quo: first come, first served inside each district; nobody crosses a border; each
  parent in queue order takes the earliest-starting group with a free seat they fit.
- greedy_cross: the same, but a parent with no seat at home who may cross (rule 5) takes the
  nearest group elsewhere with a free seat, in one pass in queue order.
- monolithic_flow: one min-cost flow over every waiting parent and every seat, weights for
  queue position, own district and travel; the textbook formulation, timed in the benchmark.
"""

from __future__ import annotations

import time

import numpy as np

from solver.placement.assignment import network
from solver.placement.metrics import placement_metrics
from solver.placement.model import PlacementData, build_data, offer_deadline
from solver.types import Offer, PlacementResult, Scenario, SolveStatus, Unplaced


def status_quo(scenario: Scenario) -> PlacementResult:
    data = build_data(scenario)
    left = list(data.free)
    placed: dict[int, int] = {}
    for a in range(len(data.apps)):
        _seat_at_home(data, a, left, placed)
    return _result(data, placed, {}, set(), "status quo: first come, first served at home")


def greedy_cross(scenario: Scenario) -> PlacementResult:
    data = build_data(scenario)
    left = list(data.free)
    placed: dict[int, int] = {}
    travel: dict[tuple[int, int], int] = {}
    away: set[int] = set()
    for a in range(len(data.apps)):
        _seat_at_home(data, a, left, placed)
        if a in placed or not data.may_cross(a):
            continue
        for g, minutes in data.away_arcs(a):  # nearest first
            if left[g] > 0:
                left[g] -= 1
                placed[a] = g
                travel[(a, g)] = minutes
                away.add(a)
                break
    return _result(data, placed, travel, away, "greedy: nearest free seat in queue order")


def monolithic_flow(scenario: Scenario, timings: dict[str, float] | None = None) -> PlacementResult:
    """All parents, all seats, one flow: cost = -(queue weight) + own-district and travel."""
    started = time.perf_counter()
    data = build_data(scenario)
    n, groups = len(data.apps), len(data.groups)
    tails, heads, costs = [], [], []
    scale = 1000  # one step in queue position outweighs any travel or border cost
    for a in range(n):
        weight = (n - a) * scale
        for g in data.home_arcs(a):
            tails.append(a)
            heads.append(n + g)
            costs.append(-weight - 500)
        if data.may_cross(a):
            for g, minutes in data.away_arcs(a):
                tails.append(a)
                heads.append(n + g)
                costs.append(-weight + minutes)
    arc_count = len(tails)
    sink = n + groups
    tails += list(range(n)) + [n + g for g in range(groups)]
    heads += [sink] * (n + groups)
    caps = [1] * arc_count + [1] * n + list(data.free)
    costs += [0] * n + [0] * groups
    # Every parent sends one unit: through a seat, or straight to the sink (not placed).
    flow = network(tails, heads, caps, costs, [1] * n + [0] * groups + [-n])
    built = time.perf_counter()
    status = flow.solve()
    if timings is not None:
        timings["data"] = built - started
        timings["solve"] = time.perf_counter() - built
    if status != flow.OPTIMAL:
        return PlacementResult(as_of=scenario.as_of, status=SolveStatus.UNKNOWN)
    used = np.flatnonzero(flow.flows(np.arange(arc_count, dtype=np.int32)))
    placed = {tails[k]: heads[k] - n for k in used}
    travel = {}
    away = set()
    for a, g in placed.items():
        if data.groups[g].district != data.apps[a].district:
            away.add(a)
            travel[(a, g)] = data.scenario.travel(data.apps[a].district, data.groups[g].district)
    return _result(data, placed, travel, away, "one min-cost flow over everything")  # type: ignore[arg-type]


def _seat_at_home(data: PlacementData, a: int, left: list[int], placed: dict[int, int]) -> None:
    """Seat `a` in the earliest-starting home group with a seat left, if there is one."""
    for g in _by_start(data, data.home_arcs(a)):
        if left[g] > 0:
            left[g] -= 1
            placed[a] = g
            return


def _by_start(data: PlacementData, groups: list[int]) -> list[int]:
    return sorted(groups, key=lambda g: (data.groups[g].start, data.groups[g].id))


def _result(
    data: PlacementData,
    placed: dict[int, int],
    travel: dict[tuple[int, int], int],
    away: set[int],
    how: str,
) -> PlacementResult:
    offers = tuple(
        Offer(
            data.apps[a].id,
            data.groups[g].id,
            offer_deadline(data.scenario, data.groups[g]) or data.scenario.as_of,
            a in away,
            travel.get((a, g), 0),
            how,
        )
        for a, g in sorted(placed.items(), key=lambda item: data.apps[item[0]].id)
    )
    unplaced = tuple(
        Unplaced(app.id, how)
        for a, app in sorted(enumerate(data.apps), key=lambda item: item[1].id)
        if a not in placed
    )
    objective, metrics = placement_metrics(data, offers, placed, travel)
    return PlacementResult(
        data.scenario.as_of, SolveStatus.FEASIBLE, offers, unplaced, objective, metrics
    )
