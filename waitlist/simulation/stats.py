"""Median, 90th percentile and the max/min ratio of district medians."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

RATIO_FLOOR_WEEKS = 1.0  # rounds are weekly: medians below a week are not told apart


def percentile(values: Sequence[float], q: float) -> float | None:
    """Linear-interpolated percentile (q in 0..100); None for no values."""
    if not values:
        return None
    xs = sorted(values)
    pos = (len(xs) - 1) * q / 100.0
    lo, hi = math.floor(pos), math.ceil(pos)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


def median(values: Sequence[float]) -> float | None:
    return percentile(values, 50)


def ratio_of_medians(medians: Mapping[str, float | None]) -> float | None:
    """Max over min of the district medians, the min floored at one week."""
    known = [m for m in medians.values() if m is not None]
    if len(known) < 2:
        return None
    return max(known) / max(min(known), RATIO_FLOOR_WEEKS)
