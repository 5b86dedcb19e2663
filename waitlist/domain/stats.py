"""Order statistics, spread and the equality ratio, defined exactly as in docs/metrics.md.

Pure arithmetic shared by the metrics, the simulation and the solver's explanations."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence


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


WAIT_FLOOR_DAYS = 7
"""In a ratio of waits, a wait shorter than one week counts as one week: offers are made in
weekly rounds, so shorter waits cannot be told apart, and a district that offers within days
must not make the ratio explode (or, at 0 days, undefined)."""


def wait_ratio(waits: Iterable[float | None], *, week: float = WAIT_FLOOR_DAYS) -> float | None:
    """Longest over shortest of the known waits (e.g. district medians), each wait under one
    week counted as one week; None with fewer than two known waits.

    THE equality ratio of the project (docs/metrics.md): the management metrics, the
    simulation and the recommender's explanations all call it. `week` is one week in the
    unit of `waits`: 7 for days (the default), 1 for weeks.
    """
    floored = [max(float(w), week) for w in waits if w is not None]
    if len(floored) < 2:
        return None
    return max(floored) / min(floored)


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
