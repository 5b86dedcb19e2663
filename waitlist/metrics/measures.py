"""Names of every published figure, and the additive relations between them.

A *count* is a number of people (or of their offers); every count is suppressed when small.
A *statistic* (median, P90, share, rate) is published only when the counts it rests on are.
Group counts are numbers of groups, not of people.
"""

from __future__ import annotations

from dataclasses import dataclass

from waitlist.metrics.records import DECLINE_REASONS

ALL = "all"
"""District or programme label of a margin (the sum over every district or programme)."""

STOCKS = ("waiting", "waiting_system", "waiting_chosen")
"""Counted at the last day of the period: not additive over time."""

FLOWS = (
    "new_applications",
    "offered",
    "offered_system",
    "offered_chosen",
    "started",
    "started_system",
    "started_chosen",
    "target_decided",
    "within_target",
    "missed_target",
    "placed_in",
    "placed_out",
    "declined",
    *(f"declined_{r}" for r in DECLINE_REASONS),
    "expired",
    "enrolled",
)
"""Counted over the days of the period: a quarter is the sum of its months."""

COUNTS = ("new_applications", *STOCKS, *FLOWS[1:])

GROUP_COUNTS = ("groups_started", "groups_cancelled_too_few")

# Whole = sum of parts, inside one district x programme cell.
MEASURE_SUMS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("waiting", ("waiting_system", "waiting_chosen")),
    ("offered", ("offered_system", "offered_chosen")),
    ("started", ("started_system", "started_chosen")),
    ("target_decided", ("within_target", "missed_target")),
    ("declined", tuple(f"declined_{r}" for r in DECLINE_REASONS)),
)

FLOW_PREFIX = "flow_to:"
"""Cross-district placements home -> host, kept at (home, ALL, 'flow_to:<host>')."""


@dataclass(frozen=True)
class WaitStatistic:
    name: str  # column prefix
    sample: str  # which waits
    base: str  # the count it rests on


WAITS = (
    WaitStatistic("offer_wait_system", "offer_system", "offered_system"),
    WaitStatistic("offer_wait_chosen", "offer_chosen", "offered_chosen"),
    WaitStatistic("start_wait_system", "start_system", "started_system"),
    WaitStatistic("start_wait_chosen", "start_chosen", "started_chosen"),
    WaitStatistic("open_age_system", "age_system", "waiting_system"),
    WaitStatistic("open_age_chosen", "age_chosen", "waiting_chosen"),
)

STATISTICS = (
    *(f"{w.name}_{q}_days" for w in WAITS for q in ("median", "p90")),
    "share_within_target",
    "fill_rate",
)

COLUMNS = ("period", "district", "programme", *COUNTS, *STATISTICS, *GROUP_COUNTS)
"""Every column of the district x programme x period table, in export order."""
