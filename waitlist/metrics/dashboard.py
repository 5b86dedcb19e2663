"""What the management page draws, as plain JSON-able data: only published figures (a
hidden figure is None), by district for all programmes together, and never a person."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from waitlist.domain.collation import swedish_key
from waitlist.metrics.measures import ALL
from waitlist.metrics.report import Report


def _weeks(days: object) -> float | None:
    return round(days / 7, 1) if isinstance(days, int | float) else None


def _share(value: object) -> float | None:
    return round(100 * value, 1) if isinstance(value, int | float) else None


def dashboard_data(
    quarter: Report, weeks: Sequence[Report], names: Mapping[str, str]
) -> dict[str, Any]:
    options = quarter.options
    districts = [r for r in quarter.rows if r["programme"] == ALL and r["district"] != ALL]
    # Districts by name in Swedish alphabetical order (Älvsjö and Östermalm last), not by code.
    districts.sort(key=lambda r: swedish_key(names.get(str(r["district"]), str(r["district"]))))
    city = quarter.row(ALL, ALL)
    return {
        "period": quarter.period.label,
        "period_start": quarter.period.start.isoformat(),
        "period_end": quarter.period.end.isoformat(),
        "small_cell_min": options.small_cell_min,
        "target_weeks": options.target_weeks,
        "waits": [
            {
                "district": r["district"],
                "name": names.get(str(r["district"]), str(r["district"])),
                "offer_median_weeks": _weeks(r["offer_wait_system_median_days"]),
                "offer_p90_weeks": _weeks(r["offer_wait_system_p90_days"]),
                "age_median_weeks": _weeks(r["open_age_system_median_days"]),
                "share_within_target": _share(r["share_within_target"]),
                "waiting": r["waiting"],
                "placed_in": r["placed_in"],
                "placed_out": r["placed_out"],
            }
            for r in districts
        ],
        "city": {
            "offer_median_weeks": _weeks(city["offer_wait_system_median_days"]),
            "offer_p90_weeks": _weeks(city["offer_wait_system_p90_days"]),
            "share_within_target": _share(city["share_within_target"]),
            "waiting": city["waiting"],
            "system": {
                "start_median_weeks": _weeks(city["start_wait_system_median_days"]),
                "age_median_weeks": _weeks(city["open_age_system_median_days"]),
                "waiting": city["waiting_system"],
            },
            "chosen": {
                "start_median_weeks": _weeks(city["start_wait_chosen_median_days"]),
                "age_median_weeks": _weeks(city["open_age_chosen_median_days"]),
                "waiting": city["waiting_chosen"],
            },
        },
        "flows": sorted(
            (
                {
                    **f,
                    "from_name": names.get(str(f["from"]), str(f["from"])),
                    "to_name": names.get(str(f["to"]), str(f["to"])),
                }
                for f in quarter.flows
                if f["placements"] != 0
            ),
            key=lambda f: (swedish_key(f["from_name"]), swedish_key(f["to_name"])),
        ),
        "equality": next(e for e in quarter.equality if e["programme"] == ALL),
        "trend": _trend(weeks, names),
    }


def _trend(weeks: Sequence[Report], names: Mapping[str, str]) -> dict[str, Any]:
    labels = [w.period.label for w in weeks]
    by_district: dict[str, list[float | None]] = {}
    for w in weeks:
        for r in w.rows:
            if r["programme"] == ALL and r["district"] != ALL:
                by_district.setdefault(str(r["district"]), []).append(
                    _weeks(r["open_age_system_median_days"])
                )
    city = [w.row(ALL, ALL) for w in weeks]
    equality = [next(e for e in w.equality if e["programme"] == ALL) for w in weeks]
    return {
        "weeks": labels,
        "city_age_median_weeks": [_weeks(r["open_age_system_median_days"]) for r in city],
        "city_age_p90_weeks": [_weeks(r["open_age_system_p90_days"]) for r in city],
        "city_waiting": [r["waiting"] for r in city],
        "city_share_within_target": [_share(r["share_within_target"]) for r in city],
        "district_age_median_weeks": sorted(
            ({"district": d, "name": names.get(d, d), "values": v} for d, v in by_district.items()),
            key=lambda d: swedish_key(str(d["name"])),
        ),
        "age_median_ratio": [e["age_median_ratio"] for e in equality],
        "age_p90_ratio": [e["age_p90_ratio"] for e in equality],
        "age_median_cv": [e["age_median_cv"] for e in equality],
        "share_within_target_gap": [_share(e["share_within_target_gap"]) for e in equality],
    }
