"""The exact reductions of the recommender: dominance between nested kinds and classes merged
across districts never change the optimum (brute force on crowded single-site cities)."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from solver.recommend.baseline import longest_queue_first
from solver.recommend.pipeline import run
from solver.recommend.reduce import dominated_pairs, respect_dominance
from solver.types import Leader, Scenario
from tests.support.budgets import examples
from tests.support.recommend_scenarios import ABC, candidate, parent, scenario, tiny_cities
from tests.unit.test_recommend_optimal import solved_as_brute_force_says

SMALL = settings(
    max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def one_site(city: Scenario) -> Scenario:
    """Every candidate and leader in Farsta, for one programme: kinds nest often."""
    cands = tuple(
        replace(c, district="farsta", programme="komet", capacity=3, min_size=2)
        for c in city.candidate_groups
    )
    leaders = tuple(replace(ld, district="farsta") for ld in city.leaders)
    apps = tuple(replace(a, programme="komet") for a in city.applications)
    return replace(city, candidate_groups=cands, leaders=leaders, applications=apps)


@st.composite
def crowded_sites(draw) -> Scenario:
    """Parents of one district competing for a few ABC candidates there that differ in start
    (children age in or out between starts) and slot; one or two scarce leaders."""
    apps = [
        parent(
            n,
            draw(st.sampled_from(["farsta", "farsta", "skarpnack"])),
            weeks=draw(st.integers(0, 30)),
            slots=draw(st.sampled_from([("evening",), ("day",), ("day", "evening")])),
            cross=True,
            travel=20,
            programme="abc",
            birth=draw(st.sampled_from(["2019-05", "2013-04", "2023-04"])),
        )
        for n in range(draw(st.integers(2, 7)))
    ]
    cands = [
        candidate(
            f"c-{n}",
            "farsta",
            slot=draw(st.sampled_from(["evening", "day"])),
            programme="abc",
            capacity=3,
            min_size=2,
            weeks_ahead=draw(st.sampled_from([4, 6])),
        )
        for n in range(draw(st.integers(2, 4)))
    ]
    leaders = [
        Leader(f"l-{n}", "farsta", ("abc",), draw(st.integers(1, 2)), ("sv",))
        for n in range(draw(st.integers(1, 2)))
    ]
    return scenario(apps, cands, leaders, programmes=(ABC,))


def ages_out_by_the_later_start() -> Scenario:
    """Two ABC candidates in Farsta four and six weeks ahead; two children turn 13 (too old)
    between the starts, so the earlier one reaches everyone the later one reaches."""
    apps = [parent(n, "farsta", programme="abc", birth="2019-05") for n in range(3)]
    apps += [parent(n, "farsta", programme="abc", birth="2013-04") for n in range(3, 5)]
    cands = [
        candidate("c-early", "farsta", programme="abc", capacity=4, min_size=2, weeks_ahead=4),
        candidate("c-late", "farsta", programme="abc", capacity=4, min_size=2, weeks_ahead=6),
    ]
    leader = Leader("l-1", "farsta", ("abc",), 1, ("sv",))
    return scenario(apps, cands, [leader], programmes=(ABC,))


def test_an_earlier_candidate_reaching_everyone_a_later_one_reaches_opens_first():
    done = run(ages_out_by_the_later_start())
    prep = done.prepared
    early, late = (
        next(s for s, kd in enumerate(prep.kinds) if prep.candidates[kd.members[0]].id == cid)
        for cid in ("c-early", "c-late")
    )
    assert (early, late, 0, 1) in dominated_pairs(prep)
    assert (late, early, 0, 1) not in dominated_pairs(prep)
    assert [r.candidate for r in done.result.recommendations] == ["c-early"]


def test_a_later_candidate_is_never_required_before_an_earlier_one_it_dominates():
    # Younger children (too young at the earlier start) make the later candidate reach more;
    # opening it first would delay a start, so the model may not require it.
    city = ages_out_by_the_later_start()
    young = [parent(n, "farsta", programme="abc", birth="2023-04") for n in range(5, 7)]
    old = [a for a in city.applications if a.child_birth != "2013-04"]
    prep = run(replace(city, applications=tuple(old + young))).prepared
    starts = {prep.candidates[kd.members[0]].id: s for s, kd in enumerate(prep.kinds)}
    assert not [p for p in dominated_pairs(prep) if p[0] == starts["c-late"]]


@SMALL
@given(
    st.one_of(
        crowded_sites(),
        tiny_cities(max_apps=6, max_candidates=3)
        .map(one_site)
        .filter(lambda c: c.candidate_groups),
    )
)
def test_on_crowded_single_site_cities_the_reduced_model_keeps_the_brute_force_optimum(city):
    solved_as_brute_force_says(city)


@SMALL
@given(tiny_cities(max_apps=8, max_candidates=4).map(one_site))
def test_the_starting_plan_moved_to_dominating_kinds_keeps_its_parents_and_leaders(city):
    prep = run(city).prepared
    start = longest_queue_first(prep)
    served, leader_of = respect_dominance(prep, start.served, start.leader_of)
    assert sorted(map(sorted, served.values())) == sorted(map(sorted, start.served.values()))
    assert sorted(leader_of.values()) == sorted(start.leader_of.values())
    opened = {s: sum(1 for c in kd.members if c in served) for s, kd in enumerate(prep.kinds)}
    for s, kd in enumerate(prep.kinds):  # earliest candidates of each kind open
        assert all(c in served for c in kd.members[: opened[s]])
    for a, b, n, q in dominated_pairs(prep):
        assert opened[b] <= n or opened[a] >= q
    for c, members in served.items():
        assert set(members) <= set(prep.reach[c])
        assert leader_of[c] in prep.leads[c]
