"""Every rule of the brief holds for every scenario (hypothesis), and the round is
deterministic: the same scenario, shuffled, gives the same result byte for byte."""

from __future__ import annotations

import random
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from solver.placement import solve
from solver.scenario.files import result_to_json
from solver.types import (
    Application,
    District,
    Group,
    Policy,
    Programme,
    Scenario,
    SolveStatus,
)
from tests.support.budgets import examples
from tests.support.placement_cases import rule_violations, scenarios, shuffled


@settings(max_examples=examples(200), deadline=None)
@given(scenarios())
def test_every_rule_holds_for_every_scenario(scenario):
    result = solve(scenario)
    assert result.status is SolveStatus.OPTIMAL
    assert rule_violations(scenario, result) == []


@settings(max_examples=examples(100), deadline=None)
@given(scenarios(), st.randoms(use_true_random=False))
def test_shuffled_input_gives_the_same_result_byte_for_byte(scenario, rnd: random.Random):
    other = shuffled(scenario, rnd, "groups", "applications", "districts", "programmes")
    assert result_to_json(solve(other)) == result_to_json(solve(scenario))


@settings(max_examples=examples(50), deadline=None)
@given(scenarios())
def test_unplaced_applications_each_have_a_reason_in_both_languages(scenario):
    for unplaced in solve(scenario).unplaced:
        assert unplaced.reason.startswith("Waited ")
        assert unplaced.reason_sv.startswith("Har väntat ")


@settings(max_examples=examples(50), deadline=None)
@given(scenarios())
def test_out_of_time_the_round_is_feasible_and_serves_the_same_parents(scenario):
    rushed, full = solve(scenario, time_limit_s=-1), solve(scenario)
    assert rule_violations(scenario, rushed) == []
    assert {o.application for o in rushed.offers} == {o.application for o in full.offers}
    assert rushed.status in (SolveStatus.FEASIBLE, SolveStatus.OPTIMAL)


def _tiny(groups=(), applications=()):
    return Scenario(
        as_of=date(2026, 3, 2),
        policy=Policy(),
        districts=(District("farsta", "Farsta"),),
        travel_minutes={},
        programmes=(Programme("komet", "Komet", "parent_group", 3, 11, 12, 1),),
        groups=tuple(groups),
        applications=tuple(applications),
    )


def test_an_empty_round_is_optimal_with_nothing_to_offer():
    result = solve(_tiny())
    assert result.status is SolveStatus.OPTIMAL
    assert (result.offers, result.unplaced) == ((), ())
    assert result.objective.placed == 0


def test_one_seat_goes_to_the_earliest_of_tied_queue_dates_by_lottery():
    seat = Group("g", "komet", "farsta", date(2026, 3, 16), "tue", "day", "sv", 1, 1, 0)
    same_day = date(2025, 12, 1)
    apps = [
        Application(f"a{i}", "komet", "farsta", same_day, lottery, "2019-05", ("sv",), ())
        for i, lottery in enumerate([52, 7, 31])
    ]
    result = solve(_tiny([seat], apps))
    assert [o.application for o in result.offers] == ["a1"]
    assert {u.application for u in result.unplaced} == {"a0", "a2"}


def test_when_nobody_fits_every_reason_says_why():
    arabic = Group("g", "komet", "farsta", date(2026, 3, 16), "tue", "day", "ar", 5, 1, 0)
    apps = [
        Application("a", "komet", "farsta", date(2025, 12, 1), 1, "2019-05", ("sv",), ()),
        Application("b", "komet", "farsta", date(2025, 12, 1), 2, "2024-01", ("ar",), ()),
    ]
    result = solve(_tiny([arabic], apps))
    reasons = {u.application: (u.reason, u.reason_sv) for u in result.unplaced}
    assert "do not fit (language)" in reasons["a"][0]
    assert "passar inte (språk)" in reasons["a"][1]
    assert "do not fit (child's age)" in reasons["b"][0]
