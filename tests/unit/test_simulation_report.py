"""Reports: the same seed and inputs give the same files; the command line writes them."""

from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

from tests.support.simulation_city import small_city
from waitlist.cli import app
from waitlist.domain.errors import InvalidInput
from waitlist.simulation import PolicySpec, builtin_policies, simulate
from waitlist.simulation.policies import parse_policy
from waitlist.simulation.report import latest_report, write_report

WEEKS = 5


def _policies() -> list[PolicySpec]:
    return [
        parse_policy({"name": "status-quo", "placement": "status_quo"}),
        parse_policy({"name": "short-threshold", "cross_district_after_weeks": 2}),
    ]


@pytest.mark.slow
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


@pytest.mark.slow  # a whole simulation and its charts: left to `make test`
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


ENGLISH_HEADINGS = (
    "What-if simulation",
    "Policies side by side",
    "Waiting time per district",
    "Equality over the weeks",
    "Definitions",
    "Reproduce",
)
SWEDISH_HEADINGS = (
    "<h1>Simulering av regeländringar</h1>",
    "<h2>Reglerna jämförda</h2>",
    "<h2>Väntetid per stadsdel</h2>",
    "<h2>Jämlikhet vecka för vecka</h2>",
    "<h2>Definitioner</h2>",
)


@pytest.mark.slow  # a whole simulation and its charts: left to `make test`
def test_the_report_is_written_in_english_and_in_swedish(tmp_path):
    city = small_city(tmp_path)
    run = simulate(city, weeks=2, seed=5, policies=builtin_policies()[:2])
    files = write_report(run, tmp_path / "out", command="waitlist simulate --seed 5")
    assert files.pages == {"en": files.html, "sv": tmp_path / "out" / "report.sv.html"}
    english, swedish = (files.pages[lang].read_text("utf-8") for lang in ("en", "sv"))
    assert '<html lang="en">' in english and '<html lang="sv">' in swedish
    assert all(heading in english for heading in ENGLISH_HEADINGS)
    assert all(heading in swedish for heading in SWEDISH_HEADINGS)
    assert [h for h in ENGLISH_HEADINGS if h in swedish] == []
    # Table headers, built-in policy labels and numbers in Swedish too.
    assert "<th>Stadsdel</th>" in swedish and "<td>Inställda grupper</td>" in swedish
    assert "1 Som i dag: egen stadsdel, först till kvarn" in swedish
    assert "<th>1 Status quo" not in swedish and "<th>1 Status quo" in english
    assert re.search(r"<td>\d+,\d\d</td>", swedish) and not re.search(r"<td>\d+\.\d", swedish)
    # Each page embeds its own charts (titles in its language), and the PNGs are kept.
    assert (tmp_path / "out" / "simulation_waits.sv.png").is_file()
    assert _images(english) != _images(swedish)
    assert "waitlist simulate --seed 5" in swedish and "<script" not in swedish.lower()


def _images(html: str) -> list[str]:
    return re.findall(r"data:image/png;base64,([^\"]+)", html)


def test_a_policy_files_own_label_is_kept_as_written_in_swedish(tmp_path):
    city = small_city(tmp_path)
    mine = parse_policy({"name": "mine", "label": "Min egen regel", "placement": "status_quo"})
    files = write_report(simulate(city, weeks=1, seed=5, policies=[mine]), tmp_path / "out")
    assert "<th>Min egen regel</th>" in files.pages["sv"].read_text("utf-8")


def test_the_latest_report_is_found_in_the_language_asked_for_else_in_the_other(tmp_path):
    folder = tmp_path / "run"
    folder.mkdir()
    english, swedish = folder / "report.html", folder / "report.sv.html"
    english.write_text("en", "utf-8")
    (tmp_path / "latest.json").write_text(json.dumps({"report": str(english)}), "utf-8")
    assert latest_report(tmp_path, lang="sv") == english  # an older, English-only report
    swedish.write_text("sv", "utf-8")
    assert latest_report(tmp_path, lang="sv") == swedish
    assert latest_report(tmp_path, lang="en") == english
    english.unlink()
    assert latest_report(tmp_path, lang="en") == swedish
    swedish.unlink()
    assert latest_report(tmp_path, lang="sv") is None


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
    from tests.support.simulation_city import CALIBRATION

    (tmp_path / "calibration.json").write_text(json.dumps(CALIBRATION), "utf-8")
    (tmp_path / "policy.json").write_text(json.dumps({"name": "mine", "placement": "status_quo"}))
    result = CliRunner().invoke(
        app,
        ["simulate", "--weeks", "3", "--seed", "4", "--calibration", "calibration.json",
         "--policy", "policy.json", "--only", "--quiet", "-o", "out"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    for name in ("report.html", "report.sv.html", "results.json", "simulation_waits.png",
                 "simulation_equality.png"):  # fmt: skip
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


def test_each_policy_reports_how_often_the_wait_estimates_held_and_how_wide_they_were(tmp_path):
    city = small_city(tmp_path)
    run = simulate(city, weeks=WEEKS, seed=5, policies=_policies())
    files = write_report(run, tmp_path / "out")
    data = json.loads(files.results.read_text("utf-8"))
    for policy in data["policies"]:
        estimates = policy["estimates"]
        assert estimates["ranges_shown"] > 0 and estimates["parents"] > 0
        assert estimates["coverage"] is None or 0.0 <= estimates["coverage"] <= 1.0
        # Ranges with no upper end have no width; the share of them is given beside it.
        width, open_share = estimates["median_width_weeks"], estimates["open_ended_share"]
        assert 0.0 <= open_share <= 1.0 and (width is None or width >= 0)
        assert set(estimates["by_district"]) <= set(policy["by_district"])
        thumb = estimates["rule_of_thumb"]
        assert thumb["ranges_shown"] == estimates["ranges_shown"]
        assert "estimates" not in policy["summary"]
    html = files.html.read_text("utf-8")
    assert "Wait estimates: coverage (aim 0.80)" in html
    swedish = files.pages["sv"].read_text("utf-8")
    assert "Väntetidsbesked: träffsäkerhet (mål 0,80)" in swedish
