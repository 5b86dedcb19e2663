"""Median, 90th percentile and the max/min ratio of district medians.

The order statistics and the ratio are the management metrics' own (waitlist.metrics.stats:
nearest rank over whole days, max over min), so a simulated figure and a live one mean the
same thing. Waits are counted in days and shown in weeks.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from waitlist.metrics.stats import max_min_ratio, nearest_rank

RATIO_FLOOR_WEEKS = 1.0  # rounds are weekly: medians below a week are not told apart


def percentile_weeks(days: Sequence[int], percent: int) -> float | None:
    """Nearest-rank percentile of waits in days, in weeks; None for no waits."""
    value = nearest_rank(sorted(days), percent)
    return None if value is None else value / 7.0


def median_weeks(days: Sequence[int]) -> float | None:
    return percentile_weeks(days, 50)


def ratio_of_medians(medians: Mapping[str, float | None]) -> float | None:
    """Max over min of the district medians (weeks), each floored at one week."""
    known = [max(m, RATIO_FLOOR_WEEKS) for m in medians.values() if m is not None]
    return max_min_ratio(known)
