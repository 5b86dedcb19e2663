"""Group lifecycle: planned -> recruiting -> running -> completed, or cancelled.

A group is one run of a programme in a host district. `taken` counts enrolled parents plus
pending offers (a pending offer holds its seat), so free seats = capacity - taken.
"""

from __future__ import annotations

from enum import StrEnum

from waitlist.domain.errors import IllegalTransition, InvalidInput


class GroupStatus(StrEnum):
    PLANNED = "planned"
    RECRUITING = "recruiting"
    RUNNING = "running"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


# Which status each command may move a group to, and from where.
_ALLOWED: dict[GroupStatus, frozenset[GroupStatus]] = {
    GroupStatus.PLANNED: frozenset({GroupStatus.RECRUITING, GroupStatus.CANCELLED}),
    GroupStatus.RECRUITING: frozenset({GroupStatus.RUNNING, GroupStatus.CANCELLED}),
    GroupStatus.RUNNING: frozenset({GroupStatus.COMPLETED}),
    GroupStatus.COMPLETED: frozenset(),
    GroupStatus.CANCELLED: frozenset(),
}

OPEN_STATUSES = frozenset({GroupStatus.PLANNED, GroupStatus.RECRUITING})
"""Groups that still take offers or may still be cancelled."""

OFFERABLE_STATUSES = frozenset({GroupStatus.PLANNED, GroupStatus.RECRUITING})
"""A seat may be offered in a planned or recruiting group (not once it runs)."""

_VERB = {
    GroupStatus.RECRUITING: "open for recruiting",
    GroupStatus.RUNNING: "start",
    GroupStatus.COMPLETED: "complete",
    GroupStatus.CANCELLED: "cancel",
    GroupStatus.PLANNED: "plan",
}


def check_group_transition(current: str, target: str, *, enrolled: int, min_size: int) -> None:
    """Raise IllegalTransition unless a group may move from `current` to `target`.

    Starting needs at least `min_size` enrolled parents (rule 7): pending offers do not count,
    because a parent who has not accepted may never come.
    """
    now, then = GroupStatus(current), GroupStatus(target)
    if then not in _ALLOWED[now]:
        raise IllegalTransition(f"A {now.value} group cannot {_VERB[then]}.", field="status")
    if then is GroupStatus.RUNNING and enrolled < min_size:
        raise IllegalTransition(
            f"The group has {enrolled} enrolled parents and needs at least {min_size} to start.",
            field="status",
        )


def validate_group_size(capacity: int, min_size: int) -> None:
    """Capacity at least 1 and a minimum size between 1 and the capacity."""
    if capacity < 1:
        raise InvalidInput(f"capacity must be at least 1, got {capacity}", field="capacity")
    if min_size < 1:
        raise InvalidInput(f"min_size must be at least 1, got {min_size}", field="min_size")
    if min_size > capacity:
        raise InvalidInput(
            f"min_size ({min_size}) cannot be larger than capacity ({capacity})", field="min_size"
        )


def free_seats(capacity: int, taken: int) -> int:
    return max(0, capacity - taken)
