"""Figures recorded after every round: who waits, the equality ratio, seat checks."""

from __future__ import annotations

from datetime import date

from waitlist.simulation.calibration import Calibration
from waitlist.simulation.state import SimState, WeekStats
from waitlist.simulation.stats import median_weeks, ratio_of_medians

WINDOW_WEEKS = 13  # the equality ratio over the weeks looks back one quarter


def week_stats(state: SimState, week: int, today: date, offers: int, cal: Calibration) -> WeekStats:
    """Median wait per district over the last quarter's accepted offers and everyone waiting."""
    waits: dict[str, list[int]] = {d.slug: [] for d in cal.districts}
    for accepted_week, district, wait in reversed(state.accepted):
        if accepted_week <= week - WINDOW_WEEKS:
            break
        waits[district].append(wait)
    waiting = 0
    for app in state.apps.values():
        if app.status in ("waiting", "offered"):
            waiting += 1
            waits[app.arrival.district].append(app.wait_days(today))
    medians = {d: median_weeks(v) for d, v in waits.items()}
    over = sum(1 for g in state.groups.values() if g.taken > g.capacity)
    placed = sum(1 for a in state.apps.values() if a.status in ("enrolled", "placed"))
    return WeekStats(
        week=week,
        day=today,
        waiting=waiting,
        placed=placed,
        offers=offers,
        equality_ratio=ratio_of_medians(medians),
        medians=medians,
        over_capacity=over,
    )
