"""A room (venue) and what it can host: a group of a given size on a weekday and time slot.

Empty lists and no capacity mean no limit (a room nobody described further hosts anything).
"""

from __future__ import annotations

from collections.abc import Collection


def room_refusal(
    capacity: int | None,
    weekdays: Collection[str],
    slots: Collection[str],
    *,
    weekday: str,
    slot: str,
    size: int,
) -> str | None:
    """Why the room cannot host a group of `size` on `weekday` in `slot`: 'weekday', 'slot' or
    'capacity' (the field that says no), or None when it can."""
    if weekdays and weekday not in weekdays:
        return "weekday"
    if slots and slot not in slots:
        return "slot"
    if capacity is not None and size > capacity:
        return "capacity"
    return None
