"""Every per-district figure on a small hand-computed example (2026-Q1, districts a and b).

app  home queued      first offer  declined     placed (host)  group start  other
1    a    2026-01-05  2026-01-19   -            01-22 (a)      02-02
2    a    2026-01-10  2026-04-10   -            -              -            open on 03-31
3    a    2025-12-01  2026-01-05   01-08 time   02-01 (b)      02-15
4    b    2026-02-01  -            -            -              -            chose to wait
5    b    2026-03-01  -            -            -              -            withdrew 03-10
6    a    2026-01-01  2026-01-09   -            -              -            expired 01-20
"""

from __future__ import annotations

from datetime import date

import pytest

from waitlist.metrics.compute import compute
from waitlist.metrics.periods import parse_period
from waitlist.metrics.records import ApplicationHistory, Decline, GroupRecord
from waitlist.metrics.report import Options, build_report

Q1 = parse_period("2026-Q1")
D = date


def apps() -> list[ApplicationHistory]:
    return [
        ApplicationHistory(
            "x",
            "a",
            D(2026, 1, 5),
            "enrolled",
            D(2026, 1, 19),
            "a",
            D(2026, 1, 22),
            None,
            D(2026, 2, 2),
        ),
        ApplicationHistory("x", "a", D(2026, 1, 10), "offered", D(2026, 4, 10)),
        ApplicationHistory(
            "x",
            "a",
            D(2025, 12, 1),
            "enrolled",
            first_offer_on=D(2026, 1, 5),
            host_district="b",
            placed_on=D(2026, 2, 1),
            group_start_on=D(2026, 2, 15),
            declines=(Decline(D(2026, 1, 8), "time", "b"),),
        ),
        ApplicationHistory("x", "b", D(2026, 2, 1), chose_to_wait=True),
        ApplicationHistory("x", "b", D(2026, 3, 1), "withdrawn", withdrawn_on=D(2026, 3, 10)),
        ApplicationHistory(
            "x", "a", D(2026, 1, 1), "waiting", D(2026, 1, 9), expiries=(D(2026, 1, 20),)
        ),
    ]


def groups() -> list[GroupRecord]:
    return [
        GroupRecord("a", "x", D(2026, 2, 2), "running", capacity=10, enrolled=6),
        GroupRecord("b", "x", D(2026, 3, 20), "cancelled", 10, 2, D(2026, 3, 1), too_few=True),
        GroupRecord("a", "x", D(2026, 4, 10), "recruiting", capacity=10, enrolled=3),
    ]


@pytest.fixture(scope="module")
def fig():
    return compute(apps(), groups(), Q1, districts=["a", "b", "c"])


def test_applications_count_by_queue_date_in_the_period(fig):
    assert fig.count("a", "x", "new_applications") == 2 + 1  # apps 1, 2, 6; app 3 queued in 2025
    assert fig.count("b", "x", "new_applications") == 2


def test_number_waiting_is_counted_on_the_last_day(fig):
    assert fig.count("a", "x", "waiting_system") == 2  # apps 2 and 6
    assert fig.count("b", "x", "waiting_chosen") == 1  # app 4 asked to wait
    assert fig.count("b", "x", "waiting") == 1  # app 5 withdrew


def test_age_of_open_applications_in_days(fig):
    assert fig.sample("a", "x", "age_system") == [80, 89]  # 01-10 and 01-01 to 03-31
    assert fig.sample("b", "x", "age_chosen") == [58]


def test_wait_to_first_offer_in_days(fig):
    assert fig.sample("a", "x", "offer_system") == [8, 14, 35]


def test_wait_to_group_start_after_a_decline_counts_as_the_parents_choice(fig):
    assert fig.sample("a", "x", "start_system") == [28]
    assert fig.sample("a", "x", "start_chosen") == [76]


def test_each_application_is_decided_against_the_target_once(fig):
    assert fig.count("a", "x", "within_target") == 3  # apps 1, 3, 6
    assert fig.count("a", "x", "missed_target") == 1  # app 2, on 03-08
    assert fig.count("b", "x", "target_decided") == 0  # chose to wait; withdrew


def test_cross_district_placements_in_and_out(fig):
    assert fig.count("a", "x", "placed_out") == 1
    assert fig.count("b", "x", "placed_in") == 1
    assert fig.count("a", "all", "flow_to:b") == 1
    assert fig.count("a", "x", "placed_in") == 0  # app 1 was placed at home


def test_declines_by_reason_and_expiries(fig):
    assert fig.count("a", "x", "declined_time") == 1
    assert fig.count("a", "x", "declined") == 1
    assert fig.count("a", "x", "expired") == 1


def test_groups_started_cancelled_and_fill_rate_inputs(fig):
    assert fig.group_counts["a", "x", "groups_started"] == 1
    assert fig.group_counts["b", "x", "groups_cancelled_too_few"] == 1
    assert fig.count("a", "x", "enrolled") == 6
    assert fig.capacity["a", "x"] == 10


def test_margins_pool_the_districts(fig):
    assert fig.count("all", "x", "new_applications") == 5
    assert fig.count("all", "all", "waiting") == 3
    assert fig.sample("all", "x", "offer_system") == [8, 14, 35]


def test_an_empty_district_has_zero_counts_and_no_waits(fig):
    assert fig.count("c", "x", "new_applications") == 0
    assert fig.sample("c", "x", "offer_system") == []


def test_the_report_without_suppression_shows_the_hand_computed_statistics():
    report = build_report(apps(), groups(), Q1, Options(small_cell_min=1), districts=["a", "b"])
    row = report.row("a", "x")
    assert row["offer_wait_system_median_days"] == 14
    assert row["offer_wait_system_p90_days"] == 35
    assert row["open_age_system_median_days"] == 80
    assert row["share_within_target"] == 0.75
    assert row["fill_rate"] == 0.6
    assert row["suppressed"] == []


def test_with_the_default_threshold_every_small_count_is_hidden():
    report = build_report(apps(), groups(), Q1, districts=["a", "b"])
    row = report.row("a", "x")
    assert row["new_applications"] is None
    assert row["offer_wait_system_median_days"] is None
    assert "offer_wait_system_median_days" in row["suppressed"]
    assert row["groups_started"] == 1  # groups are not people


def test_equality_over_districts_with_published_medians_only():
    report = build_report(apps(), groups(), Q1, Options(small_cell_min=1), districts=["a", "b"])
    overall = report.equality[-1]
    assert overall["programme"] == "all"
    assert overall["offer_districts"] == 1  # district b had no first offer
    assert overall["offer_median_ratio"] is None
    # Open applications on 03-31: a waited 80 and 89 days (median 80), b 58 days (chosen,
    # so not compared): one district again.
    assert overall["age_districts"] == 1


def test_equality_ratios_on_two_districts():
    from waitlist.metrics.equality import equality

    rows = [
        {
            "open_age_system_median_days": 20,
            "open_age_system_p90_days": 40,
            "share_within_target": 0.9,
        },
        {
            "open_age_system_median_days": 60,
            "open_age_system_p90_days": 80,
            "share_within_target": 0.5,
        },
        {"open_age_system_median_days": None, "share_within_target": None},  # suppressed
    ]
    out = equality(rows)
    assert out["age_median_ratio"] == 3.0
    assert out["age_p90_ratio"] == 2.0
    assert out["age_median_cv"] == 0.5  # mean 40, population sd 20
    assert out["share_within_target_gap"] == 0.4
    assert out["age_districts"] == 2


@pytest.mark.parametrize("label", ["2026-03", "2026"])
def test_a_month_or_a_year_total_is_never_published(label):
    # Published periods never overlap, so no figure is the difference of two others.
    from waitlist.domain.errors import InvalidInput

    with pytest.raises(InvalidInput) as err:
        build_report(apps(), groups(), parse_period(label))
    assert err.value.field == "period"


def test_a_cancelled_group_starts_nobody_and_every_accepted_seat_elsewhere_counts():
    from waitlist.metrics.records import Placement

    q2 = parse_period("2026-Q2")
    twice = ApplicationHistory(
        "x",
        "a",
        D(2026, 1, 5),
        "enrolled",
        D(2026, 1, 19),
        placements=(
            # accepted in Q1 in b; the group was cancelled before its start in Q1
            Placement(
                D(2026, 1, 22), "b", D(2026, 3, 2), started=False, returned_on=D(2026, 2, 20)
            ),
            # accepted again in Q2 in b; that group ran
            Placement(D(2026, 4, 8), "b", D(2026, 4, 20)),
        ),
    )
    first, second = compute([twice], [], Q1), compute([twice], [], q2)
    assert first.count("a", "x", "started") == 0  # the cancelled group never started
    assert first.count("a", "x", "placed_out") == 1  # Q1 keeps its accepted seat elsewhere
    assert first.count("b", "x", "placed_in") == 1
    assert first.count("a", "x", "waiting") == 1  # back in the queue at the end of Q1
    assert compute([twice], [], parse_period("2026-W05")).count("a", "x", "waiting") == 0
    assert second.count("a", "x", "started") == 1
    assert second.count("a", "x", "placed_out") == 1
    assert twice.placed_on == D(2026, 4, 8) and twice.host_district == "b"
