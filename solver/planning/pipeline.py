"""Term planning: data → model → solve → read back (see solver.planning.model).

`plan_term` solves the plan and, on the same model, the baseline (the usual plan's groups per
district and programme), and states the difference per district and programme: groups
before and after, parents expected to be served, and the projected wait of each.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from solver.planning.data import (
    DemandClass,
    Effect,
    PlannedCell,
    PlanOptions,
    TermInput,
    TermPlan,
)
from solver.planning.data import projected_wait_weeks as wait
from solver.planning.model import FOUND, PER_MILLE, Built, Solved, build, solve
from solver.types import SolveStatus

STEPS = 2  # the plan, then the usual plan on the same model (the yardstick)


def plan_term(
    data: TermInput,
    options: PlanOptions | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> TermPlan:
    """Where to plan next term's groups so that waits even out. Same input → same plan.
    `progress(step, STEPS)` is called as each of the two solves starts."""
    options = options or PlanOptions()
    report = progress or (lambda _step, _steps: None)
    data = merged(data)
    if not data.demand:
        return TermPlan(SolveStatus.OPTIMAL, effects=_effects(data, None, None, None, None))
    report(1, STEPS)
    plan_model = build(data, baseline=False)
    planned = solve(plan_model, options)
    if planned.status not in FOUND:
        return TermPlan(planned.status)
    report(2, STEPS)
    base_model = build(data, baseline=True)
    base = solve(base_model, options)
    if base.status not in FOUND:
        return TermPlan(base.status)
    status = (
        SolveStatus.FEASIBLE
        if SolveStatus.FEASIBLE in (planned.status, base.status)
        else (SolveStatus.OPTIMAL)
    )
    return TermPlan(
        status=status,
        cells=_cells(plan_model, planned),
        effects=_effects(data, plan_model, planned, base_model, base),
        objective=_objective(data, plan_model, planned, base_model, base),
    )


def merged(data: TermInput) -> TermInput:
    """Classes that reach the same groups merged (an exact reduction): without counting on
    travel, parents who differ only in their travel limit reach the same groups."""
    if data.cross_district:
        return data
    sums: dict[tuple[str, str, tuple[str, ...], tuple[str, ...]], tuple[int, int]] = {}
    for c in data.demand:
        key = (c.district, c.programme, c.languages, c.slots)
        w, a = sums.get(key, (0, 0))
        sums[key] = (w + c.waiting, a + c.arriving)
    demand = tuple(DemandClass(*key, 0, w, a) for key, (w, a) in sorted(sums.items()))
    return replace(data, demand=demand)


def _cells(built: Built, solved: Solved) -> tuple[PlannedCell, ...]:
    out = []
    for k, groups in sorted(solved.run.items(), key=lambda kv: built.cells[kv[0]]):
        host, prog, lang, slot = built.cells[k]
        homes: dict[str, int] = {}
        for (c, kk), n in solved.flow.items():
            if kk == k:
                home = built.classes[c].district
                homes[home] = homes.get(home, 0) + n
        out.append(
            PlannedCell(
                host, prog, lang, slot, groups, sum(homes.values()), dict(sorted(homes.items()))
            )
        )
    return tuple(out)


Place = tuple[str, str]  # district, programme


def _by_place(
    built: Built | None, solved: Solved | None
) -> tuple[dict[Place, int], dict[Place, int]]:
    """Groups hosted per (district, programme), and parents served per (home, programme)."""
    groups: dict[Place, int] = {}
    served: dict[Place, int] = {}
    if built is None or solved is None:
        return groups, served
    for k, n in solved.run.items():
        place = built.cells[k][:2]
        groups[place] = groups.get(place, 0) + n
    for (c, _k), n in solved.flow.items():
        cls = built.classes[c]
        key = (cls.district, cls.programme)
        served[key] = served.get(key, 0) + n
    return groups, served


def _effects(
    data: TermInput,
    plan_model: Built | None,
    planned: Solved | None,
    base_model: Built | None,
    base: Solved | None,
) -> tuple[Effect, ...]:
    after_groups, after_served = _by_place(plan_model, planned)
    running_before, before_served = _by_place(base_model, base)
    waiting: dict[tuple[str, str], int] = {}
    arriving: dict[tuple[str, str], int] = {}
    for cls in data.demand:
        key = (cls.district, cls.programme)
        waiting[key] = waiting.get(key, 0) + cls.waiting
        arriving[key] = arriving.get(key, 0) + cls.arriving
    places = set(waiting) | set(after_groups) | {k for k, n in data.baseline.items() if n}
    out = []
    for key in sorted(places):
        w, a = waiting.get(key, 0), arriving.get(key, 0)
        before, after = before_served.get(key, 0), after_served.get(key, 0)
        out.append(
            Effect(
                district=key[0],
                programme=key[1],
                groups_before=data.baseline.get(key, 0),
                groups_after=after_groups.get(key, 0),
                waiting=w,
                arriving=a,
                served_before=before,
                served_after=after,
                wait_before=wait(w, a, before, data.term_weeks),
                wait_after=wait(w, a, after, data.term_weeks),
                short_before=data.baseline.get(key, 0) - running_before.get(key, 0),
            )
        )
    return tuple(out)


def _objective(
    data: TermInput, plan_model: Built, planned: Solved, base_model: Built, base: Solved
) -> dict[str, float]:
    total = sum(cls.parents for cls in data.demand)
    served_after = sum(planned.flow.values())
    served_before = sum(base.flow.values())
    travel = sum(plan_model.travel[key] * n for key, n in planned.flow.items())
    return {
        "parents": float(total),
        "served_before": float(served_before),
        "served_after": float(served_after),
        "groups_planned": float(sum(planned.run.values())),
        "groups_before": float(sum(data.baseline.values())),
        "groups_short_before": float(sum(data.baseline.values()) - sum(base.run.values())),
        "worst_unserved_share_before": _worst(data, base_model, base) / PER_MILLE,
        "worst_unserved_share_after": (planned.worst_share or 0) / PER_MILLE,
        "travel_minutes_total": float(travel),
    }


def _worst(data: TermInput, built: Built, solved: Solved) -> float:
    demand: dict[str, int] = {}
    served: dict[str, int] = {}
    for cls in data.demand:
        demand[cls.district] = demand.get(cls.district, 0) + cls.parents
    for (c, _k), n in solved.flow.items():
        home = built.classes[c].district
        served[home] = served.get(home, 0) + n
    shares = [PER_MILLE * (n - served.get(d, 0)) / n for d, n in demand.items() if n]
    return round(max(shares, default=0.0))
