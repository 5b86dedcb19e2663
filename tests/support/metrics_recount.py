"""A second, plain route to a quarter's figures: straight from the raw audit events, with no
code of `waitlist.metrics` (definitions as in docs/metrics.md), and a comparison of every
published figure of a report with it.

Run against a database to measure: `python -m tests.support.metrics_recount URL 2026-Q3`.
"""

from __future__ import annotations

import json
import math
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa

ALL = "all"
REASONS = ("time", "language", "distance", "other", "unspecified")


@dataclass
class App:
    home: str
    programme: str
    queued: date
    offers: list[date] = field(default_factory=list)
    accepted: list[tuple[date, str]] = field(default_factory=list)  # (day, group id)
    returns: list[date] = field(default_factory=list)
    declines: list[tuple[date, str]] = field(default_factory=list)
    expiries: list[date] = field(default_factory=list)
    withdrawn: date | None = None
    chose: bool = False


@dataclass
class Grp:
    district: str
    programme: str
    start: date
    capacity: int
    ran: bool = False
    taken_at_start: int = 0
    cancelled_too_few: date | None = None


def _day(at: Any) -> date:
    if isinstance(at, str):
        at = datetime.fromisoformat(at)
    return at.date() if isinstance(at, datetime) else at


def _json(value: Any) -> dict[str, Any]:
    if value is None:
        return {}
    return json.loads(value) if isinstance(value, str) else dict(value)


def read_history(engine: sa.Engine) -> tuple[dict[str, App], dict[str, Grp]]:
    """Every application and group as the audit events tell it, in the order they happened."""
    apps: dict[str, App] = {}
    groups: dict[str, Grp] = {}
    query = sa.text(
        "SELECT at, entity, entity_id, action, before, after, district, programme "
        "FROM event ORDER BY at, id"
    )
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    for at, entity, key, action, before, after, district, programme in rows:
        day, before, after = _day(at), _json(before), _json(after)
        if entity == "application":
            if action == "applied":
                queued = date.fromisoformat(after["queue_date"])
                apps[key] = App(district, programme, queued)
            elif key in apps and action == "withdrawn":
                apps[key].withdrawn = day
            elif key in apps and action == "returned_to_queue":
                apps[key].returns.append(day)
            elif key in apps and action == "chose_to_wait":
                apps[key].chose = True
        elif entity == "offer":
            app = apps.get(str(after.get("application_id")))
            if app is None:
                continue
            if action == "offer_made":
                app.offers.append(day)
            elif action == "accepted":
                app.accepted.append((day, str(after["group_id"])))
            elif action == "declined":
                app.declines.append((day, after.get("decline_reason") or "unspecified"))
            elif action == "expired":
                app.expiries.append(day)
        elif entity == "group" and "status" in after:
            g = groups.get(key)
            if g is None:
                g = groups[key] = Grp(
                    after["district"],
                    after["programme"],
                    date.fromisoformat(after["start"]),
                    int(after["capacity"]),
                )
            if "start" in after:
                g.start = date.fromisoformat(after["start"])
            if after["status"] == "running" and not g.ran:
                g.ran, g.taken_at_start = True, int(after.get("taken", 0))
            if action == "group_cancelled" and before.get("taken", 0) < before.get("min_size", 1):
                g.cancelled_too_few = day
    return apps, groups


def _rank(values: list[int], q: int) -> int | None:
    """Nearest-rank percentile, written out again."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[math.ceil(q * len(ordered) / 100) - 1]


@dataclass
class Truth:
    counts: dict[tuple[str, str, str], int]
    samples: dict[tuple[str, str, str], list[int]]
    groups: dict[tuple[str, str, str], int]
    capacity: dict[tuple[str, str], int]
    flows: dict[tuple[str, str], int]


def recount(
    apps: dict[str, App], groups: dict[str, Grp], start: date, end: date, target_weeks: int = 8
) -> Truth:
    """Every count, sample and group figure of the quarter [start, end], with its margins."""
    counts: dict[tuple[str, str, str], int] = defaultdict(int)
    samples: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    gcounts: dict[tuple[str, str, str], int] = defaultdict(int)
    capacity: dict[tuple[str, str], int] = defaultdict(int)
    flows: dict[tuple[str, str], int] = defaultdict(int)

    def inside(day: date | None) -> bool:
        return day is not None and start <= day <= end

    def add(d: str, p: str, m: str, n: int = 1) -> None:
        for dd in (d, ALL):
            for pp in (p, ALL):
                counts[dd, pp, m] += n

    def sample(d: str, p: str, m: str, value: int) -> None:
        for dd in (d, ALL):
            for pp in (p, ALL):
                samples[dd, pp, m].append(value)

    for a in apps.values():
        h, p = a.home, a.programme
        if inside(a.queued):
            add(h, p, "new_applications")
        held = sum(day <= end for day, _ in a.accepted) - sum(day <= end for day in a.returns)
        gone = a.withdrawn is not None and a.withdrawn <= end
        if a.queued <= end and not gone and held == 0:
            kind = "chosen" if a.chose or any(d <= end for d, _ in a.declines) else "system"
            add(h, p, f"waiting_{kind}")
            add(h, p, "waiting")
            sample(h, p, f"age_{kind}", (end - a.queued).days)
        first = min(a.offers) if a.offers else None
        if inside(first):
            assert first is not None
            kind = "chosen" if a.chose else "system"
            add(h, p, f"offered_{kind}")
            add(h, p, "offered")
            sample(h, p, f"offer_{kind}", (first - a.queued).days)
        for day, gid in a.accepted:
            g = groups[gid]
            if g.ran and inside(g.start):
                kind = "chosen" if a.chose or any(d <= g.start for d, _ in a.declines) else "system"
                add(h, p, f"started_{kind}")
                add(h, p, "started")
                sample(h, p, f"start_{kind}", (g.start - a.queued).days)
            if g.district != h and inside(day):
                add(g.district, p, "placed_in")
                add(h, p, "placed_out")
                flows[h, g.district] += 1
        deadline = a.queued + timedelta(weeks=target_weeks)
        if not a.chose:
            if first is not None and first <= deadline:
                decided: tuple[date, str] | None = (first, "within_target")
            elif a.withdrawn is not None and a.withdrawn <= deadline:
                decided = None
            else:
                decided = (deadline + timedelta(days=1), "missed_target")
            if decided and inside(decided[0]):
                add(h, p, decided[1])
                add(h, p, "target_decided")
        for day, reason in a.declines:
            if inside(day):
                add(h, p, f"declined_{reason if reason in REASONS else 'other'}")
                add(h, p, "declined")
        for day in a.expiries:
            if inside(day):
                add(h, p, "expired")
    for g in groups.values():
        if g.ran and inside(g.start):
            add(g.district, g.programme, "enrolled", g.taken_at_start)
            for d in (g.district, ALL):
                for p in (g.programme, ALL):
                    gcounts[d, p, "groups_started"] += 1
                    capacity[d, p] += g.capacity
        if inside(g.cancelled_too_few):
            for d in (g.district, ALL):
                for p in (g.programme, ALL):
                    gcounts[d, p, "groups_cancelled_too_few"] += 1
    return Truth(counts, samples, gcounts, capacity, flows)


WAITS = {
    "offer_wait_system": "offer_system",
    "offer_wait_chosen": "offer_chosen",
    "start_wait_system": "start_system",
    "start_wait_chosen": "start_chosen",
    "open_age_system": "age_system",
    "open_age_chosen": "age_chosen",
}


@dataclass
class Comparison:
    compared: int = 0
    differences: list[str] = field(default_factory=list)
    small_shown: list[str] = field(default_factory=list)


def compare(report: Any, truth: Truth, k: int) -> Comparison:
    """Every figure the report publishes against the plain recount; and every shown count
    that stands for 1..k-1 people."""
    out = Comparison()

    def check(where: str, shown: Any, true: Any) -> None:
        out.compared += 1
        if isinstance(shown, float) and true is not None:
            same = math.isclose(shown, true)
        else:
            same = shown == true
        if not same:
            out.differences.append(f"{where}: published {shown}, true {true}")

    for row in report.rows:
        d, p = row["district"], row["programme"]
        for column, shown in row.items():
            if column in ("period", "district", "programme", "suppressed") or shown is None:
                continue
            where = f"{d}/{p} {column}"
            if column.startswith("groups_"):
                check(where, shown, truth.groups.get((d, p, column), 0))
            elif column == "share_within_target":
                decided = truth.counts.get((d, p, "target_decided"), 0)
                within = truth.counts.get((d, p, "within_target"), 0)
                check(where, shown, within / decided if decided else None)
            elif column == "fill_rate":
                cap = truth.capacity.get((d, p), 0)
                enrolled = truth.counts.get((d, p, "enrolled"), 0)
                check(where, shown, enrolled / cap if cap else None)
            elif column.endswith(("_median_days", "_p90_days")):
                name, q = column.rsplit("_", 2)[0], 50 if "_median_" in column else 90
                check(where, shown, _rank(truth.samples.get((d, p, WAITS[name]), []), q))
            else:
                true = truth.counts.get((d, p, column), 0)
                check(where, shown, true)
                if 0 < true < k:
                    out.small_shown.append(f"{where}: shown {shown}, stands for {true}")
    for flow in report.flows:
        shown, true = flow["placements"], truth.flows.get((flow["from"], flow["to"]), 0)
        if shown is None:
            continue
        check(f"flow {flow['from']}->{flow['to']}", shown, true)
        if 0 < true < k:
            out.small_shown.append(f"flow {flow['from']}->{flow['to']}: stands for {true}")
    return out


def published(inputs: Any, periods: list[Any], k: int) -> list[Any]:
    """The reports of `periods` as published from the loaded `inputs`
    (waitlist.metrics.load), cells of fewer than `k` people suppressed."""
    from waitlist.metrics.report import Options, build_reports

    return build_reports(
        inputs.applications,
        inputs.groups,
        periods,
        Options(small_cell_min=k),
        districts=inputs.districts,
        programmes=inputs.programmes,
    )


def main(url: str, label: str, k: int = 5) -> None:
    from waitlist.metrics.load import load_inputs
    from waitlist.metrics.periods import parse_period

    engine = sa.create_engine(url)
    period = parse_period(label)
    [report] = published(load_inputs(engine), [period], k)
    apps, groups = read_history(engine)
    result = compare(report, recount(apps, groups, period.start, period.end), k)
    print(
        f"{label}: {result.compared} published figures compared, "
        f"{len(result.differences)} differ, {len(result.small_shown)} shown cells stand for "
        f"1-{k - 1} people"
    )
    for line in [*result.differences, *result.small_shown][:40]:
        print("  " + line)


if __name__ == "__main__":
    main(*sys.argv[1:3], *(int(a) for a in sys.argv[3:4]))
