"""`waitlist solve` and `waitlist schema` from the command line."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from solver.scenario import synthetic
from solver.scenario.files import dumps, scenario_to_dict
from waitlist.cli import app

runner = CliRunner()


def write_city(tmp_path, **policy):
    path = tmp_path / "scenario.json"
    path.write_text(dumps(scenario_to_dict(synthetic.city(300, 30, **policy))), encoding="utf-8")
    return path


def test_solving_the_same_file_twice_writes_the_same_bytes(tmp_path):
    scenario = write_city(tmp_path)
    for name in ("one.json", "two.json"):
        result = runner.invoke(app, ["solve", str(scenario), "-o", str(tmp_path / name)])
        assert result.exit_code == 0, result.output
    assert (tmp_path / "one.json").read_bytes() == (tmp_path / "two.json").read_bytes()
    data = json.loads((tmp_path / "one.json").read_text(encoding="utf-8"))
    assert data["status"] == "optimal" and data["offers"]


def test_a_broken_scenario_exits_2_with_one_line_per_problem(tmp_path):
    data = json.loads(write_city(tmp_path).read_text(encoding="utf-8"))
    data["groups"][3].update(capacity=12, taken=0, min_size=99)
    data["applications"][0]["district"] = "atlantis"
    data["surprise"] = True
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    result = runner.invoke(app, ["solve", str(bad), "-o", str(tmp_path / "out.json")])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert lines == ["error: $.surprise: Extra inputs are not permitted"]
    del data["surprise"]
    bad.write_text(json.dumps(data), encoding="utf-8")
    result = runner.invoke(app, ["solve", str(bad)])
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        "error: $.groups[3].min_size: greater than capacity (12)",
        "error: $.applications[0].district: unknown district 'atlantis'",
    ]
    assert not (tmp_path / "out.json").exists()


def test_a_file_that_is_not_json_exits_2(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    result = runner.invoke(app, ["solve", str(bad)])
    assert result.exit_code == 2
    assert result.stderr.startswith("error: $: not valid JSON")


def test_schema_prints_the_json_schema_of_either_file():
    for which, title in (("scenario", "ScenarioFile"), ("result", "ResultFile")):
        result = runner.invoke(app, ["schema", which])
        assert result.exit_code == 0
        assert json.loads(result.stdout)["title"] == title
    assert runner.invoke(app, ["schema", "other"]).exit_code == 2
