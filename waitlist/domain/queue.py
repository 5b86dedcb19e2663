"""Queues: one per district x programme, ordered by queue date, ties by lottery (rule 1).

Also a parent's position and an honest wait estimate as a range, from the free seats in
upcoming groups ahead of them and the queue's recent throughput; when neither says anything,
no number is given and the reason is.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Protocol, TypeVar

from waitlist.domain.estimates import (
    QueueHistory,
    calibrated_range,
    raw_wait_weeks,
    speaks_group_language,
)


class Queued(Protocol):
    @property
    def id(self) -> int | str | None: ...
    @property
    def queue_date(self) -> date: ...
    @property
    def lottery(self) -> int: ...


def queue_key(entry: Queued) -> tuple[date, int, str]:
    """Sort key: queue date, then lottery, then id (ids only break exact lottery ties)."""
    return (entry.queue_date, entry.lottery, str(entry.id))


T = TypeVar("T", bound=Queued)


def in_queue_order(entries: Iterable[T]) -> list[T]:
    return sorted(entries, key=queue_key)


def position_of(entry_id: int | str, entries: Iterable[Queued]) -> int | None:
    """1-based position of an application in its queue, None when it is not in it."""
    for index, entry in enumerate(in_queue_order(entries), start=1):
        if entry.id == entry_id:
            return index
    return None


@dataclass(frozen=True)
class SeatBatch:
    """Free seats in one upcoming group the parent could take (eligible for them)."""

    start: date
    free: int


@dataclass(frozen=True)
class WaitEstimate:
    """Weeks from today until a likely offer, as a range; None with a reason when unknown."""

    low_weeks: int | None
    high_weeks: int | None
    basis: str
    reason: str | None = None
    # A calibrated range (basis "history"): the most likely wait and the share of parents
    # in the same place whose wait fell inside such a range (0.8: 8 in 10).
    likely_weeks: int | None = None
    coverage: float | None = None
    open_ended: bool = False  # calibrated, with no upper end: "low weeks or more"

    @property
    def known(self) -> bool:
        return self.low_weeks is not None and (self.high_weeks is not None or self.open_ended)


THROUGHPUT_WINDOW_WEEKS = 52


def cross_district_from(queue_date: date, after_weeks: int) -> date:
    """Rule 5: the first day a parent who opted in may be offered a seat in another district,
    once they have waited more than `after_weeks` weeks (as the placement solver counts it:
    days waited > 7 x weeks). That day falls in week `after_weeks + 1` of the wait."""
    return queue_date + timedelta(days=7 * after_weeks + 1)


def estimate_wait(
    *,
    position: int,
    today: date,
    seats: Sequence[SeatBatch],
    placements_in_window: int,
    window_weeks: int = THROUGHPUT_WINDOW_WEEKS,
    not_before: date | None = None,
    history: QueueHistory | None = None,
    languages: Sequence[str] | None = None,
) -> WaitEstimate:
    """Estimate a wait as a range: the one rule for the status page, the notices, the apply
    form and the simulation.

    With a `history` that calibrates (waitlist.domain.estimates: the queue's pace and how past
    predictions fared), the range is a prediction interval holding the wait for
    `history.coverage` of parents in the same place (a similar raw prediction), its quantiles
    taken at the history's adapted `level` (waitlist.domain.estimates.adapted_level), with the
    most likely wait inside it. `languages`: the parent's (None: not known, as on the apply
    form before one is ticked); "the same place" is then among the parents who, like this
    one, do or do not speak a language the queue's groups are run in
    (waitlist.domain.estimates.speaks_group_language).
    Without one, the rule of thumb below gives a range with no measured coverage.

    Seats: upcoming groups this parent fits, by start date. In the best case the parents
    ahead do not fit those groups, so the first group with a free seat serves them; in the
    worst case everyone ahead takes a seat first. Throughput: the queue placed
    `placements_in_window` parents in the last `window_weeks` weeks; at that pace the wait is
    position / rate, widened by +-30 % because intake is uneven. The range spans both views;
    beyond the known seats only throughput speaks.

    `not_before`: the day a child too young today can start (waitlist.domain.eligibility
    .can_start_from); no offer comes before it, so the wait counts from then at the least.
    """
    if position < 1:
        raise ValueError("position is 1-based")
    floor = (not_before - today).days / 7 if not_before is not None and not_before > today else 0
    if history is not None:
        raw = raw_wait_weeks(position, history.moves, history.window_weeks)
        fits = None
        if languages is not None:
            fits = speaks_group_language(languages, history.group_languages)
        past = history.calibrated(raw, fits)
        shown = calibrated_range(past, history.level) if past is not None else None
        if shown is not None:
            # Free seats already open for recruiting reach the parent's place: an offer may
            # come any week now, whatever the queue's past waits say (a new term's groups).
            lowest = shown.low_weeks
            if sum(s.free for s in seats if s.free > 0) >= position:
                lowest = 0
            # No offer before the child can start: the range moves up to that day.
            start = math.ceil(floor)
            upper = shown.high_weeks
            return WaitEstimate(
                low_weeks=max(lowest, start),
                high_weeks=None if upper is None else max(upper, start),
                basis="history",
                likely_weeks=max(shown.likely_weeks, start),
                coverage=shown.coverage,
                open_ended=upper is None,
            )
    lows: list[float] = []
    highs: list[float] = []
    bases: list[str] = []
    batches = sorted((s for s in seats if s.free > 0), key=lambda s: s.start)
    if batches:
        first = max(0.0, (batches[0].start - today).days / 7)
        lows.append(first)
        cumulative = 0
        for batch in batches:
            cumulative += batch.free
            if cumulative >= position:
                highs.append(max(0.0, (batch.start - today).days / 7))
                break
        bases.append("seats")
    if placements_in_window > 0:
        rate = placements_in_window / window_weeks
        central = position / rate
        lows.append(central * 0.7)
        highs.append(central * 1.3)
        bases.append("throughput")
    if not lows or not highs:
        if batches:
            reason = (
                "There are too few seats planned to reach your place in the queue, and no "
                "placements in the last year to judge the pace."
            )
        else:
            reason = (
                "No group you fit is planned and nobody in this queue was placed in the last "
                "year, so there is no basis for an estimate."
            )
        return WaitEstimate(None, None, basis="none", reason=reason)
    low, high = min(lows), max(highs)
    if floor > 0:
        low, high = max(low, floor), max(high, floor)
    return WaitEstimate(
        low_weeks=math.floor(low),
        high_weeks=max(math.ceil(high), math.floor(low)),
        basis="+".join(bases),
    )
