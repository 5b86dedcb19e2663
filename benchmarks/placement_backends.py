"""Why the placement round chooses groups with min-cost flows: the same "fill toward minimum
size" step as an LP (GLOP) and as CP-SAT, over the same admitted parents, on the city and the
nation. CPU seconds; the flows column covers both flow stages of every component.

    .venv/bin/python benchmarks/placement_backends.py
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from ortools.linear_solver import pywraplp
from ortools.sat.python import cp_model

from solver.placement.model import PlacementData
from solver.placement.pipeline import admit, build_data, choose_groups
from solver.scenario import synthetic


def _fill_toward_min(
    data: PlacementData,
    arcs: dict[int, list[int]],
    *,
    choice: Callable[[], Any],
    seats_short: Callable[[int], Any],
    add: Callable[[Any], Any],
    exactly_one: Callable[[list[Any]], Any],
) -> list[Any]:
    """The fill step in either solver's terms: each admitted parent in one eligible group, no
    group over its free seats; returns, per group, the seats it gets toward its minimum."""
    x = {(a, g): choice() for a, gs in arcs.items() for g in gs}
    by_app: dict[int, list[Any]] = {}
    by_group: dict[int, list[Any]] = {}
    for (a, g), v in x.items():
        by_app.setdefault(a, []).append(v)
        by_group.setdefault(g, []).append(v)
    for vs in by_app.values():
        exactly_one(vs)
    under = []
    for g, vs in by_group.items():
        add(sum(vs) <= data.free[g])
        u = seats_short(data.groups[g].short_of_min)
        add(u <= sum(vs))
        under.append(u)
    return under


def with_glop(data: PlacementData, arcs: dict[int, list[int]]) -> float:
    lp = pywraplp.Solver.CreateSolver("GLOP")
    under = _fill_toward_min(
        data,
        arcs,
        choice=lambda: lp.NumVar(0, 1, ""),
        seats_short=lambda most: lp.NumVar(0, most, ""),
        add=lp.Add,
        exactly_one=lambda vs: lp.Add(sum(vs) == 1),
    )
    lp.Maximize(sum(under))
    lp.Solve()
    return lp.Objective().Value()


def with_cp_sat(data: PlacementData, arcs: dict[int, list[int]], limit: float) -> str:
    model = cp_model.CpModel()
    under = _fill_toward_min(
        data,
        arcs,
        choice=lambda: model.NewBoolVar(""),
        seats_short=lambda most: model.NewIntVar(0, most, ""),
        add=model.Add,
        exactly_one=model.AddExactlyOne,
    )
    model.Maximize(sum(under))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = 0
    solver.parameters.max_time_in_seconds = limit
    status = solver.Solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return f"no solution within {limit:.0f} s"
    return f"{solver.ObjectiveValue():.0f}, {solver.StatusName(status).lower()}"


def main() -> None:
    print("| size | flows, both stages (s) | GLOP, fill stage (s) | CP-SAT, fill stage (s) |")
    print("|---|---|---|---|")
    for name, scenario in (("city", synthetic.city()), ("nation", synthetic.nation())):
        data = build_data(scenario)
        matcher, arcs, travel, _ = admit(data)
        clock = time.process_time()
        placed, _ = choose_groups(data, matcher, arcs, travel, float("inf"))
        flows = time.process_time() - clock
        counts: dict[int, int] = {}
        for g in placed.values():
            counts[g] = counts.get(g, 0) + 1
        fill = sum(min(n, data.groups[g].short_of_min) for g, n in counts.items())
        clock = time.process_time()
        glop = with_glop(data, arcs)
        glop_s = time.process_time() - clock
        clock = time.process_time()
        cp = with_cp_sat(data, arcs, limit=60)
        cp_s = time.process_time() - clock
        print(
            f"| {name} | {flows:.3f} (fill {fill}) | {glop_s:.3f} (fill {glop:.0f}) | "
            f"{cp_s:.3f} (fill {cp}) |"
        )


if __name__ == "__main__":
    main()
