"""Scenario files are validated in full, one problem per line naming its JSON path, and results
are written byte-identically for equal results."""

from __future__ import annotations

import copy
import json

import pytest
from hypothesis import given, settings

from solver.placement import solve
from solver.scenario.files import (
    ScenarioError,
    parse_scenario,
    result_json_schema,
    result_to_json,
    scenario_json_schema,
    scenario_to_dict,
)
from tests.support.budgets import examples
from tests.support.placement_cases import scenarios

EXAMPLE = {
    "format": "waitlist-scenario/1",
    "as_of": "2026-03-02",
    "policy": {
        "cross_district_after_weeks": 8,
        "home_priority": "strict",
        "offer_response_days": 10,
        "target_weeks": 8,
        "small_cell_min": 5,
    },
    "districts": [{"slug": "farsta", "name": "Farsta"}, {"slug": "skarpnack", "name": "Skarpnäck"}],
    "travel_minutes": {"farsta": {"skarpnack": 14}, "skarpnack": {"farsta": 14}},
    "programmes": [
        {
            "slug": "komet",
            "name": "Komet",
            "kind": "parent_group",
            "child_age_min": 3,
            "child_age_max": 11,
            "capacity": 12,
            "min_size": 6,
        }
    ],
    "groups": [
        {
            "id": "g-17",
            "programme": "komet",
            "district": "skarpnack",
            "start": "2026-03-16",
            "weekday": "tue",
            "slot": "evening",
            "language": "sv",
            "capacity": 12,
            "min_size": 6,
            "taken": 4,
            "status": "recruiting",
        }
    ],
    "applications": [
        {
            "id": "a-301",
            "programme": "komet",
            "district": "farsta",
            "queue_date": "2025-11-03",
            "lottery": 83412,
            "child_birth": "2019-05",
            "languages": ["sv", "ar"],
            "slots": ["evening"],
            "cross_district": True,
            "max_travel_minutes": 30,
        }
    ],
    "leaders": [
        {
            "id": "l-2",
            "district": "farsta",
            "programmes": ["komet"],
            "max_groups": 2,
            "languages": ["sv", "ar"],
        }
    ],
    "candidate_groups": [
        {
            "id": "c-1",
            "programme": "komet",
            "district": "farsta",
            "start": "2026-04-13",
            "weekday": "wed",
            "slot": "evening",
            "language": "ar",
            "capacity": 12,
            "min_size": 6,
        }
    ],
}


def problems_of(change) -> list[str]:
    data = copy.deepcopy(EXAMPLE)
    change(data)
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(data)
    return caught.value.problems


def test_the_contract_example_parses():
    scenario = parse_scenario(EXAMPLE)
    assert scenario.groups[0].free == 8
    assert scenario.applications[0].languages == ("sv", "ar")
    assert scenario.travel("farsta", "skarpnack") == 14


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d["groups"][0].update(colour="red"), "$.groups[0].colour: Extra inputs"),
        (lambda d: d["groups"][0].update(capacity=-1), "$.groups[0].capacity: "),
        (lambda d: d["groups"][0].update(min_size=13), "$.groups[0].min_size: greater than"),
        (lambda d: d["groups"][0].update(taken=13), "$.groups[0].taken: greater than"),
        (lambda d: d["groups"][0].update(district="nowhere"), "$.groups[0].district: unknown"),
        (lambda d: d["groups"][0].update(slot="night"), "$.groups[0].slot: Input should be"),
        (lambda d: d["groups"][0].update(weekday="funday"), "$.groups[0].weekday: "),
        (lambda d: d["groups"][0].update(start="2026-02-30"), "$.groups[0].start: "),
        (lambda d: d["programmes"][0].update(child_age_min=12), "$.programmes[0].child_age_min"),
        (lambda d: d["programmes"][0].update(min_size=0), "$.programmes: min_size must be at"),
        (lambda d: d["applications"][0].update(lottery="7"), "$.applications[0].lottery: "),
        (lambda d: d["applications"][0].update(child_birth="2019-13"), "$.applications[0].child"),
        (lambda d: d["applications"].append(d["applications"][0]), "$.applications[1].id: dupl"),
        (lambda d: d["policy"].update(home_priority="some"), "$.policy.home_priority: "),
        (lambda d: d["policy"].update(offer_response_days=0), "$.policy.offer_response_days: "),
        (lambda d: d["travel_minutes"]["farsta"].update(mars=3), "$.travel_minutes.farsta.mars"),
        (lambda d: d["leaders"][0]["programmes"].append("x"), "$.leaders[0].programmes[1]: unk"),
        (lambda d: d.update(format="other/2"), "$.format: must be 'waitlist-scenario/1'"),
        (lambda d: d.pop("districts"), "$.districts: Field required"),
    ],
)
def test_each_kind_of_problem_is_named_by_its_json_path(change, expected):
    assert any(p.startswith(expected) for p in problems_of(change)), problems_of(change)


def test_all_reference_problems_are_reported_at_once():
    def many(d):
        d["groups"][0]["district"] = "x"
        d["applications"][0]["programme"] = "y"
        d["candidate_groups"][0]["min_size"] = 20

    assert len(problems_of(many)) == 3


def test_non_ascii_keys_get_a_quoted_path():
    problems = problems_of(lambda d: d["travel_minutes"].update({"Skär holmen": {}}))
    assert problems == ["$.travel_minutes[\"Skär holmen\"]: unknown district 'Skär holmen'"]


@settings(max_examples=examples(40), deadline=None)
@given(scenarios())
def test_a_scenario_survives_the_round_trip_through_its_file(scenario):
    data = json.loads(json.dumps(scenario_to_dict(scenario)))
    assert scenario_to_dict(parse_scenario(data)) == scenario_to_dict(scenario)


@settings(max_examples=examples(40), deadline=None)
@given(scenarios())
def test_results_are_written_byte_identically_with_sorted_keys(scenario):
    first, second = result_to_json(solve(scenario)), result_to_json(solve(scenario))
    assert first == second
    data = json.loads(first)
    assert data["format"] == "waitlist-result/1"
    assert json.dumps(data, sort_keys=True, ensure_ascii=False, indent=2) + "\n" == first


def test_schemas_forbid_unknown_keys():
    for schema in (scenario_json_schema(), result_json_schema()):
        assert schema["additionalProperties"] is False
        assert all(
            d.get("additionalProperties") is False
            for d in schema["$defs"].values()
            if d.get("type") == "object"
        )
