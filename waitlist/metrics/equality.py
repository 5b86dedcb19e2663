"""Equality across districts, from published figures only (a hidden median never enters)."""

from __future__ import annotations

from collections.abc import Sequence

from waitlist.domain.stats import coefficient_of_variation, spread, wait_ratio
from waitlist.metrics.measures import ALL

Row = dict[str, object]

MEASURES = (("offer", "offer_wait_system"), ("age", "open_age_system"))
"""Waits compared: to a first offer (system-caused), and the age of open applications."""


def equality_rows(rows: Sequence[Row], programmes: Sequence[str]) -> list[Row]:
    """Per programme (and all programmes), across districts."""
    out: list[Row] = []
    for p in (*programmes, ALL):
        district_rows = [r for r in rows if r["programme"] == p and r["district"] != ALL]
        out.append({"programme": p, **equality(district_rows)})
    return out


def equality(district_rows: Sequence[Row]) -> Row:
    """Max/min ratio of the median waits and of the P90 waits (stats.wait_ratio: waits under a
    week count as a week), coefficient of variation of the medians, and the gap (max - min)
    in share offered within target."""
    out: Row = {}
    for short, column in MEASURES:
        medians = _published(district_rows, f"{column}_median_days")
        p90s = _published(district_rows, f"{column}_p90_days")
        out[f"{short}_districts"] = len(medians)
        out[f"{short}_median_ratio"] = _round(wait_ratio(medians))
        out[f"{short}_p90_ratio"] = _round(wait_ratio(p90s))
        out[f"{short}_median_cv"] = _round(coefficient_of_variation(medians))
    shares = _published(district_rows, "share_within_target")
    out["share_districts"] = len(shares)
    out["share_within_target_gap"] = _round(spread(shares))
    return out


def _published(rows: Sequence[Row], column: str) -> list[float]:
    return [float(v) for r in rows if isinstance(v := r.get(column), int | float)]


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)
