"""Wait estimates calibrated on the queue's own history (split-conformal prediction).

A queue's pace is how many parents left it ahead of others over the last weeks (offers made,
withdrawals, applications closed after unanswered offers, net of parents who came back after
declining or after a cancelled group). At that pace a parent in place `p` reaches the front in
about `p / pace` weeks: the *raw* prediction. It sorts parents into bands of similar raw
predictions ("parents in your place": under 4 weeks, 4-11, 12-25, 26-51, 52 or more).

Every past (week, waiting parent) is an outcome: the band the parent was in then and the weeks
that followed until an offer came (in any district). The range shown to a parent is the
split-conformal interval of the past waits in their band: with n past waits, the lower end
the floor((n + 1) * (1 - coverage) / 2)-th smallest, the upper end the
ceil((n + 1) * (1 + coverage) / 2)-th (unbounded when n is too small for that), the most
likely wait their median. When the past waits and the new one are exchangeable, the range
holds the wait with probability at least `coverage`, whatever drives the waits: the raw
prediction only chooses which past parents count as "in your place".

Parents who speak none of the languages the queue's groups are run in wait for a group in
their language, not for their place in the queue: their waits are calibrated apart from the
others' ("parents in your place" are the parents in the same band who, like you, do or do not
speak a language of the queue's groups). When that is not known (the apply form before a
language is ticked), everyone in the band counts.

Outcomes still open (the parent still waits, or withdrew without an offer) are known only to
be at least as long as the weeks seen so far: they are weighted as Kaplan-Meier does (each
one's weight passes on to the longer waits), which is the plain empirical distribution when
every outcome is known. When more than the tail of them waited longer than any wait seen, the
range has no upper end ("6 weeks or more"): that is what the history can say.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Protocol, TypeVar

COVERAGE = 0.8  # 8 parents in 10: the share of parents whose wait falls inside the range
PACE_WINDOW_WEEKS = 26  # the pace is counted over the last half year
HISTORY_WEEKS = 26  # outcomes of ranges shown in the last half year calibrate the range
MIN_OUTCOMES = 60  # fewer outcomes than this in a queue: its district's, then the city's
GROUP_LANGUAGE_WEEKS = 52  # a queue's groups: those started in the last year or still to start


BANDS = (4, 12, 26, 52)  # raw-prediction band edges in weeks

# Adaptive calibration: each range whose outcome becomes known moves its district's working
# level by ADAPT_STEP x (missed - (1 - coverage)); the quantiles are taken at that level, kept
# within these bounds (the promise to parents stays `coverage`). The lower bound is the
# promise itself: the level widens ranges after misses, it never narrows them below the
# split-conformal range at COVERAGE (narrowing after weeks of hits put the lower ends of a
# queue whose offers come in bursts, a new term's groups, past the next burst).
ADAPT_STEP = 0.02
LEVEL_BOUNDS = (COVERAGE, 0.97)
# Where ranges held far more often than promised the level falls below RISE_BELOW (0: adaptive
# calibration would show no range at all, each net hit beyond the promise lowers it by
# ADAPT_STEP x (1 - COVERAGE)). The quantiles stay at COVERAGE, but a range with no upper end
# whose lower end the history holds at the longest wait for an offer seen (every such wait in
# its lower tail: the history cannot say more) has that lower end raised RISE_WEEKS weeks for
# each unit the level is below RISE_BELOW, never past the longest wait seen, offered or not.
# Misses stop it: a raised lower end that an offer comes before raises the level again.
RISE_BELOW = 0.0
RISE_WEEKS = 5.0
# The service replays the ranges its pages would have shown over the last year, week by week,
# to know each district's level (the simulation keeps it as it runs).
LEVEL_WEEKS = 52


@dataclass(frozen=True)
class Outcome:
    """One past raw prediction and the weeks that followed it."""

    raw_weeks: float
    waited_weeks: float
    offered: bool  # False: no offer yet (still waiting, or withdrew): the wait is at least this
    fits: bool | None = None  # spoke a language of the queue's groups (None: not known)

    @property
    def band(self) -> int:
        return band_of(self.raw_weeks)


Key = tuple[int, bool | None]  # band, and whether the parent speaks a group's language


def speaks_group_language(
    parent_languages: Iterable[str], group_languages: Iterable[str]
) -> bool | None:
    """Whether a parent speaks a language the queue's groups are run in; None when the queue
    has no groups to say (then every parent in the band counts alike)."""
    offered = set(group_languages)
    if not offered:
        return None
    return not offered.isdisjoint(parent_languages)


def band_of(raw_weeks: float) -> int:
    """The band of parents "in the same place": 0 (under 4 weeks) to 4 (52 or more)."""
    return bisect_right(BANDS, raw_weeks)


def raw_wait_weeks(position: int, moves: float, window_weeks: int = PACE_WINDOW_WEEKS) -> float:
    """Weeks until place `position` reaches the front at the queue's pace (`moves` parents
    left it ahead of others in `window_weeks` weeks; no moves counts as one, so a stalled
    queue gives a long wait rather than none)."""
    if position < 1:
        raise ValueError("position is 1-based")
    pace = max(moves, 1.0) / window_weeks
    return position / pace


@dataclass(frozen=True)
class Quantiles:
    """Conformal quantiles of past waits: lower, median and upper (None: unbounded)."""

    low: float
    median: float
    high: float | None
    outcomes: int
    # With no upper end and every wait for an offer within the lower tail: the longest wait
    # seen (offered or not), as far as the lower end may be raised (RISE_WEEKS). Else None.
    longest: float | None = None


def _weights(scored: Sequence[tuple[float, bool]]) -> list[tuple[float, float]]:
    """Kaplan-Meier weights of the known values, sorted (known before open at equal values).
    Weight that open outcomes leave beyond the largest known value stays unplaced: those
    parents waited longer than anyone seen to get an offer."""
    ordered = sorted(scored, key=lambda s: (s[0], not s[1]))
    n = len(ordered)
    surviving, masses = 1.0, []
    for i, (value, known) in enumerate(ordered):
        if known:
            mass = surviving / (n - i)
            masses.append((value, mass))
            surviving -= mass
    return masses


def conformal_quantiles(scored: Sequence[tuple[float, bool]], coverage: float) -> Quantiles | None:
    """Split-conformal quantiles of `scored` = (value, known) pairs for a range holding
    `coverage` of new outcomes; None when no value is known at all.

    Two-sided, the tails shared equally, while the known waits can bound the upper end: up to
    the coverage `bounded` = 2 * (known weight) * n / (n + 1) - 1. Beyond it the range has no
    upper end, and its lower end leaves out min(1 - coverage, (1 - bounded) / 2): a one-sided
    range holds its coverage with that, and it never rises above the lower end of a bounded
    range at a lower coverage (ranges stay nested as the coverage grows)."""
    if not 0.0 < coverage < 1.0:
        raise ValueError("coverage must be between 0 and 1")
    n = len(scored)
    masses = _weights(scored)
    if not masses:
        return None
    # The new outcome's own weight 1/(n+1) sits at +infinity (the conformal correction).
    scale = n / (n + 1)
    eps = 1e-12
    bounded = 2 * sum(mass for _, mass in masses) * scale - 1
    tail = (1.0 - coverage) / 2
    if coverage > bounded + eps:
        tail = min(1.0 - coverage, (1.0 - bounded) / 2)
    low, cumulative, median, high = 0.0, 0.0, None, None
    for index, (value, mass) in enumerate(masses):
        # The lower end may rise to `value` while the waits below it, with the new one, are
        # at most the tail: floor((n + 1) * tail)-th smallest when no two waits are equal.
        if cumulative * scale + 1 / (n + 1) <= tail + eps:
            low = value
        cumulative += mass
        last_of_value = index + 1 == len(masses) or masses[index + 1][0] != value
        if not last_of_value:
            continue
        if median is None and cumulative >= 0.5 - eps:
            median = value
        if high is None and coverage <= bounded + eps:
            if cumulative * scale >= 1.0 - tail - eps:
                high = value
    if median is None:  # most parents waited longer than any wait seen: at least that long
        median = masses[-1][0]
    longest = None
    if high is None and cumulative * scale + 1 / (n + 1) <= tail + eps:
        longest = max(value for value, _ in scored)
    return Quantiles(low=low, median=max(median, low), high=high, outcomes=n, longest=longest)


@dataclass(frozen=True)
class PastOutcomes:
    """Outcomes of past raw predictions (a queue's, a district's or the city's): what the
    range is calibrated on, once for every parent it is shown to."""

    outcomes: tuple[Outcome, ...]
    coverage: float = COVERAGE
    _at: dict[float, Quantiles | None] = field(
        default_factory=dict, compare=False, hash=False, repr=False
    )

    @cached_property
    def quantiles(self) -> Quantiles | None:
        """Calibrated quantiles (the upper one None: no upper end), or None when the outcomes
        are too few, or none of them was an offer."""
        return self.quantiles_at(self.coverage)

    def quantiles_at(self, level: float) -> Quantiles | None:
        """The quantiles taken at a working `level` instead of the coverage (adaptive
        calibration: waitlist.domain.estimates.adapted_level), kept per level."""
        if len(self.outcomes) < MIN_OUTCOMES:
            return None
        if level not in self._at:
            self._at[level] = conformal_quantiles(
                [(o.waited_weeks, o.offered) for o in self.outcomes], level
            )
        return self._at[level]


def adapted_level(
    level: float, missed: bool, coverage: float = COVERAGE, step: float = ADAPT_STEP
) -> float:
    """Adaptive conformal calibration (Gibbs and Candès, 2021): the level after one more range
    whose outcome is known. A miss raises it (wider ranges), a hit lowers it a little, so that
    over time `coverage` of the ranges hold however the queue's pace changes: the misses' share
    stays within (1 + step) / (step x ranges) of 1 - coverage. The level itself is not bounded
    (that is what keeps the guarantee); working_level bounds what the quantiles are taken at."""
    return level + step * ((1.0 if missed else 0.0) - (1.0 - coverage))


def working_level(level: float) -> float:
    """The level the quantiles are taken at: the adapted level within LEVEL_BOUNDS, so never
    below the promised coverage (a range is never narrower than the split-conformal one)."""
    low, high = LEVEL_BOUNDS
    return min(high, max(low, level))


def range_held(low: int, high: int | None, waited_weeks: float, offered: bool) -> bool | None:
    """Whether a range shown `waited_weeks` ago held, once that is known: True or False, or
    None while it is not known yet (and never, if the parent leaves without an offer now).
    `offered`: the offer came at `waited_weeks` (else none has come so far)."""
    if offered:
        return low <= waited_weeks and (high is None or waited_weeks <= high)
    if high is not None and waited_weeks > high:
        return False  # waited past the upper end without an offer
    if high is None and waited_weeks >= low:
        return True  # "low weeks or more", and that many have passed
    return None


class ShownRange(Protocol):
    """A range shown to a parent on `day`, and what followed as far as it is known: the day of
    their next offer, or the day they left the queue without one (None: not, or not yet)."""

    @property
    def district(self) -> str: ...
    @property
    def day(self) -> date: ...
    @property
    def low(self) -> int | None: ...
    @property
    def high(self) -> int | None: ...
    @property
    def offered_on(self) -> date | None: ...
    @property
    def closed_on(self) -> date | None: ...


@dataclass(frozen=True)
class PastRange:
    """A ShownRange as the service replays it from stored history and the tests draw it."""

    district: str
    day: date
    low: int | None
    high: int | None
    offered_on: date | None = None
    closed_on: date | None = None


R = TypeVar("R", bound=ShownRange)


def _known_by(day: date | None, today: date) -> date | None:
    return day if day is not None and day <= today else None


def settle_levels(
    levels: Mapping[str, float], pending: Iterable[R], today: date, coverage: float = COVERAGE
) -> tuple[dict[str, float], list[R]]:
    """The districts' levels once what is known `today` about the `pending` ranges is counted:
    every range whose outcome is known by then (the offer came; its upper end passed without
    one; "N weeks or more" and N weeks passed) moves its district's level (adapted_level; a
    district not in `levels` starts from `coverage`). Returned with the ranges still not known,
    in their order; a range whose parent left without an offer before that is dropped (no
    wait followed). An offer or a leaving dated after `today` is not known yet: so the same
    ranges settled on one day and then on a later one move the levels as settling them on
    the later day at once does, the one rule for the simulation (every week as it runs) and
    the service (replaying its stored history)."""
    moved = dict(levels)
    still: list[R] = []
    for shown in pending:
        if shown.low is None:
            continue
        offered_on = _known_by(shown.offered_on, today)
        closed_on = _known_by(shown.closed_on, today)
        waited = ((offered_on or closed_on or today) - shown.day).days / 7
        held = range_held(shown.low, shown.high, waited, offered_on is not None)
        if held is None:
            if closed_on is None:
                still.append(shown)
            continue
        district = shown.district
        moved[district] = adapted_level(moved.get(district, coverage), not held, coverage=coverage)
    return moved, still


def pooled(levels: Iterable[PastOutcomes]) -> PastOutcomes | None:
    """The first outcomes (the queue's, then the district's, then the city's) that calibrate
    a range."""
    for past in levels:
        if past.quantiles is not None:
            return past
    return None


@dataclass(frozen=True)
class QueueHistory:
    """What one queue's history says: its pace, and the past outcomes by band at each level
    (the queue's, then its district's, then the city's), the first that calibrates is used."""

    moves: float  # parents who left the queue ahead of others in the pace window, net
    levels: tuple[Mapping[Key, PastOutcomes], ...]
    window_weeks: int = PACE_WINDOW_WEEKS
    # The languages the queue's groups are run in (started in the last year or to start).
    group_languages: frozenset[str] = frozenset()
    # The working level the quantiles are taken at (adaptive calibration of the district).
    level: float = COVERAGE

    def calibrated(self, raw_weeks: float, fits: bool | None = None) -> PastOutcomes | None:
        """The outcomes of the parents in the same place: the same band and, when known, the
        same answer to whether they speak a language of the queue's groups."""
        key = (band_of(raw_weeks), fits)
        return pooled(level[key] for level in self.levels if key in level)


def by_band(outcomes: Iterable[Outcome], coverage: float = COVERAGE) -> dict[Key, PastOutcomes]:
    """Outcomes sorted into their bands, each band whole (key `(band, None)`) and split by
    whether the parent spoke a language of the queue's groups (`(band, True)`, `(band, False)`;
    outcomes not known either way count only in the whole band), each ready to calibrate."""
    bands: dict[Key, list[Outcome]] = {}
    for outcome in outcomes:
        band = outcome.band
        bands.setdefault((band, None), []).append(outcome)
        if outcome.fits is not None:
            bands.setdefault((band, outcome.fits), []).append(outcome)
    return {key: PastOutcomes(tuple(found), coverage) for key, found in bands.items()}


def merged(
    parts: Iterable[Mapping[Key, PastOutcomes]], coverage: float = COVERAGE
) -> dict[Key, PastOutcomes]:
    """Several queues' outcomes by band (from by_band) as one level: a district's, the city's."""
    found: dict[Key, list[Outcome]] = {}
    for part in parts:
        for key, past in part.items():
            found.setdefault(key, []).extend(past.outcomes)
    return {key: PastOutcomes(tuple(outcomes), coverage) for key, outcomes in found.items()}


@dataclass(frozen=True)
class CalibratedRange:
    low_weeks: int
    likely_weeks: int
    high_weeks: int | None  # None: no upper end
    coverage: float


def raised_low(q: Quantiles, level: float) -> float:
    """The lower end of a range with no upper end, raised RISE_WEEKS weeks for each unit the
    adapted `level` is below RISE_BELOW when the history holds it at the longest wait for an
    offer seen (`q.longest` set), never past the longest wait seen."""
    if q.longest is None or level >= RISE_BELOW:
        return q.low
    rise = round(RISE_WEEKS * (RISE_BELOW - level), 1)
    return max(q.low, min(q.longest, q.low + rise))


def calibrated_range(past: PastOutcomes, level: float | None = None) -> CalibratedRange | None:
    """The range as shown, in whole weeks: widened outwards, the likely wait inside it. With
    a working `level` (adaptive calibration) the quantiles are taken at it, and a range with
    no upper end held at the longest wait for an offer seen has its lower end raised when the
    level is far below the coverage (raised_low); the coverage the range promises stays the
    outcomes' own."""
    q = past.quantiles if level is None else past.quantiles_at(working_level(level))
    if q is None:
        return None
    if q.high is None:
        low = math.floor((q.low if level is None else raised_low(q, level)) + 1e-9)
        return CalibratedRange(low, max(round(q.median), low), None, past.coverage)
    low = math.floor(q.low + 1e-9)
    likely = max(round(q.median), low)
    high = max(low, math.ceil(q.high - 1e-9))
    return CalibratedRange(low, min(likely, high), high, past.coverage)
