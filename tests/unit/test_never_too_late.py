"""Rule 10, never too late: an offer's answer is due before the group's first meeting."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from solver.placement import solve
from solver.scenario.files import offer_problems
from solver.types import PlacementResult, SolveStatus
from tests.support.budgets import examples
from tests.support.placement_cases import scenarios
from waitlist.domain.errors import InvalidInput
from waitlist.domain.offer import answer_deadline

DAY = timedelta(days=1)


def test_a_deadline_after_the_start_is_moved_to_the_day_before():
    # Komet starting Monday 7 December, offered on 27 November with 10 days to answer.
    assert answer_deadline(date(2026, 11, 27), 10, date(2026, 12, 7), 3) == date(2026, 12, 6)


def test_a_group_starting_in_two_days_takes_no_offer():
    assert answer_deadline(date(2026, 12, 5), 10, date(2026, 12, 7), 3) is None


def test_the_minimum_response_time_is_just_enough():
    assert answer_deadline(date(2026, 12, 3), 10, date(2026, 12, 7), 3) == date(2026, 12, 6)
    assert answer_deadline(date(2026, 12, 4), 10, date(2026, 12, 7), 3) is None


def test_a_far_start_keeps_the_usual_deadline():
    assert answer_deadline(date(2026, 12, 1), 10, date(2027, 1, 12), 3) == date(2026, 12, 11)


def test_a_minimum_response_time_below_one_day_is_refused():
    with pytest.raises(InvalidInput) as err:
        answer_deadline(date(2026, 12, 1), 10, date(2027, 1, 12), 0)
    assert err.value.field == "min_response_days"


@given(
    made=st.dates(date(2026, 1, 1), date(2028, 12, 31)),
    days=st.integers(1, 30),
    lead=st.integers(-5, 60),
    minimum=st.integers(1, 10),
)
def test_every_deadline_falls_before_the_first_meeting_and_leaves_time(made, days, lead, minimum):
    start = made + timedelta(days=lead)
    due = answer_deadline(made, days, start, minimum)
    usual = made + timedelta(days=days)
    if due is None:
        # Refused only when the usual deadline is too late and the day before is too close.
        assert usual >= start and (start - DAY - made).days < minimum
    else:
        assert due < start
        assert made < due <= usual
        assert due == usual or (due - made).days >= minimum


@settings(max_examples=examples(200), deadline=None)
@given(scenarios())
def test_no_round_offers_a_seat_answered_after_the_group_starts(scenario):
    result = solve(scenario)
    assert offer_problems(scenario, result) == []
    starts = {g.id: g.start for g in scenario.groups}
    for offer in result.offers:
        assert offer.respond_by < starts[offer.group]
        assert (offer.respond_by - scenario.as_of).days >= min(
            scenario.policy.min_response_days, scenario.policy.offer_response_days
        )


@settings(max_examples=examples(50), deadline=None)
@given(scenarios())
def test_a_result_with_an_answer_due_on_the_start_day_breaks_the_result_rules(scenario):
    result = solve(scenario)
    if not result.offers:
        return
    first = result.offers[0]
    start = next(g.start for g in scenario.groups if g.id == first.group)
    late = replace(first, respond_by=start)
    broken = PlacementResult(scenario.as_of, SolveStatus.OPTIMAL, (late, *result.offers[1:]))
    assert any("respond_by" in p and "first meeting" in p for p in offer_problems(scenario, broken))
