"""Rule 5 by projected wait: a parent whose own district has no seat in sight may be offered
one elsewhere at once, while queue order (rule 1) and own district first (rule 4) still hold."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from solver.placement import solve
from solver.scenario.files import parse_scenario, scenario_to_dict
from solver.types import Application, District, Group, Policy, Programme, Scenario, SolveStatus
from tests.support.budgets import examples
from tests.support.placement_cases import AS_OF, rule_violations, scenarios
from waitlist.domain.crossing import (
    CrossTest,
    cross_district_test,
    planned_seats_per_week,
    projected_waits,
    within_reach,
)
from waitlist.domain.reasons import Rule

waits = st.lists(st.integers(0, 400), max_size=30).map(lambda w: sorted(w, reverse=True))


@settings(max_examples=examples(300), deadline=None)
@given(waits, st.integers(0, 10), st.floats(0, 20), st.integers(0, 26), st.integers(0, 30))
def test_who_may_cross_on_the_projection_is_always_the_front_of_the_queue(
    waited, free, rate, lookahead, after
):
    projected = projected_waits(
        waited, free_seats=free, seats_per_week=rate, lookahead_weeks=lookahead
    )
    allowed = [
        cross_district_test(opted_in=True, waited_days=w, after_weeks=after, projected_days=p)
        is not None
        for w, p in zip(waited, projected, strict=True)
    ]
    # Rule 1: once someone may not, nobody behind them in the same queue may either.
    assert allowed == sorted(allowed, reverse=True)
    # A projection is never shorter than the wait so far.
    assert all(p >= w for w, p in zip(waited, projected, strict=True))


def test_the_projection_counts_the_place_behind_the_free_seats_at_the_planned_pace():
    # 2 seats a week planned; 1 free seat this round; the 3rd parent is 2nd behind it.
    assert projected_waits([70, 21, 7], free_seats=1, seats_per_week=2, lookahead_weeks=8) == [
        70,
        21 + 4,
        7 + 7,
    ]
    # No seat planned in the lookahead: at least the lookahead itself.
    assert projected_waits([0], free_seats=0, seats_per_week=0, lookahead_weeks=8) == [57]


def test_the_waited_test_is_told_first_and_a_parent_who_did_not_opt_in_never_crosses():
    ask = {"after_weeks": 8, "projected_days": 90}
    assert cross_district_test(opted_in=True, waited_days=57, **ask) is CrossTest.WAITED
    assert cross_district_test(opted_in=True, waited_days=7, **ask) is CrossTest.PROJECTED
    assert cross_district_test(opted_in=False, waited_days=400, **ask) is None
    no_projection = {"after_weeks": 8, "projected_days": None}
    assert cross_district_test(opted_in=True, waited_days=7, **no_projection) is None


def test_planned_seats_count_only_groups_starting_within_the_lookahead():
    groups = [(14, 12), (56, 12), (57, 12), (0, 12)]
    assert planned_seats_per_week(groups, lookahead_weeks=8) == 24 / 8


@settings(max_examples=examples(200), deadline=None)
@given(scenarios())
def test_rules_one_to_five_hold_for_every_scenario_under_the_projected_test(scenario):
    scenario = replace(scenario, policy=replace(scenario.policy, cross_district_test="projected"))
    result = solve(scenario)
    assert result.status is SolveStatus.OPTIMAL
    assert rule_violations(scenario, result) == []


KOMET = Programme("komet", "Komet", "parent_group", 3, 11, 12, 2, ("sv",))


def city(test: str) -> Scenario:
    """Rinkeby-Kista plans no Komet group; Spånga-Tensta, 16 minutes away, has free seats."""
    newcomer = Application(
        id="a-1",
        programme="komet",
        district="rinkeby-kista",
        queue_date=AS_OF - timedelta(weeks=1),
        lottery=1,
        child_birth="2019-05",
        languages=("sv",),
        slots=("evening",),
        cross_district=True,
        max_travel_minutes=20,
    )
    group = Group(
        id="g-1",
        programme="komet",
        district="spanga-tensta",
        start=AS_OF + timedelta(weeks=5),
        weekday="tue",
        slot="evening",
        language="sv",
        capacity=12,
        min_size=2,
    )
    return Scenario(
        as_of=AS_OF,
        policy=Policy(cross_district_test=test),
        districts=(
            District("rinkeby-kista", "Rinkeby-Kista"),
            District("spanga-tensta", "Spånga-Tensta"),
        ),
        travel_minutes={
            "rinkeby-kista": {"spanga-tensta": 16},
            "spanga-tensta": {"rinkeby-kista": 16},
        },
        programmes=(KOMET,),
        groups=(group,),
        applications=(newcomer,),
    )


def test_a_newcomer_with_no_seat_in_sight_at_home_is_offered_one_next_door_at_once():
    assert solve(city("waited")).offers == ()
    (offer,) = solve(city("projected")).offers
    assert offer.group == "g-1" and offer.cross_district
    assert offer.facts is not None
    assert offer.facts.rule is Rule.CROSS_DISTRICT
    assert offer.facts.cross_test is CrossTest.PROJECTED
    assert offer.facts.projected_weeks == 10  # 1 week waited + at least 8 weeks + 1 day
    assert "your projected wait for a seat at home is 10 weeks" in offer.reason
    assert "beräknade väntetid" in offer.reason_sv and "10 veckor" in offer.reason_sv


def test_a_parent_who_waited_past_the_limit_is_told_so_under_either_policy():
    long_wait = city("projected")
    (app,) = long_wait.applications
    long_wait = replace(
        long_wait, applications=(replace(app, queue_date=AS_OF - timedelta(weeks=9)),)
    )
    (offer,) = solve(long_wait).offers
    assert offer.facts is not None and offer.facts.cross_test is CrossTest.WAITED
    assert "seats elsewhere are offered after 8 weeks" in offer.reason


def test_a_scenario_file_names_the_projected_test_and_leaves_the_default_out():
    projected, waited = city("projected"), city("waited")
    assert scenario_to_dict(projected)["policy"]["cross_district_test"] == "projected"
    assert "cross_district_test" not in scenario_to_dict(waited)["policy"]
    assert parse_scenario(scenario_to_dict(projected)) == projected
    assert parse_scenario(scenario_to_dict(waited)) == waited


def test_a_group_elsewhere_is_within_reach_only_for_an_opted_in_parent_within_their_limit():
    assert within_reach("farsta", "farsta", False, 0, None)  # home: always
    assert within_reach("farsta", "skarpnack", True, 20, 19)
    assert within_reach("farsta", "skarpnack", True, 19, 19)
    assert not within_reach("farsta", "skarpnack", True, 18, 19)  # beyond the limit
    assert not within_reach("farsta", "skarpnack", False, 60, 19)  # did not opt in
    assert not within_reach("farsta", "skarpnack", True, 60, None)  # no known travel time
