"""Recommendations that see the plan: a recommended group never takes the parents a planned
group next door needs to reach its minimum size, so it no longer makes that group cancel."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from solver.recommend.data import can_serve
from solver.recommend.pipeline import recommend
from solver.types import Group, Leader, candidate_from, group_from
from tests.support.budgets import examples
from tests.support.recommend_scenarios import AS_OF, candidate, parent, scenario, tiny_cities


def leader(lid: str, district: str) -> Leader:
    return Leader(lid, district, ("komet",), 1, ("sv",))


def planned_in_skarpnack(min_size: int = 6, taken: int = 2) -> Group:
    """A Komet group planned in Skarpnäck in ten weeks; it needs min_size - taken more."""
    return group_from(
        candidate("g-plan", "skarpnack", weeks_ahead=10, min_size=min_size),
        id="g-plan",
        taken=taken,
        status="planned",
    )


def corner():
    """4 Skarpnäck parents who opted in to Farsta (14 min), 6 in Farsta; a candidate in Farsta."""
    skarpnack = [parent(n, "skarpnack", weeks=20, cross=True, travel=20) for n in range(4)]
    farsta = [parent(10 + n, "farsta", weeks=12) for n in range(6)]
    return scenario(
        apps=[*skarpnack, *farsta],
        candidates=[candidate("c-farsta", "farsta", min_size=6)],
        leaders=[leader("l-1", "farsta")],
    )


def served(result) -> set[str]:
    return {a for rec in result.recommendations for a in rec.applications}


def test_a_planned_group_keeps_the_parents_it_needs_to_start():
    skarpnack = {"a-000", "a-001", "a-002", "a-003"}
    blind = recommend(corner())
    assert skarpnack <= served(blind)  # without the plan: the group next door loses all four
    seeing = recommend(replace(corner(), groups=(planned_in_skarpnack(),)))
    (rec,) = seeing.recommendations
    assert rec.serves == {"farsta": 6}
    assert not skarpnack & served(seeing)  # 2 taken + 4 kept = its minimum of 6: it starts


def test_a_planned_group_keeps_only_as_many_as_it_needs():
    # 5 of 6 taken: it needs one more, the earliest of the four; the other three may be served.
    seeing = recommend(replace(corner(), groups=(planned_in_skarpnack(taken=5),)))
    kept = {"a-000", "a-001", "a-002", "a-003"} - served(seeing)
    assert len(kept) == 1


def test_a_group_at_its_minimum_already_keeps_nobody():
    full = recommend(replace(corner(), groups=(planned_in_skarpnack(taken=6),)))
    assert served(full) == served(recommend(corner()))


def test_own_district_parents_are_kept_before_parents_from_elsewhere():
    # A planned Farsta group needing 6 keeps the six Farsta parents, not the Skarpnäck ones.
    planned = group_from(
        candidate("g-farsta", "farsta", weeks_ahead=10), id="g-farsta", status="planned"
    )
    start = AS_OF + timedelta(weeks=4)
    city = replace(
        corner(),
        groups=(planned,),
        candidate_groups=(replace(candidate("c-skarpnack", "skarpnack", min_size=4), start=start),),
        leaders=(leader("l-2", "skarpnack"),),
    )
    assert served(recommend(city)) == {"a-000", "a-001", "a-002", "a-003"}


@settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    tiny_cities(),
    st.sampled_from(["farsta", "skarpnack", "alvsjo"]),
    st.sampled_from(["abc", "komet"]),
    st.integers(1, 4),
    st.integers(0, 2),
)
def test_a_planned_group_can_still_reach_its_minimum_after_the_recommendations(
    city, district, programme, need, taken
):
    plan = group_from(
        candidate("g-plan", district, programme=programme, weeks_ahead=12),
        id="g-plan",
        taken=taken,
        status="planned",
    )
    plan = replace(plan, min_size=taken + need, capacity=taken + need + 2)
    programmes = {p.slug: p for p in city.programmes}
    seat = candidate_from(plan, id=plan.id)

    def takers(apps):
        return [a for a in apps if can_serve(a, seat, city, programmes[programme])]

    before = len(takers(city.applications))
    result = recommend(replace(city, groups=(plan,)))
    left = [a for a in city.applications if a.id not in served(result)]
    assert len(takers(left)) >= min(need, before)
