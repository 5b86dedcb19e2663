"""The simulated period seen through the management metrics (waitlist.metrics).

Each simulated application and group becomes the same plain record the live database gives
the metrics library, so the equality figures of a simulation are computed, suppressed and
defined exactly as on the management dashboard.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from waitlist.domain.stats import median, p90, spread, wait_ratio
from waitlist.metrics.compute import compute
from waitlist.metrics.measures import ALL
from waitlist.metrics.periods import Period
from waitlist.metrics.records import ApplicationHistory, Decline, GroupRecord
from waitlist.simulation.state import SimApp, SimGroup, SimState

_STATUS = {"enrolled": "enrolled", "placed": "enrolled", "withdrawn": "withdrawn"}


def application_history(app: SimApp, groups: dict[str, SimGroup]) -> ApplicationHistory:
    placed = app.status in ("enrolled", "placed")
    group = groups[app.group] if placed and app.group else None
    return ApplicationHistory(
        programme=app.arrival.programme,
        home_district=app.arrival.district,
        queue_date=app.arrival.queue_date,
        status=_STATUS.get(app.status, "waiting"),
        first_offer_on=app.first_offer,
        host_district=group.district if group else None,
        placed_on=app.accepted_on if placed else None,
        returned_on=None if placed else app.returned_on,
        group_start_on=group.start if group else None,
        # An application closed after repeated expiry leaves the queue like a withdrawal.
        withdrawn_on=app.ended if app.status in ("withdrawn", "expired") else None,
        declines=tuple(Decline(on=day, host_district=host) for day, host in app.declines),
        expiries=tuple(app.expiries),
    )


def group_record(group: SimGroup) -> GroupRecord:
    cancelled = group.status == "cancelled"
    return GroupRecord(
        district=group.district,
        programme=group.programme,
        start_on=group.start,
        status=group.status,
        capacity=group.capacity,
        enrolled=len(group.enrolled),
        cancelled_on=group.decided_on if cancelled else None,
        too_few=cancelled,
    )


def management_equality(
    state: SimState, cohort: list[str], start: date, end: date, *, target_weeks: int
) -> dict[str, Any]:
    """Equality across districts (all programmes) by the management metrics' definitions.

    Computed by waitlist.metrics.compute over the whole simulated period, without small-cell
    suppression: no real person is in a simulation, and suppression would hide most district
    totals of a synthetic year (the live report publishes quarters, suppressed).
    Medians: wait from queue date to the first offer, for waits the system caused.
    """
    apps = [application_history(state.apps[i], state.groups) for i in cohort]
    groups = [group_record(g) for g in state.groups.values()]
    period = Period(start, end, "period", f"{start.isoformat()}/{end.isoformat()}")
    fig = compute(apps, groups, period, target_weeks=target_weeks)
    medians, p90s, shares = [], [], []
    for d in fig.districts:
        sample = fig.sample(d, ALL, "offer_system")
        if sample:
            medians.append(float(median(sample) or 0))
            p90s.append(float(p90(sample) or 0))
        decided = fig.count(d, ALL, "target_decided")
        if decided:
            shares.append(fig.count(d, ALL, "within_target") / decided)
    return {
        "districts_compared": len(medians),
        "median_wait_ratio": _round(wait_ratio(medians)),
        "p90_wait_ratio": _round(wait_ratio(p90s)),
        "share_within_target_gap": _round(spread(shares)),
    }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)
