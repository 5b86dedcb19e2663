"""For random city data: no published figure reveals a count of 1..k-1 people, directly,
as the difference of a total and its published parts, or by solving the totals together;
and every published total agrees with its published parts."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support.budgets import examples
from waitlist.metrics import tables
from waitlist.metrics.compute import compute
from waitlist.metrics.disclosure import determined_cells
from waitlist.metrics.measures import ALL, COUNTS, FLOW_PREFIX, WAITS
from waitlist.metrics.periods import parse_period
from waitlist.metrics.records import DECLINE_REASONS, ApplicationHistory, Decline
from waitlist.metrics.report import Options, build_report

Q1 = parse_period("2026-Q1")
BASE = date(2025, 12, 1)
DISTRICTS = ("a", "b", "c")
PROGRAMMES = ("x", "y")


@st.composite
def history(draw) -> ApplicationHistory:
    def day(lo: int = 0, hi: int = 150) -> date:
        return BASE + timedelta(days=draw(st.integers(lo, hi)))

    queued = day(0, 120)
    offered = draw(st.one_of(st.none(), st.integers(0, 60)))
    first = queued + timedelta(days=offered) if offered is not None else None
    placed = (
        first + timedelta(days=draw(st.integers(0, 20))) if first and draw(st.booleans()) else None
    )
    declines = ()
    if first is not None and draw(st.booleans()):
        declines = (Decline(first + timedelta(days=2), draw(st.sampled_from(DECLINE_REASONS))),)
    return ApplicationHistory(
        programme=draw(st.sampled_from(PROGRAMMES)),
        home_district=draw(st.sampled_from(DISTRICTS)),
        queue_date=queued,
        first_offer_on=first,
        host_district=draw(st.sampled_from(DISTRICTS)) if placed else None,
        placed_on=placed,
        group_start_on=placed + timedelta(days=10) if placed else None,
        withdrawn_on=day() if placed is None and draw(st.booleans()) else None,
        declines=declines,
        expiries=(first + timedelta(days=11),) if first and draw(st.booleans()) else (),
        chose_to_wait=draw(st.booleans()),
    )


def published(report) -> dict[tuple[str, str, str], int | None]:
    shown: dict[tuple[str, str, str], int | None] = {}
    for row in report.rows:
        for m in COUNTS:
            shown[row["district"], row["programme"], m] = row[m]
    for flow in report.flows:
        shown[flow["from"], ALL, FLOW_PREFIX + flow["to"]] = flow["placements"]
    return shown


@settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(history(), max_size=70), st.integers(2, 6))
def test_no_published_figure_reveals_a_small_count(records, k):
    report = build_report(
        records, [], Q1, Options(small_cell_min=k), districts=DISTRICTS, programmes=PROGRAMMES
    )
    fig = compute(records, [], Q1, districts=DISTRICTS, programmes=PROGRAMMES)
    shown = published(report)
    rels = tables.relations(fig)
    _assert_nothing_small_revealed(shown, rels, k)
    hidden = {key for key, v in shown.items() if v is None}
    for rel in rels:  # totals consistent where every part is shown
        if not any(c in hidden for c in rel.cells):
            assert shown[rel.total] == sum(shown[c] for c in rel.parts), rel


def _assert_nothing_small_revealed(shown: dict, rels: list, k: int) -> None:
    """No count under `k` (other than 0) can be read from the published figures `shown`
    (None: hidden): 1. directly; 2. as a total minus its shown parts; 3. by solving all the
    totals `rels` together."""
    hidden = {key for key, v in shown.items() if v is None}
    assert all(v is None or v == 0 or v >= k for v in shown.values())
    for rel in rels:
        unknown = [c for c in rel.cells if c in hidden]
        assert len(unknown) != 1, rel
        if unknown and rel.total not in hidden:
            gap = shown[rel.total] - sum(shown[c] for c in rel.parts if c not in hidden)
            assert gap == 0 or gap >= k, rel
    assert determined_cells(rels, hidden) == set()


@settings(max_examples=examples(40), deadline=None)
@given(st.lists(history(), max_size=50), st.integers(2, 6))
def test_statistics_are_shown_only_over_shown_counts_of_at_least_k(records, k):
    report = build_report(
        records, [], Q1, Options(small_cell_min=k), districts=DISTRICTS, programmes=PROGRAMMES
    )
    for row in report.rows:
        for w in WAITS:
            if row[f"{w.name}_median_days"] is not None:
                assert row[w.base] is not None and row[w.base] >= k
        if row["share_within_target"] is not None:
            trio = [row[m] for m in ("target_decided", "within_target", "missed_target")]
            shown = [v is not None for v in trio]
            assert all(shown) or not any(shown)  # else the share gives a hidden count away
            assert not all(shown) or row["target_decided"] >= k


@settings(max_examples=examples(40), deadline=None)
@given(st.lists(history(), max_size=60), st.integers(2, 6))
def test_a_weekly_snapshot_reveals_no_small_number_waiting(records, k):
    from waitlist.metrics.history import _snapshot

    week = parse_period("2026-W10")
    fig = compute(records, [], week, districts=DISTRICTS, programmes=PROGRAMMES)
    snap = _snapshot(fig, Options(small_cell_min=k))
    shown = {(r["district"], r["programme"], "waiting"): r["waiting"] for r in snap.rows}
    # The sums over districts and programmes (not waiting = system + chosen: parts unpublished).
    rels = [r for r in tables.relations(fig) if all(c[2] == "waiting" for c in r.cells)]
    _assert_nothing_small_revealed(shown, rels, k)
