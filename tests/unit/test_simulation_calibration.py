"""Calibration files: the default loads, bad input names the field at fault."""

from __future__ import annotations

import copy

import pytest

from tests.support.simulation_city import CALIBRATION, small_city
from waitlist.domain.errors import InvalidInput
from waitlist.simulation.arrivals import groups_per_year, yearly_demand
from waitlist.simulation.calibration import load_calibration, parse_calibration


def test_the_default_calibration_covers_all_fourteen_districts_of_the_demo_city():
    cal = load_calibration()
    assert len(cal.districts) == 14
    assert cal.supply_follows == "population"
    assert abs(sum(cal.programme_mix.values()) - 1.0) < 1e-9


def test_need_differs_between_districts_while_supply_follows_children_alone():
    cal = load_calibration()
    ratio = {
        d.slug: yearly_demand(cal, d.slug, "komet") / groups_per_year(cal, d.slug, "komet")
        for d in cal.districts
    }
    assert ratio["rinkeby-kista"] > 2 * ratio["ostermalm"]


@pytest.mark.parametrize(
    ("path", "value", "field"),
    [
        (("behaviour", "accept_in_district"), 1.5, "behaviour.accept_in_district"),
        (("demand", "need", "atlantis"), 1.0, "demand.need.atlantis"),
        (("programme_mix", "unknown-programme"), 0.2, "programme_mix.unknown-programme"),
        (("supply", "follows"), "wishes", "supply.follows"),
        (("parents", "slots", "midnight"), 0.1, "parents.slots.midnight"),
        (("start",), "next monday", "start"),
    ],
)
def test_a_bad_calibration_value_is_rejected_naming_its_json_path(tmp_path, path, value, field):
    small_city(tmp_path)  # writes the city file next to the calibration
    raw = copy.deepcopy(CALIBRATION)
    target = raw
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    with pytest.raises(InvalidInput) as err:
        parse_calibration(raw, base=tmp_path)
    assert err.value.field == field


def test_an_unknown_top_level_key_is_rejected(tmp_path):
    small_city(tmp_path)
    raw = dict(CALIBRATION, surprise=1)
    with pytest.raises(InvalidInput, match="surprise: unknown key"):
        parse_calibration(raw, base=tmp_path)


def test_a_plan_gives_the_groups_per_year_it_names(tmp_path):
    supply = dict(CALIBRATION["supply"], follows="plan", plan={"south": {"komet": 3}})
    cal = small_city(tmp_path, supply=supply)
    assert groups_per_year(cal, "south", "komet") == 3
    assert groups_per_year(cal, "north", "komet") == 0


def test_a_section_that_is_not_an_object_is_named(tmp_path):
    small_city(tmp_path)
    raw = dict(CALIBRATION, behaviour=5)
    with pytest.raises(InvalidInput) as err:
        parse_calibration(raw, base=tmp_path)
    assert err.value.field == "behaviour"
