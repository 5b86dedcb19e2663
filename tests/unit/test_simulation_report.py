"""Reports: the same seed and inputs give the same files; the command line writes them."""

from __future__ import annotations

import json

import pytest
from simulation_city import small_city
from typer.testing import CliRunner

from waitlist.cli import app
from waitlist.domain.errors import InvalidInput
from waitlist.simulation import PolicySpec, simulate
from waitlist.simulation.policies import parse_policy
from waitlist.simulation.report import latest_report, write_report

WEEKS = 5


def _policies() -> list[PolicySpec]:
    return [
        parse_policy({"name": "status-quo", "placement": "status_quo"}),
        parse_policy({"name": "short-threshold", "cross_district_after_weeks": 2}),
    ]


def test_the_same_seed_and_inputs_give_an_identical_report(tmp_path):
    city = small_city(tmp_path)
    files = []
    for attempt in ("one", "two"):
        run = simulate(city, weeks=WEEKS, seed=5, policies=_policies())
        files.append(write_report(run, tmp_path / attempt, command="waitlist simulate"))
    one, two = files
    assert one.results.read_bytes() == two.results.read_bytes()
    assert one.html.read_bytes() == two.html.read_bytes()
    for a, b in zip(one.charts, two.charts, strict=True):
        assert a.read_bytes() == b.read_bytes()


def test_a_report_records_the_seed_the_inputs_and_every_policy(tmp_path):
    city = small_city(tmp_path)
    run = simulate(city, weeks=WEEKS, seed=5, policies=_policies())
    files = write_report(run, tmp_path / "out", command="waitlist simulate --seed 5")
    data = json.loads(files.results.read_text("utf-8"))
    assert data["seed"] == 5 and data["weeks"] == WEEKS
    assert data["calibration"]["name"] == "small-city"
    assert [p["policy"]["name"] for p in data["policies"]] == ["status-quo", "short-threshold"]
    assert data["policies"][1]["policy"]["cross_district_after_weeks"] == 2
    assert len(data["policies"][0]["weeks"]) == WEEKS
    html = files.html.read_text("utf-8")
    assert "waitlist simulate --seed 5" in html and "data:image/png;base64," in html


def test_a_different_seed_gives_different_arrivals(tmp_path):
    city = small_city(tmp_path)
    one = simulate(city, weeks=2, seed=1, policies=_policies()[:1])
    two = simulate(city, weeks=2, seed=2, policies=_policies()[:1])
    assert one.outcomes[0].cohort != two.outcomes[0].cohort or one.arrivals != two.arrivals


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        ({"name": "x", "home_priority": "sometimes"}, "home_priority"),
        ({"name": "x", "placement": "magic"}, "placement"),
        ({"name": "x", "offer_response_days": 0}, "offer_response_days"),
        ({"name": "x", "min_size": {"komet": 0}}, "min_size.komet"),
        ({"name": "x", "colour": "blue"}, "colour"),
        ({"label": "no name"}, "name"),
    ],
)
def test_a_bad_policy_file_is_rejected_naming_the_field(raw, field):
    with pytest.raises(InvalidInput) as err:
        parse_policy(raw, programmes={"komet"})
    assert err.value.field == field


def test_the_command_writes_the_report_and_registers_it_as_the_latest(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    small_city(tmp_path)
    from simulation_city import CALIBRATION

    (tmp_path / "calibration.json").write_text(json.dumps(CALIBRATION), "utf-8")
    (tmp_path / "policy.json").write_text(json.dumps({"name": "mine", "placement": "status_quo"}))
    result = CliRunner().invoke(
        app,
        ["simulate", "--weeks", "3", "--seed", "4", "--calibration", "calibration.json",
         "--policy", "policy.json", "--only", "--quiet", "-o", "out"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    for name in ("report.html", "results.json", "simulation_waits.png", "simulation_equality.png"):
        assert (tmp_path / "out" / name).is_file()
    assert latest_report() == (tmp_path / "out" / "report.html").resolve()


def test_the_command_rejects_a_bad_policy_file_with_one_line_and_exit_code_2(tmp_path):
    (tmp_path / "policy.json").write_text(json.dumps({"name": "x", "home_priority": "maybe"}))
    result = CliRunner().invoke(
        app, ["simulate", "--policy", str(tmp_path / "policy.json"), "-o", str(tmp_path / "o")]
    )
    assert result.exit_code == 2
    assert "error: home_priority" in result.output


def test_there_is_no_latest_report_before_one_is_written(tmp_path):
    assert latest_report(tmp_path) is None
