"""Rule 5, cross-district: when a parent who opted in may be offered a seat elsewhere.

A parent with no seat in their own district this round may be offered one elsewhere (within
their travel limit) when their own-district wait is long, as the policy measures it:

- `waited` (the default test): the wait so far is over `cross_district_after_weeks`;
- `projected`: as `waited`, or the projected own-district wait is over the limit.

The projected own-district wait is the wait so far plus the time the own district's planned
seats need to reach the parent: their place among the parents of the same queue left without
a seat this round, divided by the seats a week the district plans for that programme. Where
the district plans no such seat in the lookahead, none is in sight: the wait is then at least
the lookahead itself.

Rule 1 holds: the projection a parent is judged by is the shortest of their own and those of
everyone ahead of them in the same queue, so nobody who queued later may move to a seat
elsewhere while an earlier parent of the same queue may not (and the figure stated is one the
parent's own projection is at least). Rule 4 is the caller's: only a parent with no
own-district seat this round is asked.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from enum import StrEnum


class CrossTest(StrEnum):
    """Which test allowed a seat elsewhere (the explanation says which)."""

    WAITED = "waited"  # waited longer than the limit
    PROJECTED = "projected"  # the projected own-district wait is longer than the limit

    __hash__ = str.__hash__  # as its value hashes (reasons are memoised by facts)


CROSS_TESTS = tuple(t.value for t in CrossTest)
LONGEST_DAYS = 7 * 520  # a projection stops at ten years


def projected_waits(
    waited_days: Sequence[int], *, free_seats: int, seats_per_week: float, lookahead_weeks: int
) -> list[int]:
    """Projected own-district wait, in days, of each parent of one queue (in queue order).

    `waited_days`: the wait so far of every waiting parent of the queue (a district and a
    programme), earliest queued first. `free_seats`: the queue's free own-district seats this
    round (the first that many parents are expected to take them). `seats_per_week`: the
    seats the district plans for the programme per week over the next `lookahead_weeks`.
    Each value is the shortest of the parent's own projection and those of everyone ahead.
    """
    out: list[int] = []
    shortest = math.inf
    for i, waited in enumerate(waited_days):
        ahead = max(0, i + 1 - max(0, free_seats))  # place among those left without a seat
        if ahead == 0:
            own = waited
        elif seats_per_week > 0:
            own = waited + math.ceil(min(7 * ahead / seats_per_week, LONGEST_DAYS))
        else:  # no seat planned in the lookahead: at least that long
            own = waited + 7 * max(0, lookahead_weeks) + 1
        shortest = min(shortest, own)
        out.append(int(shortest))
    return out


def cross_district_test(
    *, opted_in: bool, waited_days: int, after_weeks: int, projected_days: int | None = None
) -> CrossTest | None:
    """The test under which a parent with no own-district seat may be offered one elsewhere,
    or None. `projected_days` is None unless the policy is `projected`.

    Waited is asked first: a parent who has waited past the limit is told so.
    """
    if not opted_in:
        return None
    limit = 7 * after_weeks
    if waited_days > limit:
        return CrossTest.WAITED
    if projected_days is not None and projected_days > limit:
        return CrossTest.PROJECTED
    return None


def projected_weeks(days: int) -> int:
    """Projected days as whole weeks for a reason: rounded up, so a wait over the limit is
    never stated as the limit itself."""
    return max(0, math.ceil(days / 7))


def planned_seats_per_week(groups: Sequence[tuple[int, int]], *, lookahead_weeks: int) -> float:
    """Seats a week a queue's own district plans: `groups` are (days from today to the start,
    capacity) of its planned and recruiting groups; those starting within the lookahead count.
    """
    weeks = max(1, lookahead_weeks)
    seats = sum(capacity for days, capacity in groups if 0 < days <= 7 * weeks)
    return seats / weeks


def within_reach(home: str, host: str, opted_in: bool, limit: int, minutes: int | None) -> bool:
    """Whether a group in `host` is within a parent's reach: always in their own district
    (`home`); elsewhere only when they opted in and the travel `minutes` are known and within
    their `limit`."""
    if host == home:
        return True
    return opted_in and minutes is not None and minutes <= limit
