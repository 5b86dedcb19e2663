"""The baselines are what the optimiser is measured against: first come, first served at home
(the status quo) and a greedy cross-district heuristic. They also show the rule checks bite."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings

from solver.placement import solve
from solver.placement.baselines import greedy_cross, monolithic_flow, status_quo
from solver.types import Application, District, Group, Policy, Programme, Scenario
from tests.support.budgets import examples
from tests.support.placement_cases import AS_OF, rule_violations, scenarios

KOMET = Programme("komet", "Komet", "parent_group", 3, 11, 12, 1)
DISTRICTS = (District("farsta", "Farsta"), District("skarpnack", "Skarpnäck"))


def group(gid: str, district: str, start: int, slot: str) -> Group:
    return Group(gid, "komet", district, date(2026, 3, start), "tue", slot, "sv", 1, 1, 0)


def app(aid: str, district: str, queued: date, slots: tuple[str, ...], cross=False) -> Application:
    return Application(aid, "komet", district, queued, 1, "2019-05", ("sv",), slots, cross, 30)


@settings(max_examples=examples(80), deadline=None)
@given(scenarios())
def test_the_optimiser_places_at_least_as_many_as_the_status_quo(scenario):
    assert solve(scenario).objective.placed >= status_quo(scenario).objective.placed


@settings(max_examples=examples(40), deadline=None)
@given(scenarios())
def test_the_status_quo_never_crosses_a_border(scenario):
    assert all(not o.cross_district for o in status_quo(scenario).offers)


def test_first_come_first_served_loses_a_parent_the_optimiser_places():
    """a fits both Farsta groups, b only the evening one, which starts first. First-fit gives
    a the evening seat and b nothing; the optimiser seats both."""
    scenario = Scenario(
        as_of=AS_OF,
        policy=Policy(),
        districts=DISTRICTS,
        travel_minutes={},
        programmes=(KOMET,),
        groups=(group("evening", "farsta", 9, "evening"), group("day", "farsta", 16, "day")),
        applications=(
            app("a", "farsta", date(2025, 9, 1), ()),
            app("b", "farsta", date(2025, 10, 1), ("evening",)),
        ),
    )
    assert status_quo(scenario).objective.placed == 1
    assert {(o.application, o.group) for o in solve(scenario).offers} == {
        ("a", "day"),
        ("b", "evening"),
    }


def _incomer_and_resident(home_priority: str) -> Scenario:
    """One seat in Skarpnäck; a parent from Farsta (open to travel) queued before Skarpnäck's
    own resident."""
    return Scenario(
        as_of=AS_OF,
        policy=Policy(home_priority=home_priority),
        districts=DISTRICTS,
        travel_minutes={"farsta": {"skarpnack": 14}},
        programmes=(KOMET,),
        groups=(group("s", "skarpnack", 9, "evening"),),
        applications=(
            app("incomer", "farsta", date(2025, 9, 1), (), cross=True),
            app("resident", "skarpnack", date(2025, 10, 1), ()),
        ),
    )


def test_the_greedy_heuristic_breaks_home_priority_and_the_checks_notice():
    """An incoming parent from Farsta queued first; under 'strict' Skarpnäck's own resident
    keeps the seat. The greedy heuristic hands it to the incomer."""
    scenario = _incomer_and_resident("strict")
    assert rule_violations(scenario, greedy_cross(scenario)) != []
    assert rule_violations(scenario, solve(scenario)) == []
    assert [o.application for o in solve(scenario).offers] == ["resident"]


@settings(max_examples=examples(40), deadline=None)
@given(scenarios())
def test_the_monolithic_flow_respects_seats_and_eligibility(scenario):
    problems = rule_violations(scenario, monolithic_flow(scenario))
    assert not [p for p in problems if "free seats" in p or "eligible" in p or "rule 5" in p]


def test_home_priority_none_lets_the_earlier_incoming_parent_take_the_seat():
    scenario = _incomer_and_resident("none")
    result = solve(scenario)
    assert [(o.application, o.cross_district, o.travel_minutes) for o in result.offers] == [
        ("incomer", True, 14)
    ]
    assert "queued earlier" in result.unplaced[0].reason
    assert rule_violations(scenario, result) == []
