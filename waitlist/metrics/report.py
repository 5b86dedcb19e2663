"""The published report of one period: counts with small cells suppressed, statistics only
where their counts are shown, cross-district flows, and equality across districts."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from waitlist.domain.errors import InvalidInput
from waitlist.domain.stats import nearest_rank
from waitlist.metrics import tables
from waitlist.metrics.compute import Figures, compute_many
from waitlist.metrics.equality import equality_rows
from waitlist.metrics.measures import ALL, COUNTS, FLOW_PREFIX, GROUP_COUNTS, WAITS
from waitlist.metrics.periods import Period
from waitlist.metrics.records import ApplicationHistory, GroupRecord

Row = dict[str, object]
PUBLISHED_KINDS = ("quarter", "week")


@dataclass(frozen=True)
class Options:
    small_cell_min: int = 5
    target_weeks: int = 8


@dataclass
class Report:
    period: Period
    options: Options
    rows: list[Row] = field(default_factory=list)
    flows: list[Row] = field(default_factory=list)
    equality: list[Row] = field(default_factory=list)

    def row(self, district: str, programme: str) -> Row:
        key = (district, programme)
        return next(r for r in self.rows if (r["district"], r["programme"]) == key)


def build_report(
    applications: Sequence[ApplicationHistory],
    groups: Sequence[GroupRecord],
    period: Period,
    options: Options = Options(),
    *,
    districts: Iterable[str] = (),
    programmes: Iterable[str] = (),
) -> Report:
    """The published figures of one quarter (or ISO week)."""
    return build_reports(
        applications, groups, [period], options, districts=districts, programmes=programmes
    )[0]


def build_reports(
    applications: Sequence[ApplicationHistory],
    groups: Sequence[GroupRecord],
    periods: Sequence[Period],
    options: Options = Options(),
    *,
    districts: Iterable[str] = (),
    programmes: Iterable[str] = (),
) -> list[Report]:
    """Reports of disjoint quarters (or weeks), from one pass over the records.

    Published periods never overlap, so no figure is the difference of two others."""
    for p in periods:
        if p.kind not in PUBLISHED_KINDS:
            raise InvalidInput(
                f"period must be a quarter (a year is reported as its quarters), got {p.label}",
                field="period",
            )
    figs = compute_many(
        applications,
        groups,
        sorted(periods),
        districts=districts,
        programmes=programmes,
        target_weeks=options.target_weeks,
    )
    return [publish(f, tables.hidden_cells(f, options.small_cell_min), options) for f in figs]


def publish(fig: Figures, hidden: set[tables.Key], options: Options) -> Report:
    k = options.small_cell_min
    report = Report(fig.period, options)
    for d in (*fig.districts, ALL):
        for p in (*fig.programmes, ALL):
            report.rows.append(_row(fig, d, p, hidden, k))
    for h, m in tables.flow_measures(fig.districts):
        shown = (h, ALL, m) not in hidden
        n = fig.counts.get((h, ALL, m), 0)
        report.flows.append(
            {"from": h, "to": m.removeprefix(FLOW_PREFIX), "placements": n if shown else None}
        )
    report.equality = equality_rows(report.rows, fig.programmes)
    return report


def _row(fig: Figures, d: str, p: str, hidden: set[tables.Key], k: int) -> Row:
    row: Row = {"period": fig.period.label, "district": d, "programme": p}
    suppressed: list[str] = []

    def shown(measure: str) -> int | None:
        """The count if published and at least k (so statistics on it may be shown)."""
        if (d, p, measure) in hidden:
            return None
        n = fig.counts.get((d, p, measure), 0)
        return n if n >= k else None

    for m in COUNTS:
        if (d, p, m) in hidden:
            row[m] = None
            suppressed.append(m)
        else:
            row[m] = fig.counts.get((d, p, m), 0)
    for w in WAITS:
        values = fig.samples.get((d, p, w.sample), [])
        for q, percent in (("median", 50), ("p90", 90)):
            name = f"{w.name}_{q}_days"
            row[name] = nearest_rank(values, percent) if shown(w.base) else None
            if row[name] is None and values:
                suppressed.append(name)
    decided = fig.counts.get((d, p, "target_decided"), 0)
    trio = [(d, p, m) in hidden for m in ("target_decided", "within_target", "missed_target")]
    # A share with any one of its three counts shown gives the hidden ones away, so it is
    # shown only with all three shown, or all three hidden.
    if decided >= k and (not any(trio) or all(trio)):
        row["share_within_target"] = fig.counts[d, p, "within_target"] / decided
    else:
        row["share_within_target"] = None
        if decided:
            suppressed.append("share_within_target")
    capacity = fig.capacity.get((d, p), 0)
    if shown("enrolled") and capacity:
        row["fill_rate"] = fig.counts[d, p, "enrolled"] / capacity
    else:
        row["fill_rate"] = None
        if capacity:
            suppressed.append("fill_rate")
    for m in GROUP_COUNTS:
        row[m] = fig.group_counts.get((d, p, m), 0)
    row["suppressed"] = suppressed
    return row


def closed(period: Period, today: date) -> bool:
    """Only periods that have ended are published: an open period's figures change daily,
    and two days' figures differ by a count too small to show."""
    return period.end < today
