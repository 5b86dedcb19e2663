"""Equality across districts, from published figures only (a hidden median never enters)."""

from __future__ import annotations

from collections.abc import Sequence

from waitlist.metrics.measures import ALL
from waitlist.metrics.stats import coefficient_of_variation, max_min_ratio, spread

Row = dict[str, object]


def equality_rows(rows: Sequence[Row], programmes: Sequence[str]) -> list[Row]:
    """Per programme (and all programmes): max/min ratio of median and of P90 waits to a first
    offer, coefficient of variation of the medians, and the gap in share within target."""
    out: list[Row] = []
    for p in (*programmes, ALL):
        district_rows = [r for r in rows if r["programme"] == p and r["district"] != ALL]
        out.append({"programme": p, **equality(district_rows)})
    return out


def equality(district_rows: Sequence[Row]) -> Row:
    medians = _published(district_rows, "offer_wait_system_median_days")
    p90s = _published(district_rows, "offer_wait_system_p90_days")
    shares = _published(district_rows, "share_within_target")
    return {
        "districts_compared": len(medians),
        "median_wait_ratio": _round(max_min_ratio(medians)),
        "p90_wait_ratio": _round(max_min_ratio(p90s)),
        "median_wait_cv": _round(coefficient_of_variation(medians)),
        "share_within_target_gap": _round(spread(shares)),
        "districts_compared_share": len(shares),
    }


def _published(rows: Sequence[Row], column: str) -> list[float]:
    return [float(v) for r in rows if isinstance(v := r.get(column), int | float)]


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)
