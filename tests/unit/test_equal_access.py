"""The ratio a city with equal access would show (docs/simulation.md, "How even can the
medians be?")."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tests.support.simulation_city import small_city
from waitlist.simulation import simulate
from waitlist.simulation.arrivals import round_date
from waitlist.simulation.policies import parse_policy
from waitlist.simulation.stats import equal_access_ratios, median_weeks, ratio_of_medians
from waitlist.simulation.summary import district_waits

WAITS = st.dictionaries(
    st.sampled_from(["north", "centre", "south", "east"]),
    st.lists(st.integers(0, 400), min_size=1, max_size=40),
    min_size=2,
)


@given(WAITS, st.integers(0, 5))
def test_equal_access_ratios_are_ratios_and_reproduce(waits, seed):
    ratios = equal_access_ratios(waits, draws=50, seed=seed)
    assert len(ratios) == 50 and ratios == sorted(ratios)
    assert all(r >= 1 for r in ratios)
    assert ratios == equal_access_ratios(dict(reversed(list(waits.items()))), draws=50, seed=seed)


def test_a_real_gap_stands_out_from_the_equal_access_range():
    alike = {d: list(range(0, 200, 5)) * 5 for d in ("north", "centre", "south", "east")}
    apart = {**alike, "east": [w + 70 for w in alike["east"]]}  # ten weeks longer
    for waits in (alike, apart):
        ratios = equal_access_ratios(waits, draws=400, seed=1)
        upper = ratios[int(0.95 * len(ratios))]
        actual = ratio_of_medians({d: median_weeks(w) for d, w in waits.items()})
        assert (actual > upper) == (waits is apart)


def test_the_waits_compared_are_those_the_table_shows(tmp_path):
    city = small_city(tmp_path)
    run = simulate(city, weeks=6, seed=3, policies=[parse_policy({"name": "p"})])
    (outcome,) = run.outcomes
    end = round_date(city, city.warmup_weeks + 6 - 1)
    waits = district_waits(city, outcome.state, outcome.cohort, end)
    for district, row in outcome.summary["by_district"].items():
        assert len(waits[district]) == row["placed"] + row["waiting"]
        median = median_weeks(waits[district])
        assert row["median_wait_weeks"] == (None if median is None else round(median, 1))
    medians = {d: median_weeks(w) for d, w in waits.items()}
    assert outcome.summary["max_min_ratio"] == round(ratio_of_medians(medians) or 0, 2)


def test_the_script_prints_a_row_per_policy_and_refuses_bad_input(capsys):
    from tests.unit.test_hops_script import ROOT, load

    script = load(ROOT / "scripts" / "equal_access.py", "equal_access_under_test")
    policy = str(ROOT / "docs" / "policies" / "status-quo.json")
    assert script.main(["--seed", "2", "--weeks", "2", "--draws", "40", "--policy", policy]) == 0
    rows = capsys.readouterr().out.splitlines()
    assert rows[1].startswith("| policy | max/min |")
    assert rows[3].startswith("| status-quo | ") and rows[3].count("(") == 1
    assert script.main(["--weeks", "2", "--policy", "no-such-policy.json"]) == 2
    assert "error: cannot read policy no-such-policy.json" in capsys.readouterr().err
