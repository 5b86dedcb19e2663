"""Why the placement round chooses groups with min-cost flows: the same "fill toward minimum
size" step as an LP (GLOP) and as CP-SAT, over the same admitted parents, on the city and the
nation. CPU seconds; the flows column covers both flow stages of every component.

    .venv/bin/python benchmarks/placement_backends.py
"""

from __future__ import annotations

import time

from ortools.linear_solver import pywraplp
from ortools.sat.python import cp_model

from solver.placement.model import PlacementData
from solver.placement.pipeline import admit, build_data, choose_groups
from solver.scenario import synthetic


def _need(data: PlacementData, g: int) -> int:
    group = data.groups[g]
    return max(0, min(group.min_size, group.capacity) - group.taken)


def _grouped(arcs: dict[int, list[int]], var: dict) -> tuple[dict, dict]:  # noqa: ARG001
    by_app: dict[int, list] = {}
    by_group: dict[int, list] = {}
    for (a, g), v in var.items():
        by_app.setdefault(a, []).append(v)
        by_group.setdefault(g, []).append(v)
    return by_app, by_group


def with_glop(data: PlacementData, arcs: dict[int, list[int]]) -> float:
    lp = pywraplp.Solver.CreateSolver("GLOP")
    x = {(a, g): lp.NumVar(0, 1, "") for a, gs in arcs.items() for g in gs}
    by_app, by_group = _grouped(arcs, x)
    for vs in by_app.values():
        lp.Add(sum(vs) == 1)
    under = []
    for g, vs in by_group.items():
        lp.Add(sum(vs) <= data.free[g])
        u = lp.NumVar(0, _need(data, g), "")
        lp.Add(u <= sum(vs))
        under.append(u)
    lp.Maximize(sum(under))
    lp.Solve()
    return lp.Objective().Value()


def with_cp_sat(data: PlacementData, arcs: dict[int, list[int]], limit: float) -> str:
    model = cp_model.CpModel()
    y = {(a, g): model.NewBoolVar("") for a, gs in arcs.items() for g in gs}
    by_app, by_group = _grouped(arcs, y)
    for vs in by_app.values():
        model.AddExactlyOne(vs)
    under = []
    for g, vs in by_group.items():
        model.Add(sum(vs) <= data.free[g])
        u = model.NewIntVar(0, _need(data, g), "")
        model.Add(u <= sum(vs))
        under.append(u)
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
        fill = sum(min(n, _need(data, g)) for g, n in counts.items())
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
