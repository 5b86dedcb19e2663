"""Weekly snapshots rebuilt from the audit history (the `event` table), never from counters.

The events are replayed in order; at the end of each ISO week the applications and groups
are exactly as they were known then, and the week's figures are computed from that state
alone. Events are only ever appended, so a past week's figures never change when today's
data does. A snapshot publishes stocks (number waiting) and statistics, never counts of a
week's flows: weeks straddle quarters, and a quarter minus its whole weeks would leave a
few days' count (see docs/metrics.md).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any

from waitlist.metrics import tables
from waitlist.metrics.compute import Figures, compute
from waitlist.metrics.measures import GROUP_COUNTS, STATISTICS
from waitlist.metrics.periods import Period, week_of
from waitlist.metrics.records import (
    UNSPECIFIED,
    ApplicationHistory,
    Decline,
    GroupRecord,
    Placement,
)
from waitlist.metrics.report import Options, Report, publish

SNAPSHOT_COLUMNS = ("period", "district", "programme", "waiting", *STATISTICS, *GROUP_COUNTS)


@dataclass(frozen=True)
class AuditEvent:
    """One row of the audit history, as plain data (see waitlist.storage.record_tables)."""

    id: int
    at: datetime
    entity: str
    entity_id: str
    action: str
    before: Mapping[str, Any] | None = None
    after: Mapping[str, Any] | None = None
    district: str | None = None
    programme: str | None = None


@dataclass
class Replay:
    """The state of every application and group after the events applied so far."""

    apps: dict[str, ApplicationHistory] = field(default_factory=dict)
    groups: dict[str, GroupRecord] = field(default_factory=dict)
    group_of_offer: dict[str, str] = field(default_factory=dict)
    # Which placements (application, index into its placements) each group holds.
    members: dict[str, list[tuple[str, int]]] = field(default_factory=dict)

    def apply(self, ev: AuditEvent) -> None:
        day = ev.at.date()
        after = ev.after or {}
        if ev.entity == "application":
            self._application(ev, day, after)
        elif ev.entity == "offer":
            self._offer(ev, day, after)
        elif ev.entity == "group":
            self._group(ev, day, after)

    def _application(self, ev: AuditEvent, day: date, after: Mapping[str, Any]) -> None:
        key = ev.entity_id
        if ev.action == "applied":
            queued = date.fromisoformat(after.get("queue_date", day.isoformat()))
            self.apps[key] = ApplicationHistory(
                programme=ev.programme or "", home_district=ev.district or "", queue_date=queued
            )
            return
        app = self.apps.get(key)
        status = after.get("status")
        if app is None or status is None:
            if app is not None and ev.action == "chose_to_wait":
                self.apps[key] = replace(app, chose_to_wait=True)
            return
        before = (ev.before or {}).get("status")
        changes: dict[str, Any] = {"status": status}
        if status == "withdrawn":
            changes["withdrawn_on"] = day
        elif status == "waiting" and before == "enrolled" and app.placements:
            *held, last = app.placements
            changes["placements"] = (*held, replace(last, returned_on=day))
        self.apps[key] = replace(app, **changes)

    def _offer(self, ev: AuditEvent, day: date, after: Mapping[str, Any]) -> None:
        app_key = str(after.get("application_id"))
        app = self.apps.get(app_key)
        if app is None:
            return
        if ev.action == "offer_made":
            self.group_of_offer[ev.entity_id] = str(after.get("group_id"))
            if app.first_offer_on is None:
                self.apps[app_key] = replace(app, first_offer_on=day)
        elif ev.action == "accepted":
            group_key = str(after.get("group_id"))
            group = self.groups.get(group_key)
            placement = Placement(
                day,
                ev.district or (group.district if group else None),
                group.start_on if group else None,
                started=bool(group and group.started),
            )
            self.members.setdefault(group_key, []).append((app_key, len(app.placements)))
            self.apps[app_key] = replace(app, placements=(*app.placements, placement))
        elif ev.action == "declined":
            reason = after.get("decline_reason") or UNSPECIFIED
            decline = Decline(day, reason, ev.district)
            self.apps[app_key] = replace(app, declines=(*app.declines, decline))
        elif ev.action == "expired":
            self.apps[app_key] = replace(app, expiries=(*app.expiries, day))

    def _group(self, ev: AuditEvent, day: date, after: Mapping[str, Any]) -> None:
        key = ev.entity_id
        old = self.groups.get(key)
        if "status" not in after:
            return
        status = after["status"]
        start = date.fromisoformat(after["start"]) if "start" in after else None
        group = GroupRecord(
            district=after.get("district", ev.district or ""),
            programme=after.get("programme", ev.programme or ""),
            start_on=start or (old.start_on if old else day),
            status=status,
            capacity=int(after.get("capacity", old.capacity if old else 0)),
            enrolled=old.enrolled if old else 0,
            cancelled_on=old.cancelled_on if old else None,
            too_few=old.too_few if old else False,
        )
        if status == "running" and (old is None or old.status != "running"):
            group = replace(group, enrolled=int(after.get("taken", 0)))
        if group.started != (old is not None and old.started):
            self._mark_started(key, group.started)
        if status == "cancelled" and (old is None or old.status != "cancelled"):
            before = ev.before or {}
            short = int(before.get("taken", 0)) < int(before.get("min_size", 1))
            group = replace(group, cancelled_on=day, too_few=short)
        self.groups[key] = group

    def _mark_started(self, group_key: str, started: bool) -> None:
        for app_key, n in self.members.get(group_key, ()):
            app = self.apps.get(app_key)
            if app is not None and n < len(app.placements):
                seats = list(app.placements)
                seats[n] = replace(seats[n], started=started)
                self.apps[app_key] = replace(app, placements=tuple(seats))


def replay(events: Iterable[AuditEvent]) -> Replay:
    state = Replay()
    for ev in sorted(events, key=lambda e: (e.at, e.id)):
        state.apply(ev)
    return state


def weekly_snapshots(
    events: Iterable[AuditEvent],
    weeks: Sequence[Period],
    options: Options = Options(),
    *,
    districts: Iterable[str] = (),
    programmes: Iterable[str] = (),
) -> list[Report]:
    """One report per week, each from the state at the end of that week; only the
    snapshot columns are kept (no flow counts)."""
    ordered = sorted(events, key=lambda e: (e.at, e.id))
    state, i, out = Replay(), 0, []
    ds, ps = tuple(districts), tuple(programmes)
    for week in sorted(weeks):
        cutoff = datetime.combine(week.end + timedelta(days=1), datetime.min.time())
        while i < len(ordered) and ordered[i].at < cutoff:
            state.apply(ordered[i])
            i += 1
        fig = compute(
            state.apps.values(),
            state.groups.values(),
            week,
            districts=ds,
            programmes=ps,
            target_weeks=options.target_weeks,
        )
        out.append(_snapshot(fig, options))
    return out


def _snapshot(fig: Figures, options: Options) -> Report:
    """Only the number waiting is published as a count, so only it needs complementary
    suppression; a statistic needs at least k people under it (their number is not shown)."""
    hidden = tables.family_hidden(fig, options.small_cell_min, "waiting", ())
    report = publish(fig, hidden, options)
    keep = set(SNAPSHOT_COLUMNS)
    for n, row in enumerate(report.rows):
        slim = {c: row[c] for c in SNAPSHOT_COLUMNS}
        hidden_columns = row["suppressed"]
        assert isinstance(hidden_columns, list)
        slim["suppressed"] = [c for c in hidden_columns if c in keep]
        report.rows[n] = slim
    report.flows = []
    return report


def recent_weeks(today: date, count: int) -> list[Period]:
    """The `count` complete ISO weeks before the week of `today`, oldest first."""
    last = week_of(today).start - timedelta(days=1)
    weeks = []
    for _ in range(count):
        w = week_of(last)
        weeks.append(w)
        last = w.start - timedelta(days=1)
    return weeks[::-1]
