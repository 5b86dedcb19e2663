"""Every rule of the brief holds for every scenario (hypothesis), and the round is
deterministic: the same scenario, shuffled, gives the same result byte for byte."""

from __future__ import annotations

import random
from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st
from placement_cases import rule_violations, scenarios

from solver.placement import solve
from solver.scenario import result_to_json
from solver.types import SolveStatus


@settings(max_examples=200, deadline=None)
@given(scenarios())
def test_every_rule_holds_for_every_scenario(scenario):
    result = solve(scenario)
    assert result.status is SolveStatus.OPTIMAL
    assert rule_violations(scenario, result) == []


@settings(max_examples=100, deadline=None)
@given(scenarios(), st.randoms(use_true_random=False))
def test_shuffled_input_gives_the_same_result_byte_for_byte(scenario, rnd: random.Random):
    def shuffled(items):
        items = list(items)
        rnd.shuffle(items)
        return tuple(items)

    other = replace(
        scenario,
        groups=shuffled(scenario.groups),
        applications=shuffled(scenario.applications),
        districts=shuffled(scenario.districts),
        programmes=shuffled(scenario.programmes),
    )
    assert result_to_json(solve(other)) == result_to_json(solve(scenario))


@settings(max_examples=50, deadline=None)
@given(scenarios())
def test_unplaced_applications_each_have_a_reason_in_both_languages(scenario):
    for unplaced in solve(scenario).unplaced:
        assert unplaced.reason.startswith("Waited ")
        assert unplaced.reason_sv.startswith("Har väntat ")


@settings(max_examples=50, deadline=None)
@given(scenarios())
def test_out_of_time_the_round_is_feasible_and_serves_the_same_parents(scenario):
    rushed, full = solve(scenario, time_limit_s=-1), solve(scenario)
    assert rule_violations(scenario, rushed) == []
    assert {o.application for o in rushed.offers} == {o.application for o in full.offers}
    assert rushed.status in (SolveStatus.FEASIBLE, SolveStatus.OPTIMAL)
