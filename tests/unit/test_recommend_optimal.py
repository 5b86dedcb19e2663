"""Exact on small instances: brute force over every way of opening candidates and seating
parents agrees with CP-SAT's optimum, tier by tier (waiting-weeks, then groups, then travel and
start weeks), also when candidates name rooms."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from solver.recommend.data import can_lead, can_serve
from solver.recommend.pipeline import Run, run
from solver.types import CandidateGroup, Scenario, SolveStatus
from tests.support.budgets import examples
from tests.support.recommend_scenarios import (
    pooled_queues,
    pooled_rooms,
    roomed_cities,
    shared_rooms,
    tiny_cities,
)


def leaders_fit(scenario: Scenario, opened: list) -> bool:
    """Some assignment of one leader per opened group keeps every leader within their limit."""
    choices = [[ld for ld in scenario.leaders if can_lead(ld, c, scenario, 0)] for c in opened]
    for pick in itertools.product(*choices):
        used: dict[str, int] = {}
        for ld in pick:
            used[ld.id] = used.get(ld.id, 0) + 1
        if all(n <= ld.max_groups for ld in pick for n in [used[ld.id]]):
            return True
    return not opened


def days_held(scenario: Scenario, group) -> set[date]:
    """Every day from a group's start to its last weekly session (its programme's sessions)."""
    prog = next(p for p in scenario.programmes if p.slug == group.programme)
    length = 7 * (max(1, prog.sessions or 1) - 1)
    return {group.start + timedelta(days=n) for n in range(length + 1)}


def room_clash(scenario: Scenario, one, other) -> bool:
    """Same room, weekday and slot, on some common day."""
    if one.room is None or (one.room, one.weekday, one.slot) != (
        other.room,
        other.weekday,
        other.slot,
    ):
        return False
    return bool(days_held(scenario, one) & days_held(scenario, other))


def rooms_fit(scenario: Scenario, opened: list) -> bool:
    """No two opened candidates, nor one and a group already there, hold a room at once."""
    return not any(
        room_clash(scenario, a, b)
        for a, b in itertools.combinations([*opened, *scenario.groups], 2)
    )


def brute_force(scenario: Scenario, weight: dict[str, int]) -> tuple[int, int, int]:
    """Best (T1, -T2, -T3) over every seating of every parent (or none)."""
    cands = sorted(scenario.candidate_groups, key=lambda c: c.id)
    apps = sorted(scenario.applications, key=lambda a: a.id)
    options = [[None] + [c for c in cands if can_serve(a, c, scenario)] for a in apps]
    best = (0, 0, 0)
    for seating in itertools.product(*options):
        size: dict[str, int] = {}
        for c in seating:
            if c is not None:
                size[c.id] = size.get(c.id, 0) + 1
        opened = [c for c in cands if c.id in size]
        if any(not c.min_size <= size[c.id] <= c.capacity for c in opened):
            continue
        if not leaders_fit(scenario, opened) or not rooms_fit(scenario, opened):
            continue
        t1 = sum(weight[a.id] for a, c in zip(apps, seating, strict=True) if c is not None)
        t3 = sum(
            scenario.travel(a.district, c.district) or 0
            for a, c in zip(apps, seating, strict=True)
            if c is not None
        ) + sum(max(0, (c.start - scenario.as_of).days // 7) for c in opened)
        best = max(best, (t1, -len(opened), -t3))
    return best


SMALL = settings(
    max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@SMALL
@given(tiny_cities(max_apps=6, max_candidates=3).filter(lambda s: s.candidate_groups))
def test_brute_force_over_all_subsets_of_candidates_agrees_with_the_optimum(city):
    done = solved_as_brute_force_says(city)
    # The result's own account agrees with the tiers.
    weight = weights(done)
    t1, groups, _ = done.solved.tiers
    served = [a for r in done.result.recommendations for a in r.applications]
    assert sum(weight[a] for a in served) == t1
    assert len(done.result.recommendations) == groups


def solved_as_brute_force_says(city):
    """Solve `city`, check it is proven optimal with the tiers exhaustive search finds."""
    done = run(city)
    assert done.result.status is SolveStatus.OPTIMAL
    t1, groups, t3 = done.solved.tiers
    assert (t1, -groups, -t3) == brute_force(city, weights(done))
    return done


def weights(done: Run) -> dict[str, int]:
    """Each application's weight in the first tier, by id."""
    prep = done.prepared
    return {a.id: w for a, w in zip(prep.applications, prep.weight, strict=True)}


def solved_in_rooms(city: Scenario) -> tuple[Run, dict[str, CandidateGroup]]:
    """`solved_as_brute_force_says`, and no room double-booked by the groups it opens; the run
    and the city's candidates by id."""
    done = solved_as_brute_force_says(city)
    by_id = {c.id: c for c in city.candidate_groups}
    assert rooms_fit(city, [by_id[r.candidate] for r in done.result.recommendations])
    return done, by_id


@SMALL
@given(pooled_queues())
def test_with_several_parents_per_queue_the_tightened_model_keeps_the_brute_force_optimum(city):
    # The heaviest members of a queue reachable by several candidates: the rows that keep a
    # sliver of a group from seating them (solver.recommend.model) must not cut off the optimum.
    solved_as_brute_force_says(city)


@settings(max_examples=examples(150), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(shared_rooms(), shared_rooms(), roomed_cities().filter(lambda s: s.candidate_groups))
)
def test_with_rooms_brute_force_agrees_with_the_optimum_and_no_room_is_double_booked(city):
    done, by_id = solved_in_rooms(city)
    assert all(r.room == by_id[r.candidate].room for r in done.result.recommendations)


@settings(max_examples=examples(100), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pooled_rooms())
def test_with_interchangeable_rooms_pooled_the_optimum_holds_and_no_room_is_double_booked(city):
    # Candidates listed in each of two rooms: the model pools the rooms (solver.recommend.rooms) and
    # gives the opened groups their rooms afterwards.
    solved_in_rooms(city)
