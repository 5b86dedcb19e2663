"""What the status page would have told every waiting parent each week, and what followed.

After every round (warm-up included, so the first measured weeks have a history to learn
from) each waiting parent is shown the wait for an offer in their own queue, from
waitlist.domain.queue.estimate_wait, the same function the status page uses:

- calibrated: the queue's pace and the outcomes of the ranges shown in the last half year
  (queue, else district, else city: waitlist.domain.estimates.pooled), only what was known
  that week, among parents who, like this one, did or did not speak a language of the
  queue's groups (those started in the last year or still to start), and the free seats of
  the queue's groups open for recruiting that the parent can take (run in a language they
  speak, at a time they chose);
  the quantiles taken at the district's adapted level (waitlist.domain.estimates
  .settle_levels: each range whose outcome became known since moves it, a miss up, a hit a
  little down; never below the promised coverage);
- rule of thumb: the same function without history (the same free seats and the queue's
  placements over the last year, +-30 %), for comparison.

The wait that followed is the weeks from that week until the parent's next offer (in any
district). A range shown in the measured weeks counts once the run has gone on past its upper
end, so that its outcome is known: covered when the offer came inside it, missed when it came
before or after it, or when the parent waited longer than its upper end without one. A range
whose parent withdrew before its upper end without an offer does not count (no wait followed).
A range with no upper end ("6 weeks or more") counts once the offer came or the parent waited
that long; the median width is over the ranges with an upper end, and the share without one
is given beside it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from statistics import median
from typing import Any

from waitlist.domain.eligibility import meeting_misfit
from waitlist.domain.estimates import (
    COVERAGE,
    GROUP_LANGUAGE_WEEKS,
    HISTORY_WEEKS,
    PACE_WINDOW_WEEKS,
    Key,
    Outcome,
    PastOutcomes,
    QueueHistory,
    by_band,
    merged,
    raw_wait_weeks,
    settle_levels,
    speaks_group_language,
)
from waitlist.domain.queue import THROUGHPUT_WINDOW_WEEKS, SeatBatch, estimate_wait, in_queue_order

Queue = tuple[str, str]  # district, programme


@dataclass(slots=True)
class Shown:
    """One range shown to one parent in one week, and what followed."""

    app: str
    queue: Queue
    week: int
    day: date
    raw: float
    low: int | None
    high: int | None
    thumb_low: int | None
    thumb_high: int | None
    fits: bool | None = None  # spoke a language of the queue's groups
    offered_on: date | None = None
    closed_on: date | None = None  # withdrew or closed without an offer
    settled: Outcome | None = None  # the outcome once it can no longer change

    @property
    def district(self) -> str:
        return self.queue[0]

    def outcome(self, today: date) -> Outcome:
        if self.settled is not None:
            return self.settled
        if self.offered_on is not None:
            waited = (self.offered_on - self.day).days / 7
            self.settled = Outcome(self.raw, waited, True, self.fits)
            return self.settled
        if self.closed_on is not None:
            waited = (self.closed_on - self.day).days / 7
            self.settled = Outcome(self.raw, waited, False, self.fits)
            return self.settled
        return Outcome(self.raw, (today - self.day).days / 7, False, self.fits)


@dataclass
class EstimateLog:
    shown: list[Shown] = field(default_factory=list)
    open: dict[str, list[Shown]] = field(default_factory=dict)  # by application
    offers_seen: dict[str, int] = field(default_factory=dict)
    waiting: dict[str, Queue] = field(default_factory=dict)  # last week's waiting parents
    moves: dict[Queue, list[tuple[int, int]]] = field(default_factory=dict)  # (week, net moves)
    by_queue: dict[Queue, list[Shown]] = field(default_factory=dict)  # the history window
    levels: dict[str, float] = field(default_factory=dict)  # adapted level, by district
    unsettled: list[Shown] = field(default_factory=list)  # ranges whose outcome is not known


def record_week(state: Any, today: date, week: int) -> None:
    """The recorder hook, after each round: settle what followed earlier ranges, count the
    week's moves per queue, show this week's ranges."""
    log: EstimateLog = state.estimates
    _settle(log, state, today)
    _adapt(log, today)
    waiting = {
        a.id: (a.arrival.district, a.arrival.programme)
        for a in state.apps.values()
        if a.status == "waiting"
    }
    _count_moves(log, state, waiting, week)
    log.waiting = waiting
    histories = _Histories(log, today, week)
    seats = _free_seats(state, today)
    placed = _placements(state, today)
    languages = _group_languages(state, today)
    queues: dict[Queue, list[Any]] = defaultdict(list)
    for app_id, queue in waiting.items():
        queues[queue].append(state.apps[app_id].arrival)
    for queue, arrivals in sorted(queues.items()):
        offered = frozenset(languages.get(queue, ()))
        history = histories.for_queue(queue, offered, log.levels.get(queue[0], COVERAGE))
        for position, arrival in enumerate(in_queue_order(arrivals), start=1):
            fits = speaks_group_language(arrival.languages, offered)
            fitting = _fitting(seats.get(queue, ()), arrival)
            calibrated = estimate_wait(
                position=position,
                today=today,
                seats=fitting,
                placements_in_window=0,
                history=history,
                languages=arrival.languages,
            )
            thumb = estimate_wait(
                position=position,
                today=today,
                seats=fitting,
                placements_in_window=placed.get(queue, 0),
            )
            shown = Shown(
                app=arrival.id,
                queue=queue,
                week=week,
                day=today,
                raw=histories.raw(queue, position),
                low=calibrated.low_weeks,
                high=calibrated.high_weeks,
                thumb_low=thumb.low_weeks,
                thumb_high=thumb.high_weeks,
                fits=fits,
            )
            log.shown.append(shown)
            if shown.low is not None:
                log.unsettled.append(shown)
            log.open.setdefault(arrival.id, []).append(shown)
            log.by_queue.setdefault(queue, []).append(shown)
            log.offers_seen[arrival.id] = state.apps[arrival.id].offers


def _settle(log: EstimateLog, state: Any, today: date) -> None:
    for app_id in list(log.open):
        app = state.apps[app_id]
        if app.offers > log.offers_seen.get(app_id, 0):
            for shown in log.open.pop(app_id):
                shown.offered_on = today
        elif app.status in ("withdrawn", "expired"):
            for shown in log.open.pop(app_id):
                shown.closed_on = app.ended or today


def _adapt(log: EstimateLog, today: date) -> None:
    """Adaptive calibration: every range whose outcome became known (the offer came, or its
    upper end passed without one, or "N weeks or more" and N weeks passed) moves its district's
    level (waitlist.domain.estimates.settle_levels, the rule the service replays too). A
    parent who left without an offer before that tells nothing."""
    log.levels, log.unsettled = settle_levels(log.levels, log.unsettled, today)


def _count_moves(log: EstimateLog, state: Any, waiting: dict[str, Queue], week: int) -> None:
    """Parents who left each queue since last week, less those who came back to it (after
    declining or a cancelled group): the places everyone behind them moved up."""
    net: dict[Queue, int] = defaultdict(int)
    for app_id, queue in log.waiting.items():
        if app_id not in waiting:
            net[queue] += 1
    for app_id, queue in waiting.items():
        if app_id not in log.waiting and state.apps[app_id].arrival.week < week:
            net[queue] -= 1
    for queue, n in net.items():
        log.moves.setdefault(queue, []).append((week, n))


class _Bands(Mapping[Key, PastOutcomes]):
    """A level's outcomes by band, sorted only when a queue first needs this level."""

    def __init__(self, build: Callable[[], dict[Key, PastOutcomes]]) -> None:
        self._build = build
        self._bands: dict[Key, PastOutcomes] | None = None

    @property
    def bands(self) -> dict[Key, PastOutcomes]:
        if self._bands is None:
            self._bands = self._build()
        return self._bands

    def __getitem__(self, key: Key) -> PastOutcomes:
        return self.bands[key]

    def __iter__(self) -> Iterator[Key]:
        return iter(self.bands)

    def __len__(self) -> int:
        return len(self.bands)


class _Histories:
    """The week's histories: per queue, district and city, each built when first asked for
    (most queues calibrate on their own, so the district's and the city's are rarely built)."""

    def __init__(self, log: EstimateLog, today: date, week: int) -> None:
        self.today, self.week = today, week
        self.window = min(PACE_WINDOW_WEEKS, max(week, 1))
        since = today - timedelta(weeks=HISTORY_WEEKS)
        self.shown: dict[Queue, list[Shown]] = {}
        for queue, shown in log.by_queue.items():
            first = next((i for i, s in enumerate(shown) if s.day > since), len(shown))
            if first:
                del shown[:first]  # shown in week order: the oldest leave the window first
            self.shown[queue] = shown
        self.moves = {
            queue: float(sum(n for w, n in moves if w > week - self.window))
            for queue, moves in log.moves.items()
        }
        self._outcomes: dict[Queue, list[Outcome]] = {}
        self._past: dict[Queue | str, _Bands] = {}  # by queue, district, "" (city)

    def raw(self, queue: Queue, position: int) -> float:
        return raw_wait_weeks(position, self.moves.get(queue, 0.0), self.window)

    def outcomes(self, queue: Queue) -> list[Outcome]:
        if queue not in self._outcomes:
            today = self.today
            self._outcomes[queue] = [s.outcome(today) for s in self.shown.get(queue, ())]
        return self._outcomes[queue]

    def _queue(self, queue: Queue) -> _Bands:
        if queue not in self._past:
            self._past[queue] = _Bands(lambda: by_band(self.outcomes(queue)))
        return self._past[queue]

    def _level(self, key: str, queues: Callable[[], Iterable[Queue]]) -> _Bands:
        """A district's or the city's: its queues' outcomes by band, put together."""
        if key not in self._past:
            self._past[key] = _Bands(lambda: merged(self._queue(q) for q in queues()))
        return self._past[key]

    def for_queue(
        self, queue: Queue, group_languages: frozenset[str], level: float = COVERAGE
    ) -> QueueHistory:
        """The queue's pace, with its outcomes, its district's and the city's, by band, and the
        district's adapted level."""
        district = queue[0]
        levels = (
            self._queue(queue),
            self._level(district, lambda: [q for q in self.shown if q[0] == district]),
            self._level("", lambda: list(self.shown)),
        )
        return QueueHistory(self.moves.get(queue, 0.0), levels, self.window, group_languages, level)


def _group_languages(state: Any, today: date) -> dict[Queue, set[str]]:
    """The languages each queue's groups are run in: groups started in the last year, or
    still to start, not cancelled."""
    since = today - timedelta(weeks=GROUP_LANGUAGE_WEEKS)
    languages: dict[Queue, set[str]] = defaultdict(set)
    for g in state.groups.values():
        if g.status != "cancelled" and g.start > since:
            languages[(g.district, g.programme)].add(g.language)
    return languages


def _free_seats(state: Any, today: date) -> dict[Queue, list[tuple[SeatBatch, str, str]]]:
    """Free seats of each queue's groups open for recruiting, with each group's language and
    time slot."""
    seats: dict[Queue, list[tuple[SeatBatch, str, str]]] = defaultdict(list)
    for g in state.groups.values():
        if g.status == "recruiting" and g.start >= today and g.taken < g.capacity:
            batch = SeatBatch(g.start, g.capacity - g.taken)
            seats[(g.district, g.programme)].append((batch, g.language, g.slot))
    return seats


def _fitting(seats: Iterable[tuple[SeatBatch, str, str]], arrival: Any) -> list[SeatBatch]:
    """The seats of groups run in a language the parent speaks at a time they chose
    (waitlist.domain.eligibility.meeting_misfit), as the status page counts them: seats of a
    group the parent cannot join bring no offer nearer."""
    return [
        batch
        for batch, language, slot in seats
        if meeting_misfit(
            languages=arrival.languages, slots=arrival.slots, language=language, slot=slot
        )
        is None
    ]


def _placements(state: Any, today: date) -> dict[Queue, int]:
    since = today - timedelta(weeks=THROUGHPUT_WINDOW_WEEKS)
    placed: dict[Queue, int] = defaultdict(int)
    for a in state.apps.values():
        if a.accepted_on is not None and a.accepted_on > since:
            placed[(a.arrival.district, a.arrival.programme)] += 1
    return placed


# -- measuring ---------------------------------------------------------------------------


def _verdict(low: int | None, high: int | None, s: Shown, end: date) -> bool | None:
    """Covered (True), missed (False), or not counted (None): no range shown, the run ended
    before the range's upper end (an offer could still come inside it), or the parent
    withdrew before it without an offer. A range with no upper end (`high` None, "low weeks
    or more") counts once the offer came, or once the parent waited `low` weeks without one."""
    if low is None:
        return None
    if high is None:
        if s.offered_on is not None:
            return (s.offered_on - s.day).days / 7 >= low
        return True if ((s.closed_on or end) - s.day).days / 7 >= low else None
    if s.day + timedelta(weeks=high) > end:
        return None
    if s.offered_on is not None:
        waited = (s.offered_on - s.day).days / 7
        return low <= waited <= high
    waited = ((s.closed_on or end) - s.day).days / 7
    return False if waited > high else None


def _figures(pairs: list[tuple[Shown, int | None, int | None]], end: date) -> dict[str, Any]:
    verdicts = [_verdict(lo, hi, s, end) for s, lo, hi in pairs]
    counted = [v for v in verdicts if v is not None]
    widths = [hi - lo for _, lo, hi in pairs if lo is not None and hi is not None]
    open_ended = sum(1 for _, lo, hi in pairs if lo is not None and hi is None)
    return {
        "coverage": round(sum(counted) / len(counted), 3) if counted else None,
        "median_width_weeks": float(median(widths)) if widths else None,
        "open_ended_share": round(open_ended / len(pairs), 3) if pairs else None,
        "ranges_shown": len(pairs),
        "ranges_counted": len(counted),
        "parents": len({s.app for s, _, _ in pairs}),
    }


def estimate_figures(log: EstimateLog, cohort: list[str], first_week: int, end: date) -> dict:
    """Coverage and median width of the ranges shown in the measured weeks, overall and by
    the parents' home district; the rule of thumb's the same way, for comparison."""
    members = set(cohort)
    measured = [s for s in log.shown if s.week >= first_week and s.app in members]
    out: dict[str, Any] = {}
    for key, pick in (
        ("calibrated", lambda s: (s, s.low, s.high)),
        ("rule_of_thumb", lambda s: (s, s.thumb_low, s.thumb_high)),
    ):
        pairs = [pick(s) for s in measured]
        by_district: dict[str, list[Any]] = defaultdict(list)
        for pair in pairs:
            by_district[pair[0].queue[0]].append(pair)
        figures = _figures(pairs, end)
        figures["by_district"] = {d: _figures(p, end) for d, p in sorted(by_district.items())}
        out[key] = figures
    calibrated = out.pop("calibrated")
    return {**calibrated, "rule_of_thumb": out["rule_of_thumb"]}
