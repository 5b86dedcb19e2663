"""Group lifecycle: planned -> recruiting -> running -> completed, or cancelled.

A group is one run of a programme in a host district. `taken` counts enrolled parents plus
pending offers (a pending offer holds its seat), so free seats = capacity - taken.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from waitlist.domain.errors import IllegalTransition, InvalidInput
from waitlist.domain.schedule import WEEKDAYS


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


class StartRefusal(StrEnum):
    """Why a group cannot start now."""

    NOT_RECRUITING = "not_recruiting"  # planned: it opens for recruiting first
    NOT_OPEN = "not_open"  # running already, completed or cancelled
    TOO_FEW = "too_few"  # fewer enrolled parents than its minimum


def start_refusal(status: str, *, enrolled: int, min_size: int) -> StartRefusal | None:
    """Why a group cannot start, or None when it can (rule 7): only a recruiting group with at
    least `min_size` enrolled parents starts; pending offers do not count, because a parent
    who has not accepted may never come. The pages, the API and the start use case all ask
    this one function."""
    now = GroupStatus(status)
    if now is GroupStatus.PLANNED:
        return StartRefusal.NOT_RECRUITING
    if GroupStatus.RUNNING not in _ALLOWED[now]:
        return StartRefusal.NOT_OPEN
    if enrolled < min_size:
        return StartRefusal.TOO_FEW
    return None


_ACTIONS = {
    "open": GroupStatus.RECRUITING,
    "start": GroupStatus.RUNNING,
    "cancel": GroupStatus.CANCELLED,
    "complete": GroupStatus.COMPLETED,
}


def allowed_actions(status: str, *, enrolled: int, min_size: int) -> tuple[str, ...]:
    """The commands a group in `status` takes now: open, start, cancel, complete."""
    now = GroupStatus(status)
    found = []
    for action, target in _ACTIONS.items():
        if target not in _ALLOWED[now]:
            continue
        if target is GroupStatus.RUNNING and start_refusal(
            status, enrolled=enrolled, min_size=min_size
        ):
            continue
        found.append(action)
    return tuple(found)


def check_group_transition(current: str, target: str, *, enrolled: int, min_size: int) -> None:
    """Raise IllegalTransition unless a group may move from `current` to `target` (starting:
    `start_refusal`)."""
    now, then = GroupStatus(current), GroupStatus(target)
    if then not in _ALLOWED[now]:
        raise IllegalTransition(f"A {now.value} group cannot {_VERB[then]}.", field="status")
    if then is GroupStatus.RUNNING and start_refusal(current, enrolled=enrolled, min_size=min_size):
        raise IllegalTransition(
            f"The group has {enrolled} enrolled parents and needs at least {min_size} to start.",
            field="status",
            limits={"enrolled": enrolled, "min": min_size},
        )


LATEST_START_DAYS = 2 * 366
"""A group's first meeting lies at most two years ahead: a date further off is a typing error."""


def weekday_of(day: date) -> str:
    return WEEKDAYS[day.weekday()]


def check_start(start: date, weekday: str | None, today: date) -> str:
    """The weekday of a new group: the weekday of its first meeting `start`, which lies from
    today up to LATEST_START_DAYS ahead. A `weekday` given must be that day's (InvalidInput
    naming `weekday`); a start in the past or too far ahead names `start`."""
    if start < today:
        raise InvalidInput(f"start must be today ({today}) or later, got {start}.", field="start")
    if (start - today).days > LATEST_START_DAYS:
        raise InvalidInput(
            f"start must be within two years of today, got {start}.",
            field="start",
            limits={"days": LATEST_START_DAYS},
        )
    day = weekday_of(start)
    if weekday and weekday != day:
        raise InvalidInput(
            f"weekday must be the weekday of the first meeting: {start} is a {day}, not a "
            f"{weekday}.",
            field="weekday",
        )
    return day


def validate_group_size(capacity: int, min_size: int, most: int | None = None) -> None:
    """Capacity from 1 up to `most` (the programme's group size, when given) and a minimum
    size from 1 up to the capacity."""
    if capacity < 1:
        raise InvalidInput(
            f"capacity must be at least 1, got {capacity}", field="capacity", limits={"min": 1}
        )
    if most is not None and capacity > most:
        raise InvalidInput(
            f"capacity must be at most {most} places, got {capacity}",
            field="capacity",
            limits={"max": most},
        )
    if min_size < 1:
        raise InvalidInput(
            f"min_size must be at least 1, got {min_size}", field="min_size", limits={"min": 1}
        )
    if min_size > capacity:
        raise InvalidInput(
            f"min_size ({min_size}) cannot be larger than capacity ({capacity})",
            field="min_size",
            limits={"max": capacity},
        )


def free_seats(capacity: int, taken: int) -> int:
    return max(0, capacity - taken)
