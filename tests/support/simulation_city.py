"""A small city for short simulations: three districts, two programmes, a few weeks."""

from __future__ import annotations

import copy
from typing import Any

from waitlist.simulation import SimulationRun, load_calibration, simulate
from waitlist.simulation.calibration import Calibration, parse_calibration
from waitlist.simulation.policies import parse_policy

CITY: dict[str, Any] = {
    "districts": [
        {"slug": "north", "name": "North", "population": 40000, "children_0_17": 9000},
        {"slug": "centre", "name": "Centre", "population": 60000, "children_0_17": 10000},
        {"slug": "south", "name": "South", "population": 30000, "children_0_17": 7000},
    ],
    "travel_minutes": {
        "north": {"north": 0, "centre": 18, "south": 35},
        "centre": {"north": 18, "centre": 0, "south": 16},
        "south": {"north": 35, "centre": 16, "south": 0},
    },
    "programmes": [
        {
            "slug": "komet",
            "name": "Komet",
            "kind": "parent_group",
            "child_age_min": 3,
            "child_age_max": 11,
            "weeks": 6,
            "capacity": 10,
            "min_size": 5,
            "languages": ["sv", "ar"],
        },
        {
            "slug": "abc",
            "name": "ABC",
            "kind": "parent_group",
            "child_age_min": 3,
            "child_age_max": 12,
            "weeks": 4,
            "capacity": 8,
            "min_size": 4,
            "languages": ["sv"],
        },
    ],  # fmt: skip
    "languages": [{"code": "sv"}, {"code": "ar"}, {"code": "en"}],
}

CALIBRATION: dict[str, Any] = {
    "format": "waitlist-calibration/1",
    "name": "small-city",
    "city": "small_city.json",
    "start": "2026-01-05",
    "warmup_weeks": 4,
    "demand": {
        "applications_per_1000_children_per_year": 20.0,
        "need": {"default": 1.0, "north": 1.8, "south": 0.6},
    },
    "programme_mix": {"komet": 0.7, "abc": 0.3},
    "supply": {
        "follows": "population",
        "seats_per_application": 1.2,
        "recruit_weeks": 4,
        "slots": {"evening": 0.7, "day": 0.3},
        "group_languages": {"default": {"sv": 1.0}, "north": {"sv": 0.6, "ar": 0.4}},
    },
    "parents": {
        "languages": {"default": {"sv": 0.9, "en": 0.1}, "north": {"sv": 0.5, "ar": 0.5}},
        "also_swedish_share": 0.5,
        "slots": {"evening": 0.4, "day": 0.2, "any": 0.4},
        "opt_in_share": {"default": 0.6},
        "max_travel_minutes": {"20": 0.5, "40": 0.5},
    },
    "behaviour": {
        "accept_in_district": 0.85,
        "accept_out_of_district": 0.7,
        "no_response_share": 0.1,
        "response_days_max": 12,
        "patience_weeks_mean": 20,
        "max_expired_offers": 2,
    },
    "leaders": [
        {"district": "*", "count": 1, "max_groups": 1, "languages": ["sv"]},
        {"district": "north", "count": 1, "max_groups": 2, "languages": ["sv", "ar"]},
    ],
}


def small_city(tmp_path: Any, **changes: Any) -> Calibration:
    """The small city's calibration; keyword changes replace top-level sections."""
    import json

    (tmp_path / "small_city.json").write_text(json.dumps(CITY), "utf-8")
    raw = copy.deepcopy(CALIBRATION)
    raw.update(changes)
    return parse_calibration(raw, base=tmp_path)


def two_policies_two_weeks() -> SimulationRun:
    """A real what-if run, short: two weeks of the demo calibration, the status quo against
    cross-district placement."""
    return simulate(
        load_calibration(),
        weeks=2,
        seed=3,
        policies=[
            parse_policy({"name": "status-quo", "placement": "status_quo"}),
            parse_policy({"name": "cross-district"}),
        ],
    )
