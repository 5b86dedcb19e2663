"""`waitlist recommend`: a result file, byte-identical on every run; bad input exits 2."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from solver.scenario.files import dumps, scenario_to_dict
from solver.types import Leader
from tests.support.recommend_scenarios import candidate, parent, scenario
from waitlist.cli import app


def write_scenario(tmp_path):
    apps = [parent(n, "farsta", weeks=20 + n) for n in range(4)]
    apps += [parent(20 + n, "skarpnack", weeks=25, cross=True, travel=20) for n in range(3)]
    city = scenario(
        apps, [candidate("c-1", "farsta")], [Leader("l-2", "farsta", ("komet",), 1, ("sv",))]
    )
    path = tmp_path / "scenario.json"
    path.write_text(dumps(scenario_to_dict(city)), encoding="utf-8")
    return path


def test_recommend_writes_the_same_result_file_byte_for_byte(tmp_path):
    path = write_scenario(tmp_path)
    runner = CliRunner()
    outputs = []
    for name in ("a.json", "b.json"):
        done = runner.invoke(app, ["recommend", str(path), "-o", str(tmp_path / name)])
        assert done.exit_code == 0, done.output
        outputs.append((tmp_path / name).read_bytes())
    assert outputs[0] == outputs[1]
    result = json.loads(outputs[0])
    assert result["format"] == "waitlist-result/1"
    assert result["status"] == "optimal"
    [rec] = result["recommendations"]
    assert rec["serves"] == {"farsta": 4, "skarpnack": 3}


def test_recommend_rejects_a_broken_scenario_with_exit_code_2(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"format": "waitlist-scenario/1"}', encoding="utf-8")
    done = CliRunner().invoke(app, ["recommend", str(path)])
    assert done.exit_code == 2
    assert "error: $." in done.output
