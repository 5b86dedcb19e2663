"""The simulated period seen through the management metrics (waitlist.metrics).

Each simulated application and group becomes the same plain record the live database gives
the metrics library, so the equality figures of a simulation are computed, suppressed and
defined exactly as on the management dashboard.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from waitlist.metrics import tables
from waitlist.metrics.compute import compute
from waitlist.metrics.measures import ALL
from waitlist.metrics.periods import Period
from waitlist.metrics.records import ApplicationHistory, Decline, GroupRecord
from waitlist.metrics.report import Options, publish
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
    """Equality across districts for all programmes, as the management report computes it."""
    apps = [application_history(state.apps[i], state.groups) for i in cohort]
    groups = [group_record(g) for g in state.groups.values()]
    # The whole simulated period at once (the live report publishes quarters only, so that no
    # figure is the difference of two others; simulated parents are not real people).
    period = Period(start, end, "period", f"{start.isoformat()}/{end.isoformat()}")
    options = Options(target_weeks=target_weeks)
    fig = compute(apps, groups, period, target_weeks=target_weeks)
    report = publish(fig, tables.hidden_cells(fig, options.small_cell_min), options)
    row = next(r for r in report.equality if r["programme"] == ALL)
    return {k: v for k, v in row.items() if k != "programme"}
