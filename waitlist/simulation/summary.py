"""The per-policy table: outcomes of every parent in the measured period."""

from __future__ import annotations

from datetime import date
from typing import Any

from waitlist.simulation.calibration import Calibration
from waitlist.simulation.state import SimState
from waitlist.simulation.stats import median_weeks, percentile_weeks, ratio_of_medians


def _r(x: float | None, digits: int = 1) -> float | None:
    return None if x is None else round(x, digits)


def district_waits(
    cal: Calibration, state: SimState, cohort: list[str], end: date
) -> dict[str, list[int]]:
    """Each district's waits in days: placed parents to the offer of their seat, parents still
    waiting to `end`; withdrawn and expired applications have none."""
    waits: dict[str, list[int]] = {d.slug: [] for d in cal.districts}
    for app_id in cohort:
        app = state.apps[app_id]
        if app.status in ("enrolled", "placed", "waiting", "offered"):
            waits[app.arrival.district].append(app.wait_days(end))
    return waits


def summarise(
    cal: Calibration, state: SimState, cohort: list[str], end: date, target_weeks: int
) -> dict[str, Any]:
    """Table row and per-district figures for one policy.

    Waits: queue date to the offer that gave a seat for placed parents; for parents still
    waiting at the end, the time waited so far (a lower bound). Withdrawn and expired
    applications count in the outcome columns but not in the wait figures.
    """
    outcome = {"placed": 0, "waiting": 0, "withdrawn": 0, "expired": 0}
    waits = district_waits(cal, state, cohort, end)
    placed_by: dict[str, int] = {d.slug: 0 for d in cal.districts}
    waiting_by: dict[str, int] = {d.slug: 0 for d in cal.districts}
    within = known = cross = travel = 0
    for app_id in cohort:
        app = state.apps[app_id]
        district = app.arrival.district
        if app.status in ("enrolled", "placed"):
            outcome["placed"] += 1
            placed_by[district] += 1
            wait = app.wait_days(end)
            known += 1
            within += wait <= 7 * target_weeks
            if app.cross_district:
                cross += 1
                travel += app.travel_minutes
        elif app.status in ("waiting", "offered"):
            outcome["waiting"] += 1
            waiting_by[district] += 1
            wait = app.wait_days(end)
            if wait > 7 * target_weeks:
                known += 1
        else:
            outcome[app.status] += 1
    started_by = {d.slug: 0 for d in cal.districts}
    cancelled_by = {d.slug: 0 for d in cal.districts}
    for g in state.groups.values():
        if g.decided_week is not None and g.decided_week >= cal.warmup_weeks:
            if g.status == "cancelled":
                cancelled_by[g.district] += 1
            else:
                started_by[g.district] += 1
    medians = {d: median_weeks(v) for d, v in waits.items()}
    everyone = [w for v in waits.values() for w in v]
    c = state.counters
    return {
        "arrivals_and_open": len(cohort),
        **outcome,
        "median_wait_weeks": _r(median_weeks(everyone)),
        "mean_wait_weeks": _r(sum(everyone) / len(everyone) / 7.0 if everyone else None),
        "p90_wait_weeks": _r(percentile_weeks(everyone, 90)),
        "max_min_ratio": _r(ratio_of_medians(medians), 2),
        "share_within_target": _r(within / known if known else None, 3),
        "groups_started": c.get("groups_started", 0),
        "groups_cancelled": c.get("groups_cancelled", 0),
        "groups_recommended": c.get("groups_recommended", 0),
        "cross_district_placements": cross,
        "mean_cross_district_travel_minutes": _r(travel / cross if cross else None),
        "offers_declined": c.get("declined", 0),
        "offers_expired": c.get("expired_offers", 0),
        "offers_refused_by_engine": c.get("offers_refused_by_engine", 0),
        "recommendations_rejected": c.get("recommendations_rejected", 0),
        "weeks_over_capacity": sum(1 for h in state.history if h.over_capacity),
        "by_district": {
            d: {
                "median_wait_weeks": _r(medians[d]),
                "p90_wait_weeks": _r(percentile_weeks(waits[d], 90)),
                "placed": placed_by[d],
                "waiting": waiting_by[d],
                "groups_started": started_by[d],
                "groups_cancelled": cancelled_by[d],
            }
            for d in sorted(waits)
        },
    }
