"""Median, 90th percentile and the max/min ratio of district medians.

The order statistics and the ratio are the management metrics' own (waitlist.domain.stats:
nearest rank over whole days; `wait_ratio`, max over min with waits under a week counted as a
week), so a simulated figure and a live one mean the
same thing. Waits are counted in days and shown in weeks.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from waitlist.domain.stats import nearest_rank, wait_ratio


def percentile_weeks(days: Sequence[int], percent: int) -> float | None:
    """Nearest-rank percentile of waits in days, in weeks; None for no waits."""
    value = nearest_rank(sorted(days), percent)
    return None if value is None else value / 7.0


def median_weeks(days: Sequence[int]) -> float | None:
    return percentile_weeks(days, 50)


def ratio_of_medians(medians: Mapping[str, float | None]) -> float | None:
    """Max over min of the district medians (weeks), by the one definition (wait_ratio)."""
    return wait_ratio(medians.values(), week=1.0)
