"""When a group can start, what it takes now, and a new group's first meeting: the one rule
the groups page, the API and the use cases share (waitlist.domain.group)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from waitlist.domain.errors import IllegalTransition, InvalidInput
from waitlist.domain.group import (
    LATEST_START_DAYS,
    GroupStatus,
    StartRefusal,
    allowed_actions,
    check_group_transition,
    check_start,
    start_refusal,
    validate_group_size,
)

TODAY = date(2026, 12, 7)  # a Monday


@pytest.mark.parametrize(
    ("status", "enrolled", "refusal", "actions"),
    [
        ("planned", 9, StartRefusal.NOT_RECRUITING, ("open", "cancel")),
        ("recruiting", 5, StartRefusal.TOO_FEW, ("cancel",)),
        ("recruiting", 6, None, ("start", "cancel")),
        ("running", 6, StartRefusal.NOT_OPEN, ("complete",)),
        ("completed", 6, StartRefusal.NOT_OPEN, ()),
        ("cancelled", 6, StartRefusal.NOT_OPEN, ()),
    ],
)
def test_start_is_allowed_exactly_when_the_transition_is(status, enrolled, refusal, actions):
    assert start_refusal(status, enrolled=enrolled, min_size=6) == refusal
    assert allowed_actions(status, enrolled=enrolled, min_size=6) == actions
    if refusal is None:
        check_group_transition(status, GroupStatus.RUNNING, enrolled=enrolled, min_size=6)
    else:
        with pytest.raises(IllegalTransition):
            check_group_transition(status, GroupStatus.RUNNING, enrolled=enrolled, min_size=6)


def test_the_weekday_is_the_first_meetings_and_a_different_one_is_named():
    assert check_start(TODAY + timedelta(days=2), None, TODAY) == "wed"
    assert check_start(TODAY + timedelta(days=2), "wed", TODAY) == "wed"
    with pytest.raises(InvalidInput) as exc:
        check_start(TODAY + timedelta(days=2), "fri", TODAY)
    assert exc.value.field == "weekday" and "wed" in exc.value.message


@pytest.mark.parametrize("days", [-1, -300, LATEST_START_DAYS + 1])
def test_a_first_meeting_in_the_past_or_too_far_ahead_names_the_start(days):
    with pytest.raises(InvalidInput) as exc:
        check_start(TODAY + timedelta(days=days), None, TODAY)
    assert exc.value.field == "start"


def test_today_and_the_last_day_ahead_are_allowed():
    assert check_start(TODAY, "mon", TODAY) == "mon"
    assert check_start(TODAY + timedelta(days=LATEST_START_DAYS), None, TODAY)


def test_seat_limits_name_the_number():
    with pytest.raises(InvalidInput) as exc:
        validate_group_size(13, 6, most=12)
    assert (exc.value.field, exc.value.limits) == ("capacity", {"max": 12})
    assert "at most 12 places" in exc.value.message
    validate_group_size(12, 6, most=12)
