"""Nearest-rank percentiles and the spread measures, against hand-computed values."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from waitlist.domain.stats import (
    WAIT_FLOOR_DAYS,
    coefficient_of_variation,
    median,
    nearest_rank,
    p90,
    spread,
    wait_ratio,
)


def test_the_median_of_an_even_sample_is_the_lower_middle_value():
    # n = 4: rank ceil(0.5 * 4) = 2
    assert median([7, 14, 21, 28]) == 14


def test_the_median_of_an_odd_sample_is_the_middle_value():
    # n = 5: rank ceil(2.5) = 3
    assert median([1, 2, 3, 40, 50]) == 3


def test_p90_of_ten_values_is_the_ninth():
    assert p90(list(range(1, 11))) == 9


def test_p90_of_four_values_is_the_largest():
    # rank ceil(0.9 * 4) = ceil(3.6) = 4
    assert p90([10, 20, 30, 40]) == 40


def test_one_person_is_their_own_median_and_p90():
    assert median([23]) == 23
    assert p90([23]) == 23


def test_ties_give_the_tied_value():
    assert median([5, 5, 5, 9]) == 5
    assert p90([5, 5, 5, 5]) == 5


def test_an_empty_sample_has_no_percentile():
    assert median([]) is None
    assert p90([]) is None


def test_percentiles_are_exact_integers_without_float_rounding():
    # 0.9 * 10 is 9.000000000000002 in floating point; the rank must still be 9.
    assert nearest_rank(list(range(100, 110)), 90) == 108


def test_a_percent_outside_1_to_100_is_refused():
    with pytest.raises(ValueError):
        nearest_rank([1], 0)


def test_the_wait_ratio_is_the_longest_wait_over_the_shortest():
    assert wait_ratio([10.0, 20.0, 30.0]) == 3.0


def test_the_wait_ratio_counts_a_wait_under_one_week_as_one_week():
    assert wait_ratio([0.0, 14.0]) == 2.0  # 0 days counts as 7: defined, not infinite
    assert wait_ratio([3.0, 7.0]) == 1.0  # both within the first week: equal
    assert wait_ratio([0.5, 3.0], week=1.0) == 3.0  # in weeks


def test_the_wait_ratio_needs_two_known_waits():
    assert wait_ratio([10.0]) is None
    assert wait_ratio([10.0, None]) is None
    assert wait_ratio([]) is None


@given(st.lists(st.floats(min_value=0, max_value=10_000), min_size=2, max_size=20))
def test_the_wait_ratio_is_defined_at_least_one_and_at_most_the_longest_wait_in_weeks(waits):
    ratio = wait_ratio(waits)
    assert ratio is not None
    assert 1.0 <= ratio <= max(max(waits), WAIT_FLOOR_DAYS) / WAIT_FLOOR_DAYS + 1e-9


def test_coefficient_of_variation_uses_the_population_standard_deviation():
    # mean 20, variance (100 + 0 + 100) / 3, sd 8.1650, cv 0.40825
    assert math.isclose(coefficient_of_variation([10.0, 20.0, 30.0]), 0.408248, rel_tol=1e-5)


def test_coefficient_of_variation_of_equal_waits_is_zero():
    assert coefficient_of_variation([14.0, 14.0]) == 0.0


def test_the_gap_in_share_within_target_is_max_minus_min():
    assert spread([0.5, 0.9, 0.75]) == pytest.approx(0.4)
    assert spread([0.5]) is None


def test_the_simulation_and_the_recommender_use_the_same_equality_ratio():
    from solver.recommend_explain import ratio as recommender_ratio
    from waitlist.simulation.stats import ratio_of_medians

    # Medians in weeks: 0.3 (counted as 1), 2 and 4.5; in days for the metrics.
    assert ratio_of_medians({"a": 0.3, "b": 2.0, "c": 4.5, "d": None}) == 4.5
    assert recommender_ratio({"a": [0.3], "b": [2.0], "c": [4.5], "d": []}) == 4.5
    assert wait_ratio([2, 14, 31.5]) == 4.5
