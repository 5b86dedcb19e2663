"""Term planning (solver.planning): small instances against brute force, and the forecast."""

from __future__ import annotations

import itertools
import random
from datetime import date

import pytest

from solver.planning import DemandClass, TermInput, forecast_demand, plan_term
from solver.planning.data import projected_wait_weeks
from solver.planning.model import PER_MILLE, build, cells_of, unserved_weight
from solver.types import Application, District, Programme, SolveStatus

TERM = date(2027, 1, 11)


def programme(slug: str, capacity: int = 3, min_size: int = 2) -> Programme:
    return Programme(slug, slug.title(), "parent_group", 0, 17, capacity, min_size)


def cls(district: str, parents: int, travel: int = 0, prog: str = "komet", **kw) -> DemandClass:
    return DemandClass(
        district=district,
        programme=prog,
        languages=kw.get("languages", ("sv",)),
        slots=kw.get("slots", ("evening",)),
        max_travel_minutes=travel,
        waiting=parents,
        arriving=kw.get("arriving", 0),
    )


def term(demand: list[DemandClass], budget: dict[str, int], **kw) -> TermInput:
    slugs = sorted({c.district for c in demand} | set(kw.pop("districts", ())))
    progs = kw.pop("programmes", None) or [programme(p) for p in sorted(budget)]
    return TermInput(
        term_start=TERM,
        term_weeks=20,
        districts=tuple(District(s, s.title()) for s in slugs),
        programmes=tuple(progs),
        travel_minutes=kw.pop("travel", {"a": {"b": 10}, "b": {"a": 10}}),
        demand=tuple(demand),
        budget=budget,
        cross_district=kw.pop("cross_district", True),
        **kw,
    )


def brute_force(data: TermInput) -> tuple[int, int]:
    """The best (worst per-mille share unserved, weighted unserved + travel) by enumeration."""
    cells, reach = cells_of(data)
    progs = {p.slug: p for p in data.programmes}
    weight = unserved_weight(build(data, baseline=False))
    total = dict.fromkeys({c.district for c in data.demand}, 0)
    for c in data.demand:
        total[c.district] += c.parents
    best: tuple[int, int] | None = None
    bounds = [range(data.budget.get(cell[1], 0) + 1) for cell in cells]
    classes = sorted(reach)
    for run in itertools.product(*bounds):
        if any(
            sum(r for r, cell in zip(run, cells, strict=True) if cell[1] == p) > n
            for p, n in data.budget.items()
        ):
            continue
        per_class = [
            [
                split
                for split in itertools.product(
                    *(range(data.demand[c].parents + 1) for _ in reach[c])
                )
                if sum(split) <= data.demand[c].parents
            ]
            for c in classes
        ]
        for flows in itertools.product(*per_class):
            into = [0] * len(cells)
            served = dict.fromkeys(total, 0)
            travel = 0
            for c, split in zip(classes, flows, strict=True):
                for (k, minutes), n in zip(reach[c], split, strict=True):
                    into[k] += n
                    served[data.demand[c].district] += n
                    travel += minutes * n
            fits = all(
                min(progs[cell[1]].min_size, progs[cell[1]].capacity) * r
                <= into[k]
                <= progs[cell[1]].capacity * r
                for k, (cell, r) in enumerate(zip(cells, run, strict=True))
            )
            if not fits:
                continue
            worst = max(-(-PER_MILLE * (total[d] - served[d]) // total[d]) for d in total)
            unserved = sum(total.values()) - sum(served.values())
            value = (worst, weight * unserved + travel)
            best = value if best is None or value < best else best
    assert best is not None
    return best


def solver_value(data: TermInput) -> tuple[int, int]:
    plan = plan_term(data)
    assert plan.status is SolveStatus.OPTIMAL
    served = sum(c.parents for c in plan.cells)
    travel = int(plan.objective["travel_minutes_total"])
    weight = unserved_weight(build(data, baseline=False))
    worst = round(plan.objective["worst_unserved_share_after"] * PER_MILLE)
    return worst, weight * (sum(c.parents for c in data.demand) - served) + travel


def test_a_small_term_is_planned_as_well_as_brute_force_can():
    data = term(
        [cls("a", 3), cls("a", 2, travel=15), cls("b", 1, arriving=1)],
        {"komet": 2},
    )
    assert solver_value(data) == brute_force(data)


@pytest.mark.slow  # six exhaustive searches; the fast loop keeps the one above
@pytest.mark.parametrize("seed", range(6))
def test_random_small_terms_match_brute_force(seed: int):
    rng = random.Random(seed)
    demand = [
        cls(
            rng.choice("abc"),
            rng.randint(1, 3),
            travel=rng.choice((0, 15)),
            prog=rng.choice(("komet", "abc")),
            slots=rng.choice((("evening",), ("day", "evening"))),
        )
        for _ in range(4)
    ]
    travel = {"a": {"b": 10, "c": 20}, "b": {"a": 10, "c": 12}, "c": {"a": 20, "b": 12}}
    data = term(demand, {"komet": rng.randint(1, 2), "abc": 1}, travel=travel, districts="abc")
    assert solver_value(data) == brute_force(data)


def test_groups_go_where_the_need_is_not_where_the_people_are():
    # The usual plan puts both groups in b (more people); a has the longer queue. One group
    # each leaves the smallest share of any district's parents waiting (5 of 8, 0 of 2).
    data = term(
        [cls("a", 6, arriving=2), cls("b", 2)],
        {"komet": 2},
        baseline={("b", "komet"): 2},
    )
    plan = plan_term(data)
    by_place = {(e.district, e.programme): e for e in plan.effects}
    a, b = by_place["a", "komet"], by_place["b", "komet"]
    assert (a.groups_before, a.groups_after) == (0, 1)
    assert a.wait_before is None and a.wait_after is not None
    # b's two usual groups cannot both reach their minimum from its 2 parents.
    assert b.short_before == 1
    assert (
        plan.objective["worst_unserved_share_after"] < plan.objective["worst_unserved_share_before"]
    )


def test_every_planned_group_is_expected_to_reach_its_minimum_and_the_budget_holds():
    data = term([cls("a", 7), cls("b", 1, travel=15), cls("b", 1)], {"komet": 5})
    plan = plan_term(data)
    assert sum(c.groups for c in plan.cells) <= 5
    for cell in plan.cells:
        assert 2 * cell.groups <= cell.parents <= 3 * cell.groups


def test_without_counting_on_travel_each_district_plans_for_its_own_parents():
    data = term(
        [cls("a", 2, travel=15), cls("b", 2, travel=15)], {"komet": 1}, cross_district=False
    )
    plan = plan_term(data)
    assert [c.by_home for c in plan.cells] in ([{"a": 2}], [{"b": 2}])


def test_a_district_can_host_no_more_than_its_leaders_and_venues_allow():
    data = term([cls("a", 9), cls("b", 1)], {"komet": 3}, host_limits={"a": 1})
    plan = plan_term(data)
    assert sum(c.groups for c in plan.cells if c.district == "a") == 1


def test_the_same_input_gives_the_same_plan():
    data = term([cls("a", 5, travel=15), cls("b", 4, travel=15)], {"komet": 2})
    assert plan_term(data) == plan_term(data)


def test_the_projected_wait_follows_the_seats():
    assert projected_wait_weeks(10, 10, 0, 20) is None
    # 15 ahead at mid-term less 10 seats taken by then: 5 ahead, at 1 seat a week.
    assert projected_wait_weeks(10, 10, 20, 20) == 5.0
    assert projected_wait_weeks(2, 2, 20, 20) == 0.0


def app(i: int, district: str, day: date, **kw) -> Application:
    return Application(
        id=f"a-{i}",
        programme=kw.get("programme", "komet"),
        district=district,
        queue_date=day,
        lottery=i,
        child_birth="2020-01",
        languages=kw.get("languages", ("sv",)),
        slots=("evening",),
        cross_district=kw.get("cross", False),
        max_travel_minutes=kw.get("travel", 0),
    )


def test_the_forecast_adds_the_recent_pace_and_takes_free_seats_from_the_queue():
    waiting = [app(i, "a", date(2026, 10, 1)) for i in range(4)]
    recent = [app(10 + i, "a", date(2026, 9, 1)) for i in range(6)]
    recent += [app(20 + i, "b", date(2026, 9, 1), cross=True, travel=30) for i in range(2)]
    classes = forecast_demand(
        waiting, recent, lookback_weeks=26, horizon_weeks=13, free_seats={("a", "komet"): 1}
    )
    a = [c for c in classes if c.district == "a"]
    assert [(c.waiting, c.arriving) for c in a] == [(3, 3)]
    b = [c for c in classes if c.district == "b"]
    assert [(c.waiting, c.arriving, c.max_travel_minutes) for c in b] == [(0, 1, 30)]
