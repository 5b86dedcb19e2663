"""The policy options of this change in the simulation: rule 5's test in a policy file, and
the second and third cities' calibrations shipped beside the default one."""

from __future__ import annotations

from importlib import resources

import pytest

from waitlist.domain.errors import InvalidInput
from waitlist.simulation.arrivals import groups_per_year, yearly_demand
from waitlist.simulation.calibration import load_calibration
from waitlist.simulation.policies import parse_policy


def test_a_policy_file_chooses_rule_5s_test_and_the_report_records_it():
    spec = parse_policy({"name": "p", "cross_district_test": "projected"})
    assert spec.settings.cross_district_test == "projected"
    assert spec.describe()["cross_district_test"] == "projected"
    assert parse_policy({"name": "w"}).settings.cross_district_test == "waited"


def test_an_unknown_test_of_rule_5_is_refused_naming_the_key():
    with pytest.raises(InvalidInput) as err:
        parse_policy({"name": "p", "cross_district_test": "guessed"})
    assert err.value.field == "cross_district_test"


def test_the_second_city_differs_from_the_default_in_need_supply_and_opt_in():
    path = resources.files("waitlist.data").joinpath("calibration_goteborg.json")
    gbg, sthlm = load_calibration(str(path)), load_calibration()
    assert len(gbg.districts) == 10
    assert {d.slug for d in gbg.districts}.isdisjoint({d.slug for d in sthlm.districts})
    ratio = {
        d.slug: yearly_demand(gbg, d.slug, "komet") / groups_per_year(gbg, d.slug, "komet")
        for d in gbg.districts
    }
    assert ratio["angered"] > 3 * ratio["centrum"]
    assert gbg.seats_per_application < sthlm.seats_per_application
    assert gbg.opt_in_share["default"] < sthlm.opt_in_share["default"]


def test_the_city_wide_mean_wait_is_reported_beside_the_median(tmp_path):
    from tests.support.simulation_city import small_city
    from waitlist.simulation import simulate
    from waitlist.simulation.arrivals import round_date

    city = small_city(tmp_path)
    run = simulate(city, weeks=6, seed=5, policies=[parse_policy({"name": "cross"})])
    outcome = run.outcomes[0]
    end = round_date(city, city.warmup_weeks + 6 - 1)
    waits = [
        outcome.state.apps[a].wait_days(end)
        for a in outcome.cohort
        if outcome.state.apps[a].status in ("enrolled", "placed", "waiting", "offered")
    ]
    assert waits
    assert outcome.summary["mean_wait_weeks"] == round(sum(waits) / len(waits) / 7, 1)


def test_the_third_city_differs_from_both_others_and_its_travel_follows_its_stated_rule():
    import json
    import math

    data = resources.files("waitlist.data")
    mmo = load_calibration(str(data.joinpath("calibration_malmo.json")))
    gbg = load_calibration(str(data.joinpath("calibration_goteborg.json")))
    sthlm = load_calibration()
    assert len(mmo.districts) == 10
    slugs = {d.slug for d in mmo.districts}
    assert slugs.isdisjoint({d.slug for d in sthlm.districts})
    # Need outruns supply most in the small district with the highest need.
    ratio = {d: yearly_demand(mmo, d, "komet") / groups_per_year(mmo, d, "komet") for d in slugs}
    assert max(ratio, key=ratio.__getitem__) == "rosengard"
    assert gbg.seats_per_application < mmo.seats_per_application < sthlm.seats_per_application
    assert mmo.opt_in_share["default"] > sthlm.opt_in_share["default"]

    city = json.loads(data.joinpath("malmo.json").read_text(encoding="utf-8"))
    centre = {d["slug"]: (d["lat"], d["lon"]) for d in city["districts"]}

    def km(a: tuple[float, float], b: tuple[float, float]) -> float:
        (la1, lo1), (la2, lo2) = (map(math.radians, a)), (map(math.radians, b))
        h = (
            math.sin((la2 - la1) / 2) ** 2
            + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
        )
        return 2 * 6371.0 * math.asin(math.sqrt(h))

    for a in slugs:
        for b in slugs:
            want = 0 if a == b else round(8 + 2.5 * km(centre[a], centre[b]))
            assert city["travel_minutes"][a][b] == want == city["travel_minutes"][b][a]
