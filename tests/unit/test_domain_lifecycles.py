"""State machines of groups, applications, offers and placement rounds."""

from __future__ import annotations

import contextlib
from datetime import date

import pytest

from waitlist.domain.application import ApplicationStatus, check_application_transition, is_paused
from waitlist.domain.errors import IllegalTransition, InvalidInput, StalePreview
from waitlist.domain.group import GroupStatus, check_group_transition, validate_group_size
from waitlist.domain.offer import (
    OfferStatus,
    check_offer_transition,
    is_overdue,
    parse_decline_reason,
    respond_by,
)
from waitlist.domain.round import RoundStatus, check_fresh, check_round_transition


def test_a_recruiting_group_with_enough_enrolled_parents_can_start():
    check_group_transition("recruiting", "running", enrolled=6, min_size=6)


def test_starting_a_group_under_its_minimum_size_is_refused_with_the_numbers():
    with pytest.raises(IllegalTransition, match="5 enrolled parents and needs at least 6"):
        check_group_transition("recruiting", "running", enrolled=5, min_size=6)


@pytest.mark.parametrize(
    ("current", "target"),
    [
        ("completed", "running"),
        ("cancelled", "recruiting"),
        ("running", "cancelled"),
        ("planned", "running"),
        ("running", "recruiting"),
    ],
)
def test_illegal_group_transitions_are_refused(current, target):
    with pytest.raises(IllegalTransition):
        check_group_transition(current, target, enrolled=99, min_size=1)


def test_every_group_status_has_its_rules():
    for status in GroupStatus:
        for target in GroupStatus:
            with contextlib.suppress(IllegalTransition):
                check_group_transition(status, target, enrolled=99, min_size=1)


@pytest.mark.parametrize(
    ("capacity", "min_size", "field"),
    [(0, 1, "capacity"), (-3, 1, "capacity"), (5, 0, "min_size"), (5, 6, "min_size")],
)
def test_impossible_group_sizes_name_the_field(capacity, min_size, field):
    with pytest.raises(InvalidInput) as info:
        validate_group_size(capacity, min_size)
    assert info.value.field == field


def test_an_application_moves_waiting_offered_enrolled_completed():
    check_application_transition("waiting", "offered")
    check_application_transition("offered", "enrolled")
    check_application_transition("enrolled", "completed")


def test_an_enrolled_parent_returns_to_waiting_when_the_group_is_cancelled():
    check_application_transition("enrolled", "waiting")


@pytest.mark.parametrize("target", list(ApplicationStatus))
def test_a_withdrawn_application_cannot_be_enrolled_or_revived(target):
    with pytest.raises(IllegalTransition):
        check_application_transition("withdrawn", target)


def test_a_waiting_application_cannot_be_enrolled_without_an_offer():
    with pytest.raises(IllegalTransition, match="waiting cannot become enrolled"):
        check_application_transition("waiting", "enrolled")


def test_repeated_expiry_pauses_at_the_limit_and_zero_switches_it_off():
    assert not is_paused(1, 2)
    assert is_paused(2, 2)
    assert not is_paused(50, 0)


@pytest.mark.parametrize("target", ["accepted", "declined", "expired", "revoked"])
def test_a_pending_offer_can_end_any_way(target):
    check_offer_transition("pending", target)


@pytest.mark.parametrize("current", ["accepted", "declined", "expired", "revoked"])
def test_an_answered_offer_cannot_be_accepted(current):
    with pytest.raises(IllegalTransition, match="This offer"):
        check_offer_transition(current, OfferStatus.ACCEPTED)


def test_accepting_an_expired_offer_says_it_expired():
    with pytest.raises(IllegalTransition, match="expired"):
        check_offer_transition("expired", "accepted")


def test_respond_by_and_overdue():
    deadline = respond_by(date(2026, 3, 2), 10)
    assert deadline == date(2026, 3, 12)
    assert not is_overdue(deadline, date(2026, 3, 12))
    assert is_overdue(deadline, date(2026, 3, 13))
    with pytest.raises(InvalidInput):
        respond_by(date(2026, 3, 2), 0)


def test_decline_reasons_are_optional_and_checked():
    assert parse_decline_reason(None) is None
    assert parse_decline_reason("distance").value == "distance"
    with pytest.raises(InvalidInput) as info:
        parse_decline_reason("bored")
    assert info.value.field == "reason"


def test_a_round_is_previewed_then_committed_once():
    check_round_transition("preview", "committed")
    with pytest.raises(IllegalTransition):
        check_round_transition(RoundStatus.COMMITTED, RoundStatus.COMMITTED)
    with pytest.raises(IllegalTransition):
        check_round_transition("discarded", "committed")


def test_a_stale_preview_cannot_be_committed():
    check_fresh("abc", "abc")
    with pytest.raises(StalePreview):
        check_fresh("abc", "abd")
