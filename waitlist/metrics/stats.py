"""Order statistics and spread, defined exactly as in docs/metrics.md."""

from __future__ import annotations

import math
from collections.abc import Sequence


def nearest_rank(sorted_values: Sequence[int], percent: int) -> int | None:
    """The nearest-rank percentile: the value at rank ceil(percent/100 * n), 1-based.

    Always an observed value (no interpolation); None for an empty sample.
    `sorted_values` must be sorted ascending.
    """
    n = len(sorted_values)
    if n == 0:
        return None
    if not 0 < percent <= 100:
        raise ValueError(f"percent must be in 1..100, got {percent}")
    rank = max(1, -(-percent * n // 100))  # integer ceiling: exact, no float rounding
    return sorted_values[rank - 1]


def median(sorted_values: Sequence[int]) -> int | None:
    """P50 by nearest rank: the lower of the two middle values when n is even."""
    return nearest_rank(sorted_values, 50)


def p90(sorted_values: Sequence[int]) -> int | None:
    return nearest_rank(sorted_values, 90)


def max_min_ratio(values: Sequence[float]) -> float | None:
    """max / min over at least two values; None when undefined (fewer, or min is 0)."""
    if len(values) < 2 or min(values) <= 0:
        return None
    return max(values) / min(values)


def coefficient_of_variation(values: Sequence[float]) -> float | None:
    """Population standard deviation / mean over at least two values; None if mean is 0."""
    if len(values) < 2:
        return None
    mean = sum(values) / len(values)
    if mean <= 0:
        return None
    variance = sum((v - mean) ** 2 for v in values) / len(values)
    return math.sqrt(variance) / mean


def spread(values: Sequence[float]) -> float | None:
    """max - min over at least two values."""
    if len(values) < 2:
        return None
    return max(values) - min(values)
