"""Plain records the metrics are computed from: one per application history, one per group.

They carry no personal data (no contact, no birth month, no id that leaves the library) and
no database types: `waitlist.metrics.load` and `waitlist.metrics.history` build them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

UNSPECIFIED = "unspecified"
"""Decline reason recorded when the parent gave none."""

DECLINE_REASONS = ("time", "language", "distance", "other", UNSPECIFIED)


@dataclass(frozen=True)
class Decline:
    """A declined offer: when, why (one of DECLINE_REASONS) and where the seat was."""

    on: date
    reason: str = UNSPECIFIED
    host_district: str | None = None


@dataclass(frozen=True)
class Placement:
    """One accepted offer: accepted `on`, for a seat in a group of `host_district` that
    starts `group_start_on`. `started`: the group ran (it did not cancel); `returned_on`: the
    day the parent went back to the queue because the group was cancelled."""

    on: date
    host_district: str | None = None
    group_start_on: date | None = None
    started: bool = True
    returned_on: date | None = None

    def held_at(self, day: date) -> bool:
        """Holding this seat at the end of `day`."""
        return self.on <= day and (self.returned_on is None or self.returned_on > day)


@dataclass(frozen=True)
class ApplicationHistory:
    """What happened to one application, as far as known on the day the record was built.

    - `first_offer_on`: the first offer ever made (the end of the wait the system caused).
    - `host_district`: district of the group of the accepted offer (None if never placed).
    - `placed_on`: the day an offer was accepted; `returned_on`: the day that placement ended
      without completing (group cancelled), so the parent was back in the queue.
    - `group_start_on`: start date of the group the parent was placed in.
    - `withdrawn_on`: the day the parent withdrew (left the queue for good).
    - `chose_to_wait`: the parent asked to wait for a language or time slot.
    - `placements`: every accepted offer in the order accepted (a parent whose group was
      cancelled may accept again). The single fields above describe the last one: given only
      them, `placements` is that one placement; given `placements`, they follow from it.
    """

    programme: str
    home_district: str
    queue_date: date
    status: str = "waiting"
    first_offer_on: date | None = None
    host_district: str | None = None
    placed_on: date | None = None
    returned_on: date | None = None
    group_start_on: date | None = None
    withdrawn_on: date | None = None
    declines: tuple[Decline, ...] = ()
    expiries: tuple[date, ...] = ()
    chose_to_wait: bool = False
    placements: tuple[Placement, ...] = ()

    def __post_init__(self) -> None:
        if self.placements:
            last = self.placements[-1]
            object.__setattr__(self, "placed_on", last.on)
            object.__setattr__(self, "host_district", last.host_district)
            object.__setattr__(self, "group_start_on", last.group_start_on)
            object.__setattr__(self, "returned_on", last.returned_on)
        elif self.placed_on is not None:
            only = Placement(
                self.placed_on, self.host_district, self.group_start_on, True, self.returned_on
            )
            object.__setattr__(self, "placements", (only,))

    def placed_at(self, day: date) -> bool:
        """Holding a placement (accepted offer) at the end of `day`."""
        return any(p.held_at(day) for p in self.placements)

    def open_at(self, day: date) -> bool:
        """In the queue (waiting or holding an unanswered offer) at the end of `day`."""
        if self.queue_date > day:
            return False
        if self.withdrawn_on is not None and self.withdrawn_on <= day:
            return False
        return not self.placed_at(day)

    def parent_chose_by(self, day: date) -> bool:
        """Part of this wait was the parent's choice by `day`: asked to wait, or declined."""
        return self.chose_to_wait or any(d.on <= day for d in self.declines)


GROUP_STARTED = frozenset({"running", "completed"})


@dataclass(frozen=True)
class GroupRecord:
    """One run of a programme in its host district.

    `too_few`: cancelled because it could not reach its minimum size.
    """

    district: str
    programme: str
    start_on: date
    status: str
    capacity: int
    enrolled: int
    cancelled_on: date | None = None
    too_few: bool = False

    @property
    def started(self) -> bool:
        return self.status in GROUP_STARTED
