"""Rules every group-start recommendation keeps, for every input (hypothesis)."""

from __future__ import annotations

import random

from hypothesis import HealthCheck, given, settings

from solver.recommend.pipeline import recommend, run
from solver.types import Scenario, SolveStatus
from tests.support.budgets import examples
from tests.support.placement_cases import shuffled
from tests.support.recommend_scenarios import tiny_cities
from waitlist.domain.eligibility import why_not

FAST = settings(
    max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def lookup(scenario: Scenario):
    # Candidates generated from demand (when the scenario lists none) are included.
    cands = {c.id: c for c in run(scenario).prepared.all_candidates}
    apps = {a.id: a for a in scenario.applications}
    leaders = {ld.id: ld for ld in scenario.leaders}
    progs = {p.slug: p for p in scenario.programmes}
    return cands, apps, leaders, progs


@FAST
@given(tiny_cities())
def test_no_recommended_group_is_below_its_minimum_size_or_above_its_capacity(city):
    result = recommend(city)
    assert result.status is SolveStatus.OPTIMAL
    cands, *_ = lookup(city)
    for rec in result.recommendations:
        size = len(rec.applications)
        assert cands[rec.candidate].min_size <= size <= cands[rec.candidate].capacity
        assert sum(rec.serves.values()) == size


@FAST
@given(tiny_cities())
def test_no_leader_is_over_their_limit_or_outside_their_programmes_languages_or_district(city):
    result = recommend(city)
    cands, _, leaders, _ = lookup(city)
    led: dict[str, int] = {}
    for rec in result.recommendations:
        leader, cand = leaders[rec.leader], cands[rec.candidate]
        led[leader.id] = led.get(leader.id, 0) + 1
        assert cand.programme in leader.programmes
        assert cand.language in leader.languages
        # Documented rule (default options): a leader leads groups in their own district.
        assert cand.district == leader.district
    for leader_id, n in led.items():
        assert n <= leaders[leader_id].max_groups


@FAST
@given(tiny_cities())
def test_every_served_parent_is_eligible_within_travel_and_served_at_most_once(city):
    result = recommend(city)
    cands, apps, _, progs = lookup(city)
    seen: set[str] = set()
    for rec in result.recommendations:
        cand = cands[rec.candidate]
        prog = progs[cand.programme]
        for app_id in rec.applications:
            assert app_id not in seen
            seen.add(app_id)
            app = apps[app_id]
            assert app.programme == cand.programme
            assert why_not(app, cand, prog) is None
            if app.district != cand.district:
                assert app.cross_district
                minutes = city.travel(app.district, cand.district)
                assert minutes is not None and minutes <= app.max_travel_minutes


@FAST
@given(tiny_cities(), __import__("hypothesis").strategies.randoms(use_true_random=False))
def test_the_same_input_gives_the_same_output_also_when_shuffled(city, rnd: random.Random):
    first = recommend(city)
    again = recommend(city)
    assert first == again

    mixed = shuffled(city, rnd, "applications", "candidate_groups", "leaders")
    assert recommend(mixed) == first
