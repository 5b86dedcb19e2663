"""Raw (unsuppressed) figures per period, per district x programme and their margins.

Pure: plain records in, plain numbers out. Which district a figure belongs to:
applications, waits, declines and expiries to the parent's home district; `placed_in`,
groups and `enrolled` to the host district; `placed_out` to the home district.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from waitlist.metrics.measures import ALL, COUNTS, FLOW_PREFIX, GROUP_COUNTS, MEASURE_SUMS
from waitlist.metrics.periods import Period
from waitlist.metrics.records import DECLINE_REASONS, ApplicationHistory, GroupRecord

Cell = tuple[str, str]  # (district, programme)


@dataclass
class Figures:
    period: Period
    districts: tuple[str, ...]
    programmes: tuple[str, ...]
    counts: dict[tuple[str, str, str], int] = field(default_factory=dict)
    samples: dict[tuple[str, str, str], list[int]] = field(default_factory=dict)
    group_counts: dict[tuple[str, str, str], int] = field(default_factory=dict)
    capacity: dict[Cell, int] = field(default_factory=dict)

    def count(self, district: str, programme: str, measure: str) -> int:
        return self.counts.get((district, programme, measure), 0)

    def sample(self, district: str, programme: str, name: str) -> list[int]:
        return self.samples.get((district, programme, name), [])


class _Raw:
    """Accumulators at district x programme level, before margins."""

    def __init__(self) -> None:
        self.counts: dict[tuple[str, str, str], int] = defaultdict(int)
        self.samples: dict[tuple[str, str, str], list[int]] = defaultdict(list)
        self.groups: dict[tuple[str, str, str], int] = defaultdict(int)
        self.capacity: dict[Cell, int] = defaultdict(int)


def compute(
    applications: Iterable[ApplicationHistory],
    groups: Iterable[GroupRecord],
    period: Period,
    *,
    districts: Iterable[str] = (),
    programmes: Iterable[str] = (),
    target_weeks: int = 8,
) -> Figures:
    """Every count, sample and group figure of `period` (see docs/metrics.md)."""
    return compute_many(
        applications,
        groups,
        [period],
        districts=districts,
        programmes=programmes,
        target_weeks=target_weeks,
    )[0]


def compute_many(
    applications: Iterable[ApplicationHistory],
    groups: Iterable[GroupRecord],
    periods: Sequence[Period],
    *,
    districts: Iterable[str] = (),
    programmes: Iterable[str] = (),
    target_weeks: int = 8,
) -> list[Figures]:
    """Figures of several disjoint periods, sorted by start, in one pass over the records."""
    starts = [p.start for p in periods]
    ends = [p.end for p in periods]
    if any(a.end >= b.start for a, b in zip(periods, periods[1:], strict=False)):
        raise ValueError("periods must be sorted and disjoint")
    last = periods[-1].end

    def slot(day: date | None) -> int | None:
        if day is None or day > last:
            return None
        i = bisect_right(starts, day) - 1
        return i if i >= 0 and day <= periods[i].end else None

    raws = [_Raw() for _ in periods]
    seen_d, seen_p = set(districts), set(programmes)
    target = timedelta(weeks=target_weeks)
    for a in applications:
        h, p = a.home_district, a.programme
        seen_d.add(h)
        seen_p.add(p)
        if (i := slot(a.queue_date)) is not None:
            raws[i].counts[h, p, "new_applications"] += 1
        for i in range(bisect_left(ends, a.queue_date), len(periods)):
            per = periods[i]
            if a.open_at(per.end):
                kind = "chosen" if a.parent_chose_by(per.end) else "system"
                raws[i].counts[h, p, f"waiting_{kind}"] += 1
                raws[i].samples[h, p, f"age_{kind}"].append((per.end - a.queue_date).days)
        offer = a.first_offer_on
        if offer is not None and (i := slot(offer)) is not None:
            kind = "chosen" if a.chose_to_wait else "system"
            raws[i].counts[h, p, f"offered_{kind}"] += 1
            raws[i].samples[h, p, f"offer_{kind}"].append((offer - a.queue_date).days)
        # Every accepted offer counts; a start only if the group ran (not cancelled).
        for placement in a.placements:
            begin = placement.group_start_on
            if placement.started and begin is not None and (i := slot(begin)) is not None:
                kind = "chosen" if a.parent_chose_by(begin) else "system"
                raws[i].counts[h, p, f"started_{kind}"] += 1
                raws[i].samples[h, p, f"start_{kind}"].append((begin - a.queue_date).days)
            host = placement.host_district
            if host is not None and host != h and (i := slot(placement.on)) is not None:
                seen_d.add(host)
                raws[i].counts[host, p, "placed_in"] += 1
                raws[i].counts[h, p, "placed_out"] += 1
                raws[i].counts[h, ALL, FLOW_PREFIX + host] += 1
        if not a.chose_to_wait and (decision := _target_decision(a, target)) is not None:
            if (i := slot(decision[0])) is not None:
                raws[i].counts[h, p, decision[1]] += 1
        for d in a.declines:
            if (i := slot(d.on)) is not None:
                reason = d.reason if d.reason in DECLINE_REASONS else "other"
                raws[i].counts[h, p, f"declined_{reason}"] += 1
        for day in a.expiries:
            if (i := slot(day)) is not None:
                raws[i].counts[h, p, "expired"] += 1

    for g in groups:
        seen_d.add(g.district)
        seen_p.add(g.programme)
        if g.started and (i := slot(g.start_on)) is not None:
            raws[i].groups[g.district, g.programme, "groups_started"] += 1
            raws[i].counts[g.district, g.programme, "enrolled"] += g.enrolled
            raws[i].capacity[g.district, g.programme] += g.capacity
        if g.status == "cancelled" and g.too_few:
            if (i := slot(g.cancelled_on or g.start_on)) is not None:
                raws[i].groups[g.district, g.programme, "groups_cancelled_too_few"] += 1

    ds, ps = tuple(sorted(seen_d)), tuple(sorted(seen_p))
    return [_figures(per, ds, ps, raw) for per, raw in zip(periods, raws, strict=True)]


def _target_decision(a: ApplicationHistory, target: timedelta) -> tuple[date, str] | None:
    """Each application is decided once: on its first offer if that came within the target,
    else on the first day past the target. Withdrawn by the target day: never decided."""
    deadline = a.queue_date + target
    offer = a.first_offer_on
    if offer is not None and offer <= deadline:
        return offer, "within_target"
    if a.withdrawn_on is not None and a.withdrawn_on <= deadline:
        return None
    return deadline + timedelta(days=1), "missed_target"


def _figures(period: Period, ds: tuple[str, ...], ps: tuple[str, ...], raw: _Raw) -> Figures:
    """Add the sums (district totals, programme totals, city) and every derived whole."""
    fig = Figures(period, ds, ps)
    counts = raw.counts
    for d in ds:
        for p in ps:
            for whole, parts in MEASURE_SUMS:
                counts[d, p, whole] = sum(counts.get((d, p, x), 0) for x in parts)
    for (d, p, m), v in counts.items():
        if p == ALL:  # flows are kept at programme level ALL only
            fig.counts[d, ALL, m] = fig.counts.get((d, ALL, m), 0) + v
            continue
        for key in ((d, p, m), (d, ALL, m), (ALL, p, m), (ALL, ALL, m)):
            fig.counts[key] = fig.counts.get(key, 0) + v
    for (d, p, m), v in raw.groups.items():
        for key in ((d, p, m), (d, ALL, m), (ALL, p, m), (ALL, ALL, m)):
            fig.group_counts[key] = fig.group_counts.get(key, 0) + v
    for (d, p), v in raw.capacity.items():
        for cell in ((d, p), (d, ALL), (ALL, p), (ALL, ALL)):
            fig.capacity[cell] = fig.capacity.get(cell, 0) + v
    for (d, p, m), values in raw.samples.items():
        for key in ((d, p, m), (d, ALL, m), (ALL, p, m), (ALL, ALL, m)):
            fig.samples.setdefault(key, []).extend(values)
    for values in fig.samples.values():
        values.sort()
    for d in (*ds, ALL):
        for p in (*ps, ALL):
            for m in COUNTS:
                fig.counts.setdefault((d, p, m), 0)
            for m in GROUP_COUNTS:
                fig.group_counts.setdefault((d, p, m), 0)
    return fig
