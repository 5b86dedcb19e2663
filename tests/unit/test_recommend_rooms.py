"""Rooms in group-start recommendations: a room hosts one group at a time per weekday and slot;
scenario files name rooms optionally and are checked; a scenario without rooms is unchanged."""

from __future__ import annotations

import copy
import json
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from solver.recommend.candidates import generate_candidates
from solver.recommend.pipeline import run
from solver.recommend.reduce import dominated_pairs
from solver.scenario.files import (
    ScenarioError,
    parse_scenario,
    result_to_dict,
    scenario_json_schema,
    scenario_to_dict,
)
from solver.types import Group, Leader, Programme
from tests.support.budgets import examples
from tests.support.recommend_scenarios import AS_OF, ROOMS, candidate, parent, scenario, tiny_cities
from tests.unit.test_recommend_optimal import rooms_fit
from tests.unit.test_scenario_files import EXAMPLE
from waitlist.cli import app

KOMET = Programme("komet", "Komet", "parent_group", 3, 11, 6, 3, ("sv",), sessions=6)
ABC = Programme("abc", "ABC", "parent_group", 3, 12, 4, 2, ("sv",), sessions=4)
ROOM = "r-farsta-1"


def with_rooms(data: dict) -> dict:
    data = copy.deepcopy(data)
    data["programmes"][0]["sessions"] = 11
    data["rooms"] = [
        {"id": "r-1", "district": "farsta", "name": "Farsta family centre, room 2"},
        {"id": "r-2", "district": "skarpnack"},
    ]
    data["candidate_groups"][0]["room"] = "r-1"
    data["groups"][0]["room"] = "r-2"
    return data


def problems_of(change) -> list[str]:
    data = with_rooms(EXAMPLE)
    change(data)
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(data)
    return caught.value.problems


def test_a_scenario_with_rooms_parses_and_survives_its_file():
    parsed = parse_scenario(with_rooms(EXAMPLE))
    assert parsed.candidate_groups[0].room == "r-1"
    assert parsed.groups[0].room == "r-2"
    assert parsed.rooms[0].label == "Farsta family centre, room 2"
    assert parsed.rooms[1].label == "r-2"
    data = json.loads(json.dumps(scenario_to_dict(parsed)))
    assert scenario_to_dict(parse_scenario(data)) == scenario_to_dict(parsed)


def test_a_scenario_without_rooms_is_written_without_any_room_key():
    text = json.dumps(scenario_to_dict(parse_scenario(EXAMPLE)))
    assert '"room' not in text


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda d: d["candidate_groups"][0].update(room="r-9"),
            "$.candidate_groups[0].room: unknown room 'r-9'",
        ),
        (
            lambda d: d["candidate_groups"][0].update(room="r-2"),
            "$.candidate_groups[0].room: room 'r-2' is in 'skarpnack', not in 'farsta'",
        ),
        (lambda d: d["groups"][0].update(room="r-1"), "$.groups[0].room: room 'r-1' is in"),
        (lambda d: d["rooms"][1].update(district="mars"), "$.rooms[1].district: unknown district"),
        (lambda d: d["rooms"][1].update(id="r-1"), "$.rooms[1].id: duplicate id 'r-1'"),
        (lambda d: d["rooms"][1].update(floor=2), "$.rooms[1].floor: Extra inputs"),
        (lambda d: d["rooms"][1].pop("district"), "$.rooms[1].district: Field required"),
        (lambda d: d["candidate_groups"][0].update(room=""), "$.candidate_groups[0].room: "),
        (
            lambda d: d["programmes"][0].pop("sessions"),
            "$.programmes[0].sessions: needed when rooms are listed",
        ),
    ],
)
def test_each_room_problem_is_named_by_its_json_path(change, expected):
    assert any(p.startswith(expected) for p in problems_of(change)), problems_of(change)


def test_the_printed_scenario_schema_has_rooms_and_a_room_on_groups_and_candidates():
    schema = scenario_json_schema()
    assert "rooms" in schema["properties"]
    assert set(schema["$defs"]["RoomIn"]["required"]) == {"id", "district"}
    assert "room" in schema["$defs"]["CandidateGroupIn"]["properties"]
    assert "room" in schema["$defs"]["GroupIn"]["properties"]


def farsta_parents(n: int, programme: str = "komet", start: int = 0):
    return [parent(start + k, "farsta", weeks=10 + k, programme=programme) for k in range(n)]


def test_a_room_bound_kind_never_dominates_so_the_room_can_go_to_another_programme():
    # c-a and c-b (a week later, no room named) serve the same Komet parents with the same
    # leader; c-a's room is the one the only ABC candidate needs. Requiring c-a open before c-b
    # (as dominance would) would cost the ABC group.
    apps = farsta_parents(6) + farsta_parents(4, "abc", start=10)
    cands = [
        replace(candidate("c-a", "farsta", capacity=6, min_size=3), room=ROOM),
        candidate("c-b", "farsta", capacity=6, min_size=3, weeks_ahead=5),
        replace(candidate("c-c", "farsta", programme="abc", capacity=4, min_size=2), room=ROOM),
    ]
    leaders = [
        Leader("l-1", "farsta", ("komet",), 1, ("sv",)),
        Leader("l-2", "farsta", ("abc",), 1, ("sv",)),
    ]
    city = replace(scenario(apps, cands, leaders, (KOMET, ABC)), rooms=ROOMS)
    done = run(city)
    kinds = done.prepared.kinds
    assert all(not kinds[a].bound for a, *_ in dominated_pairs(done.prepared))
    recs = {r.candidate: r for r in done.result.recommendations}
    assert set(recs) == {"c-b", "c-c"}
    assert recs["c-c"].room == ROOM and recs["c-b"].room is None


def test_candidates_in_different_rooms_share_a_kind_and_open_in_any_order():
    # c-a and c-b (a week later, in another room) serve the same Komet parents with the same
    # leader: one kind. c-a's room is the one the only ABC candidate needs, so the later c-b
    # opens; a kind that opened its earliest candidate first would cost the ABC group.
    apps = farsta_parents(6) + farsta_parents(4, "abc", start=10)
    cands = [
        replace(candidate("c-a", "farsta", capacity=6, min_size=3), room=ROOM),
        replace(
            candidate("c-b", "farsta", capacity=6, min_size=3, weeks_ahead=5), room="r-farsta-2"
        ),
        replace(candidate("c-c", "farsta", programme="abc", capacity=4, min_size=2), room=ROOM),
    ]
    leaders = [
        Leader("l-1", "farsta", ("komet",), 1, ("sv",)),
        Leader("l-2", "farsta", ("abc",), 1, ("sv",)),
    ]
    done = run(replace(scenario(apps, cands, leaders, (KOMET, ABC)), rooms=ROOMS))
    ids = [tuple(done.prepared.candidates[c].id for c in kd.members) for kd in done.prepared.kinds]
    assert ("c-a", "c-b") in ids
    assert {r.candidate for r in done.result.recommendations} == {"c-b", "c-c"}


def test_an_alternative_whose_room_a_recommended_group_holds_says_so_until_when():
    apps = farsta_parents(12)
    cands = [
        replace(candidate("c-1", "farsta", capacity=6, min_size=3), room=ROOM),
        replace(candidate("c-2", "farsta", capacity=6, min_size=3, weeks_ahead=6), room=ROOM),
    ]
    leaders = [Leader("l-1", "farsta", ("komet",), 2, ("sv",))]
    city = replace(scenario(apps, cands, leaders, (KOMET,)), rooms=ROOMS)
    (rec,) = run(city).result.recommendations
    # Six weekly sessions from Tuesday 2026-03-31: the last on 2026-05-05.
    assert rec.candidate == "c-1" and rec.room == ROOM
    assert "Farsta family centre, room 1 is taken on Tuesday evenings until 2026-05-05" in (
        rec.reason
    )
    assert "Farsta family centre, room 1 är upptaget tisdagar kväll till och med 2026-05-05" in (
        rec.reason_sv
    )


def test_a_room_held_by_a_running_group_is_not_offered_and_the_reason_says_until_when():
    apps = farsta_parents(12)
    running = Group(
        "g-1", "komet", "farsta", AS_OF, "tue", "evening", "sv", 6, 3, 6, "running", room=ROOM
    )
    cands = [
        replace(candidate("c-1", "farsta", capacity=6, min_size=3), room=ROOM),
        replace(candidate("c-2", "farsta", capacity=6, min_size=3), room="r-farsta-2"),
    ]
    leaders = [Leader("l-1", "farsta", ("komet",), 2, ("sv",))]
    city = replace(scenario(apps, cands, leaders, (KOMET,)), rooms=ROOMS, groups=(running,))
    done = run(city)
    assert done.prepared.not_viable == {"c-1": "room"}
    (rec,) = done.result.recommendations
    assert rec.candidate == "c-2"
    assert "room 1 is taken on Tuesday evenings until 2026-04-06" in rec.reason
    # A cancelled group holds nothing.
    city = replace(city, groups=(replace(running, status="cancelled"),))
    assert {r.candidate for r in run(city).result.recommendations} == {"c-1", "c-2"}


def test_the_result_names_a_room_only_for_recommendations_that_have_one():
    apps = farsta_parents(12)
    cands = [
        replace(candidate("c-1", "farsta", capacity=6, min_size=3), room=ROOM),
        candidate("c-2", "farsta", capacity=6, min_size=3, weeks_ahead=5),
    ]
    leaders = [Leader("l-1", "farsta", ("komet",), 2, ("sv",))]
    city = replace(scenario(apps, cands, leaders, (KOMET,)), rooms=ROOMS)
    recs = {r["candidate"]: r for r in result_to_dict(run(city).result)["recommendations"]}
    assert recs["c-1"]["room"] == ROOM
    assert "room" not in recs["c-2"]


def test_generated_candidates_in_a_district_with_rooms_are_one_per_room():
    apps = farsta_parents(8)
    leaders = [
        Leader("l-1", "farsta", ("komet",), 3, ("sv",)),
        Leader("l-2", "alvsjo", ("komet",), 1, ("sv",)),
    ]
    rooms = tuple(r for r in ROOMS if r.district == "farsta")
    city = replace(scenario(apps, (), leaders, (KOMET,)), rooms=rooms)
    generated = generate_candidates(city)
    assert sorted(c.id for c in generated) == [
        "gen-komet-farsta-sv-evening-r-farsta-1",
        "gen-komet-farsta-sv-evening-r-farsta-2",
    ]
    assert [c.room for c in generated] == ["r-farsta-1", "r-farsta-2"]
    without = generate_candidates(replace(city, rooms=()))
    assert [c.id for c in without] == ["gen-komet-farsta-sv-evening"]


@settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tiny_cities(max_apps=12, max_candidates=0), st.integers(1, 2))
def test_generated_candidates_never_put_two_recommended_groups_in_one_room_at_once(city, n):
    # Every district lists n rooms; generated candidates start together, so a room takes at most
    # one of them per weekday and slot.
    rooms = tuple(r for r in ROOMS if int(r.id[-1]) <= n)
    programmes = tuple(replace(p, sessions=3) for p in city.programmes)
    city = replace(city, rooms=rooms, programmes=programmes)
    done = run(city)
    by_id = {c.id: c for c in done.prepared.all_candidates}
    opened = [by_id[r.candidate] for r in done.result.recommendations]
    assert all(c.room is not None for c in opened)
    assert rooms_fit(city, opened)
    per_place: dict[tuple, int] = {}
    for c in opened:
        per_place[(c.room, c.weekday, c.slot)] = per_place.get((c.room, c.weekday, c.slot), 0) + 1
    assert all(k <= 1 for k in per_place.values())


def test_recommend_on_the_command_line_rejects_an_unknown_room_with_exit_code_2(tmp_path):
    data = with_rooms(EXAMPLE)
    data["candidate_groups"][0]["room"] = "r-9"
    path = tmp_path / "scenario.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    done = CliRunner().invoke(app, ["recommend", str(path)])
    assert done.exit_code == 2
    assert "error: $.candidate_groups[0].room: unknown room 'r-9'" in done.output
