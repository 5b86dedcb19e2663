"""Queue order (rule 1), lottery draws, positions and wait estimates as ranges."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from waitlist.domain import lottery
from waitlist.domain.queue import SeatBatch, estimate_wait, in_queue_order, position_of

TODAY = date(2026, 3, 2)


@dataclass(frozen=True)
class Entry:
    id: int
    queue_date: date
    lottery: int


entries = st.lists(
    st.builds(
        Entry,
        id=st.integers(1, 10_000),
        queue_date=st.dates(date(2025, 1, 1), date(2026, 3, 1)),
        lottery=st.integers(0, 50),
    ),
    unique_by=lambda e: e.id,
    max_size=40,
)


def test_the_earlier_queue_date_comes_first_whatever_the_lottery():
    early = Entry(1, date(2025, 5, 1), 999)
    late = Entry(2, date(2025, 6, 1), 1)
    assert in_queue_order([late, early]) == [early, late]


def test_the_lottery_breaks_a_tie_on_the_same_day():
    a = Entry(7, date(2025, 5, 1), 40)
    b = Entry(3, date(2025, 5, 1), 12)
    assert in_queue_order([a, b]) == [b, a]
    assert position_of(7, [a, b]) == 2
    assert position_of(99, [a, b]) is None


@given(entries)
def test_queue_order_is_by_queue_date_then_lottery_and_ignores_input_order(items):
    ordered = in_queue_order(items)
    keys = [(e.queue_date, e.lottery) for e in ordered]
    assert keys == sorted(keys)
    shuffled = list(items)
    random.Random(1).shuffle(shuffled)
    assert in_queue_order(shuffled) == ordered


def test_a_lottery_number_is_reproducible_from_the_recorded_seed():
    seed = "a" * 32
    assert lottery.draw(seed, 17) == lottery.draw(seed, "17")
    assert lottery.draw(seed, 17) != lottery.draw("b" * 32, 17)
    assert 0 <= lottery.draw(seed, 17) < lottery.LOTTERY_MAX
    assert len(lottery.new_seed()) == 32


def test_lottery_numbers_spread_evenly():
    seed = lottery.new_seed()
    draws = [lottery.draw(seed, i) for i in range(2000)]
    below_half = sum(1 for d in draws if d < lottery.LOTTERY_MAX // 2)
    assert 850 < below_half < 1150
    assert len(set(draws)) > 1990


def test_no_seats_and_no_history_gives_no_estimate_but_a_reason():
    est = estimate_wait(position=3, today=TODAY, seats=[], placements_in_window=0)
    assert not est.known
    assert est.low_weeks is None and est.high_weeks is None
    assert "no basis" in (est.reason or "")


def test_seats_ahead_give_a_range_from_the_first_group_to_the_group_reaching_the_position():
    seats = [SeatBatch(TODAY + timedelta(weeks=2), 2), SeatBatch(TODAY + timedelta(weeks=6), 3)]
    est = estimate_wait(position=4, today=TODAY, seats=seats, placements_in_window=0)
    assert (est.low_weeks, est.high_weeks) == (2, 6)
    assert est.basis == "seats"


def test_too_few_seats_and_no_history_says_so():
    seats = [SeatBatch(TODAY + timedelta(weeks=2), 1)]
    est = estimate_wait(position=5, today=TODAY, seats=seats, placements_in_window=0)
    assert not est.known and "too few seats" in (est.reason or "")


def test_throughput_alone_gives_a_range_around_position_over_rate():
    # 52 placements a year = one a week; tenth in line: about ten weeks, +-30 %.
    est = estimate_wait(position=10, today=TODAY, seats=[], placements_in_window=52)
    assert (est.low_weeks, est.high_weeks) == (7, 13)
    assert est.basis == "throughput"


@given(
    position=st.integers(1, 200),
    placements=st.integers(0, 300),
    seats=st.lists(
        st.builds(
            SeatBatch, start=st.dates(TODAY, TODAY + timedelta(days=400)), free=st.integers(0, 12)
        ),
        max_size=8,
    ),
)
def test_an_estimate_is_a_range_low_to_high_or_none_with_a_reason(position, placements, seats):
    est = estimate_wait(
        position=position, today=TODAY, seats=seats, placements_in_window=placements
    )
    if est.known:
        assert 0 <= est.low_weeks <= est.high_weeks
        assert est.reason is None
    else:
        assert est.reason


@given(position=st.integers(1, 100), placements=st.integers(1, 300))
def test_further_back_in_the_queue_never_waits_less(position, placements):
    here = estimate_wait(position=position, today=TODAY, seats=[], placements_in_window=placements)
    behind = estimate_wait(
        position=position + 1, today=TODAY, seats=[], placements_in_window=placements
    )
    assert behind.high_weeks >= here.high_weeks and behind.low_weeks >= here.low_weeks


def test_position_must_be_one_based():
    with pytest.raises(ValueError):
        estimate_wait(position=0, today=TODAY, seats=[], placements_in_window=1)
