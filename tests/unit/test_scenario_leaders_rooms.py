"""Scenario files carry a leader's weeks away and what a room can host; both are optional, so
files without them read and write as before, and bad values are named by their JSON path."""

from __future__ import annotations

import copy
import json

import pytest

from solver.scenario.files import ScenarioError, parse_scenario, scenario_to_dict
from tests.unit.test_scenario_files import EXAMPLE


def _with_limits() -> dict:
    data = copy.deepcopy(EXAMPLE)
    data["leaders"][0]["unavailable_weeks"] = ["2026-W14"]
    for q in data["programmes"]:
        q["sessions"] = 8
    data["rooms"] = [
        {"id": "r-1", "district": "farsta", "capacity": 8, "weekdays": ["wed"], "slots": ["day"]}
    ]
    return data


def test_weeks_away_and_room_limits_survive_the_file():
    parsed = parse_scenario(_with_limits())
    assert parsed.leaders[0].unavailable_weeks == ("2026-W14",)
    room = parsed.rooms[0]
    assert (room.capacity, room.weekdays, room.slots) == (8, ("wed",), ("day",))
    written = json.loads(json.dumps(scenario_to_dict(parsed)))
    assert scenario_to_dict(parse_scenario(written)) == scenario_to_dict(parsed)


def test_a_file_without_them_is_written_without_them():
    text = json.dumps(scenario_to_dict(parse_scenario(EXAMPLE)))
    assert "unavailable_weeks" not in text and "weekdays" not in text


@pytest.mark.parametrize(
    ("change", "path"),
    [
        (lambda d: d["leaders"][0].update(unavailable_weeks=["week 14"]), "$.leaders[0]"),
        (lambda d: d["rooms"][0].update(capacity=0), "$.rooms[0].capacity"),
        (lambda d: d["rooms"][0].update(weekdays=["someday"]), "$.rooms[0].weekdays[0]"),
    ],
)
def test_bad_weeks_or_room_limits_are_named_by_their_path(change, path):
    data = _with_limits()
    change(data)
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(data)
    assert any(p.startswith(path) for p in caught.value.problems), caught.value.problems
