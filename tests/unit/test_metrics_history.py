"""Replaying the audit history into records, and what a weekly snapshot publishes."""

from __future__ import annotations

from datetime import date, datetime

from waitlist.metrics.history import SNAPSHOT_COLUMNS, AuditEvent, replay, weekly_snapshots
from waitlist.metrics.measures import FLOWS
from waitlist.metrics.periods import parse_period
from waitlist.metrics.records import Decline
from waitlist.metrics.report import Options


def ev(n: int, day: str, entity: str, eid: str, action: str, after=None, before=None, **kw):  # noqa: ANN001, ANN003, ANN201
    at = datetime.fromisoformat(f"{day}T10:00:00")
    return AuditEvent(n, at, entity, eid, action, before, after, **kw)


SEAT = {"application_id": 1, "group_id": 7}
QUEUED = {"status": "waiting", "queue_date": "2026-03-02"}
B = "bromma"
HISTORY = [
    ev(1, "2026-03-02", "application", "1", "applied", QUEUED, district="farsta",
       programme="komet"),
    ev(2, "2026-03-02", "group", "7", "group_created",
       {"status": "recruiting", "district": "bromma", "programme": "komet", "start": "2026-04-01",
        "capacity": 10, "min_size": 6, "taken": 0}),
    ev(3, "2026-03-09", "offer", "1", "offer_made", SEAT, district=B),
    ev(4, "2026-03-11", "offer", "1", "declined", {**SEAT, "decline_reason": "distance"},
       district=B),
    ev(5, "2026-03-16", "offer", "2", "offer_made", SEAT, district=B),
    ev(6, "2026-03-17", "offer", "2", "accepted", SEAT, district=B),
    ev(7, "2026-03-17", "application", "1", "enrolled", {"status": "enrolled"},
       {"status": "offered"}),
    ev(8, "2026-03-25", "group", "7", "group_cancelled",
       {"status": "cancelled", "start": "2026-04-01", "taken": 0},
       {"status": "recruiting", "taken": 3, "min_size": 6}),
    ev(9, "2026-03-25", "application", "1", "returned_to_queue", {"status": "waiting"},
       {"status": "enrolled"}),
]  # fmt: skip


def test_replay_rebuilds_an_application_history():
    state = replay(HISTORY)
    app = state.apps["1"]
    assert app.queue_date == date(2026, 3, 2)
    assert app.first_offer_on == date(2026, 3, 9)
    assert app.declines == (Decline(date(2026, 3, 11), "distance", "bromma"),)
    assert (app.placed_on, app.host_district) == (date(2026, 3, 17), "bromma")
    assert app.group_start_on == date(2026, 4, 1)
    assert app.returned_on == date(2026, 3, 25)
    assert app.open_at(date(2026, 3, 31)) and not app.open_at(date(2026, 3, 20))


def test_replay_marks_a_group_cancelled_below_its_minimum():
    group = replay(HISTORY).groups["7"]
    assert group.status == "cancelled" and group.too_few
    assert group.cancelled_on == date(2026, 3, 25)


def test_a_week_sees_only_what_was_known_by_its_end():
    weeks = [parse_period("2026-W12"), parse_period("2026-W13")]
    w12, w13 = weekly_snapshots(HISTORY, weeks, Options(small_cell_min=1))
    assert w12.row("farsta", "komet")["waiting"] == 0  # enrolled on 03-17
    assert w13.row("farsta", "komet")["waiting"] == 1  # back in the queue on 03-25


def test_a_snapshot_publishes_no_count_of_a_weeks_flows():
    (snap,) = weekly_snapshots(HISTORY, [parse_period("2026-W11")])
    for row in snap.rows:
        assert set(row) <= {*SNAPSHOT_COLUMNS, "suppressed"}
        assert not set(row) & set(FLOWS)
        assert row["waiting"] is None or row["waiting"] == 0  # one person: hidden
    assert snap.flows == []
