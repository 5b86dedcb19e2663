"""Median, 90th percentile and the max/min ratio of district medians.

The order statistics and the ratio are the management metrics' own (waitlist.domain.stats:
nearest rank over whole days; `wait_ratio`, max over min with waits under a week counted as a
week), so a simulated figure and a live one mean the
same thing. Waits are counted in days and shown in weeks.
"""

from __future__ import annotations

import random
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


def equal_access_ratios(
    waits: Mapping[str, Sequence[int]], *, draws: int = 2000, seed: int = 0
) -> list[float]:
    """The ratio of district medians a city with equal access would show, `draws` times.

    `waits`: each district's waits in days. In each draw every district's parents, as many as
    it has, are drawn again (with replacement) from the whole city's waits, so no district
    waits differently from another except by chance; the ratio is then taken as above.
    Returns the ratios sorted, smallest first; the same `seed` gives the same ratios.
    """
    pooled = [w for district in sorted(waits) for w in waits[district]]
    sizes = [len(waits[district]) for district in sorted(waits) if waits[district]]
    if not pooled:
        return []
    rng = random.Random(seed)
    ratios = []
    for _ in range(draws):
        medians = {str(i): median_weeks(rng.choices(pooled, k=n)) for i, n in enumerate(sizes)}
        ratio = ratio_of_medians(medians)
        if ratio is not None:
            ratios.append(ratio)
    return sorted(ratios)
