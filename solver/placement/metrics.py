"""The objective's parts and the equality figures of one placement result."""

from __future__ import annotations

import math
import statistics
from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import Any

from solver.placement.model import PlacementData
from solver.types import Offer, PlacementObjective


def placement_metrics(
    data: PlacementData,
    offers: Sequence[Offer],
    placed: dict[int, int],
    travel: dict[tuple[int, int], int],
) -> tuple[PlacementObjective, dict[str, dict[str, Any]]]:
    """The objective of `offers` (made to `placed`: application -> group index) and the
    equality figures."""
    objective = PlacementObjective.count(offers, data.groups, len(data.apps))
    return objective, equality(data, placed, {a: travel.get((a, g), 0) for a, g in placed.items()})


def equality(
    data: PlacementData, placed: dict[int, int], minutes: dict[int, int]
) -> dict[str, dict[str, Any]]:
    """Per district and overall: waiting, placed, cross-district in/out, waits of the placed."""
    waits: dict[str, list[float]] = defaultdict(list)
    rows: dict[str, Counter[str]] = defaultdict(Counter)
    for a, app in enumerate(data.apps):
        row = rows[app.district]
        row["waiting"] += 1
        if a in placed:
            row["placed"] += 1
            waits[app.district].append(data.waited_days[a] / 7)
            host = data.groups[placed[a]].district
            if host != app.district:
                row["cross_out"] += 1
                rows[host]["cross_in"] += 1
    by_district: dict[str, Any] = {}
    for slug in sorted(rows):
        row = rows[slug]
        by_district[slug] = {
            "waiting": row["waiting"],
            "placed": row["placed"],
            "cross_in": row["cross_in"],
            "cross_out": row["cross_out"],
            "median_wait_weeks_placed": _round(_median(waits[slug])),
        }
    everyone = sorted(w for ws in waits.values() for w in ws)
    medians = [statistics.median(ws) for ws in waits.values() if ws]
    cross = [minutes[a] for a in placed if data.groups[placed[a]].district != data.apps[a].district]
    overall = {
        "waiting": len(data.apps),
        "placed": len(placed),
        "cross_district_share": _round(len(cross) / len(placed)) if placed else 0,
        "median_wait_weeks_placed": _round(_median(everyone)),
        "p90_wait_weeks_placed": _round(_percentile(everyone, 0.9)),
        "district_median_ratio": _round(max(medians) / min(medians))
        if medians and min(medians) > 0
        else None,
        "mean_travel_minutes": _round(sum(minutes.values()) / len(placed)) if placed else 0,
    }
    return {"by_district": by_district, "overall": overall}


def _median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def _percentile(sorted_values: list[float], q: float) -> float | None:
    """Nearest-rank percentile."""
    if not sorted_values:
        return None
    return sorted_values[max(0, math.ceil(q * len(sorted_values)) - 1)]


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 2)
