"""Calibrated wait estimates: the split-conformal range and the one estimate rule using it."""

from __future__ import annotations

import math
import random
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.support.budgets import examples
from waitlist.domain.estimates import (
    ADAPT_STEP,
    COVERAGE,
    MIN_OUTCOMES,
    RISE_BELOW,
    RISE_WEEKS,
    Outcome,
    PastRange,
    QueueHistory,
    adapted_level,
    by_band,
    conformal_quantiles,
    range_held,
    raw_wait_weeks,
    settle_levels,
    speaks_group_language,
)
from waitlist.domain.queue import SeatBatch, estimate_wait
from waitlist.simulation.estimates import _fitting

TODAY = date(2026, 3, 2)
waits = st.lists(st.integers(min_value=0, max_value=120).map(float), min_size=1, max_size=60)
coverages = st.floats(min_value=0.05, max_value=0.95)


def _known(values: list[float]) -> list[tuple[float, bool]]:
    return [(v, True) for v in values]


def _inside(value: float, low: float, high: float | None) -> bool:
    return low <= value and (high is None or value <= high)


@given(waits, coverages, coverages)
def test_a_higher_coverage_never_gives_a_narrower_range(values, a, b):
    lower, higher = sorted((a, b))
    narrow = conformal_quantiles(_known(values), lower)
    wide = conformal_quantiles(_known(values), higher)
    assert narrow is not None and wide is not None
    assert wide.low <= narrow.low
    assert wide.high is None or (narrow.high is not None and narrow.high <= wide.high)


@given(waits, coverages)
def test_the_range_holds_its_most_likely_wait(values, coverage):
    q = conformal_quantiles(_known(values), coverage)
    assert q is not None
    assert q.low <= q.median
    assert q.high is None or q.median <= q.high


@settings(max_examples=examples(200))
@given(st.lists(st.integers(0, 40).map(float), min_size=2, max_size=40), coverages)
def test_on_exchangeable_waits_the_range_holds_at_least_its_coverage(values, coverage):
    """The finite-sample guarantee, exactly: each wait in turn is the new one and the others
    the history; every order of exchangeable waits is equally likely, so the share of turns
    in which the range held the new wait is the probability it does."""
    held = 0
    for i, new in enumerate(values):
        q = conformal_quantiles(_known(values[:i] + values[i + 1 :]), coverage)
        assert q is not None
        held += _inside(new, q.low, q.high)
    assert held / len(values) >= coverage - 1e-9


def test_with_too_few_waits_the_upper_end_is_unbounded():
    # 5 past waits cannot bound 8 in 10 new ones: the 6th of 6 would be needed.
    q = conformal_quantiles(_known([3.0, 4.0, 5.0, 6.0, 7.0]), 0.8)
    assert q is not None and q.high is None


def test_waits_still_open_push_the_range_up():
    known = _known([float(w) for w in range(1, 21)])
    some_open = known[:10] + [(v, False) for v, _ in known[10:]]
    closed = conformal_quantiles(known, 0.8)
    still_open = conformal_quantiles(some_open + [(30.0, False)], 0.8)
    assert closed is not None and still_open is not None and closed.high is not None
    assert still_open.high is None or still_open.high >= closed.high
    assert still_open.low >= closed.low


def test_when_many_waited_longer_than_any_wait_seen_the_range_has_no_upper_end():
    history = [(float(w), True) for w in range(1, 11)] + [(12.0, False)] * 10
    q = conformal_quantiles(history, 0.8)
    assert q is not None and q.high is None and q.low <= q.median


def _history(
    waited: list[float], raw: float = 10.0, moves: float = 26.0, level: float = COVERAGE
) -> QueueHistory:
    outcomes = [Outcome(raw, w, True) for w in waited]
    return QueueHistory(moves=moves, levels=(by_band(outcomes),), level=level)


def test_the_estimate_from_history_is_the_conformal_range_of_the_waits_in_the_same_place():
    waited = [float(6 + (i % 6)) for i in range(MIN_OUTCOMES)]  # 6..11 weeks
    est = estimate_wait(
        position=10, today=TODAY, seats=(), placements_in_window=0, history=_history(waited)
    )
    assert (est.basis, est.low_weeks, est.high_weeks, est.coverage) == ("history", 6, 11, COVERAGE)
    assert est.likely_weeks is not None and 6 <= est.likely_weeks <= 11


@pytest.mark.parametrize(("position", "low"), [(10, 0), (20, 0), (21, 6)])
def test_seats_planned_up_to_the_parents_place_open_the_range_from_this_week(position, low):
    """A new term's groups can bring offers sooner than the queue's past waits: a parent whom
    the free seats already planned reach is told an offer may come any week now."""
    waited = [float(6 + (i % 6)) for i in range(MIN_OUTCOMES)]  # 6..11 weeks
    est = estimate_wait(
        position=position,
        today=TODAY,
        seats=[SeatBatch(TODAY + timedelta(weeks=5), 12), SeatBatch(TODAY + timedelta(weeks=9), 8)],
        placements_in_window=0,
        history=_history(waited, raw=10.0 * position / 10),
    )
    assert est.basis == "history" and (est.low_weeks, est.high_weeks) == (low, 11)


def test_without_enough_history_the_rule_of_thumb_answers():
    est = estimate_wait(
        position=10,
        today=TODAY,
        seats=[SeatBatch(TODAY + timedelta(weeks=3), 20)],
        placements_in_window=52,
        history=_history([5.0] * (MIN_OUTCOMES - 1)),
    )
    assert est.basis == "seats+throughput" and est.coverage is None


def test_a_child_too_young_moves_the_whole_range_to_the_day_they_can_start():
    waited = [float(2 + (i % 4)) for i in range(MIN_OUTCOMES)]
    start = TODAY + timedelta(weeks=9)
    est = estimate_wait(
        position=10,
        today=TODAY,
        seats=(),
        placements_in_window=0,
        not_before=start,
        history=_history(waited),
    )
    assert est.low_weeks == est.likely_weeks == est.high_weeks == 9


@given(st.integers(1, 500), st.floats(0, 400))
def test_the_raw_prediction_grows_with_the_place_in_the_queue(position, moves):
    here = raw_wait_weeks(position, moves)
    assert math.isfinite(here) and raw_wait_weeks(position + 1, moves) > here


def test_a_coverage_outside_0_and_1_is_refused():
    with pytest.raises(ValueError):
        conformal_quantiles(_known([1.0]), 1.0)


def test_a_calibrated_range_is_said_plainly_in_swedish_and_english():
    from api.web.wording import wait_basis, wait_range
    from waitlist.domain.queue import WaitEstimate
    from waitlist.translations import translations

    sv, en = translations("sv").gettext, translations("en").gettext
    est = WaitEstimate(6, 11, "history", likely_weeks=8, coverage=0.8)
    assert wait_basis(sv, est, "sv") == (
        "Troligast 6–11 veckor; 8 av 10 föräldrar i ditt läge fick vänta inom det spannet "
        "(utifrån väntetiderna i den här kön det senaste halvåret)."
    )
    assert wait_basis(en, est, "en").startswith(
        "Most likely 6–11 weeks; 8 in 10 parents in your place waited within this range"
    )
    open_ended = WaitEstimate(12, None, "history", likely_weeks=30, coverage=0.8, open_ended=True)
    assert wait_range(sv, open_ended, "sv") == "12 veckor eller mer"
    assert wait_range(en, open_ended, "en") == "12 weeks or more"
    assert wait_basis(sv, open_ended, "sv").startswith("Troligast 12 veckor eller mer; 8 av 10")


def _by_language(fitting: list[float], others: list[float]) -> QueueHistory:
    """Parents who speak the queue's group language (Swedish) waited `fitting` weeks, the
    others `others` weeks, all in the same band."""
    outcomes = [Outcome(10.0, w, True, True) for w in fitting]
    outcomes += [Outcome(10.0, w, True, False) for w in others]
    return QueueHistory(moves=26.0, levels=(by_band(outcomes),), group_languages=frozenset({"sv"}))


@pytest.mark.parametrize(
    ("languages", "low", "high"),
    [(["sv", "ar"], 2, 5), (["so"], 30, 35), (None, 2, 34)],
)
def test_parents_who_speak_no_language_of_the_queues_groups_are_told_their_own_wait(
    languages, low, high
):
    """Parents who speak none of the languages the queue's groups are run in wait for a
    group in their language: their range comes from such parents' waits, the others' from
    theirs; when the languages are not known (the apply form) everyone in the place counts."""
    history = _by_language(
        [float(2 + i % 4) for i in range(MIN_OUTCOMES)],
        [float(30 + i % 6) for i in range(MIN_OUTCOMES)],
    )
    est = estimate_wait(
        position=10,
        today=TODAY,
        seats=(),
        placements_in_window=0,
        history=history,
        languages=languages,
    )
    assert (est.basis, est.low_weeks, est.high_weeks) == ("history", low, high)


def test_a_queue_without_groups_says_nothing_about_languages():
    assert speaks_group_language(["so"], []) is None
    assert speaks_group_language(["so", "sv"], ["sv"]) is True
    assert speaks_group_language(["so"], ["sv", "ar"]) is False


@st.composite
def _outcomes(draw: st.DrawFn) -> list[Outcome]:
    """A queue's history: raw predictions, waits, offers or not, languages or not known."""
    rng = random.Random(draw(st.integers(0, 2**32)))
    short = draw(st.booleans())  # many waits under a week, or long ones
    offered = draw(st.sampled_from([0.7, 0.1]))  # most waits ended in an offer, or few did
    return [
        Outcome(
            rng.uniform(0, 200),
            float(rng.randint(0, 2 if short else 80)),
            rng.random() < offered,
            rng.choice([True, False, None]),
        )
        for _ in range(draw(st.integers(MIN_OUTCOMES, 3 * MIN_OUTCOMES)))
    ]


@settings(max_examples=60)
@given(
    _outcomes(),
    st.integers(1, 400),
    st.floats(0, 300),
    st.sampled_from([None, ["sv"], ["so"]]),
    st.lists(st.tuples(st.integers(0, 30), st.integers(0, 20)), max_size=3),
    st.floats(-5, 5),
)
def test_every_range_is_ordered_and_never_negative(
    outcomes, position, moves, languages, seats, level
):
    """Whatever the history, seats, languages and adapted level: 0 <= lower end <= most
    likely <= upper end, and a calibrated range states its coverage (the promise, not the
    level it was taken at)."""
    history = QueueHistory(
        moves, (by_band(outcomes),), group_languages=frozenset({"sv"}), level=level
    )
    est = estimate_wait(
        position=position,
        today=TODAY,
        seats=[SeatBatch(TODAY + timedelta(weeks=w), free) for w, free in seats],
        placements_in_window=0,
        history=history,
        languages=languages,
    )
    if est.basis != "history":
        return
    assert est.low_weeks is not None and est.likely_weeks is not None
    assert 0 <= est.low_weeks <= est.likely_weeks
    assert est.coverage == COVERAGE
    if est.open_ended:
        assert est.high_weeks is None
    else:
        assert est.high_weeks is not None and est.likely_weeks <= est.high_weeks


@settings(max_examples=60)
@given(_outcomes(), st.integers(1, 400), st.floats(0, 300), st.floats(-5, 5), st.floats(-5, 5))
def test_a_higher_adapted_level_never_gives_a_narrower_range(outcomes, position, moves, a, b):
    """Adaptive calibration only ever widens ranges after misses: at a higher level the range
    starts no later and ends no sooner (an open end counts as the latest)."""
    lower, higher = sorted((a, b))
    _assert_within(
        _shown_at(outcomes, position, moves, lower), _shown_at(outcomes, position, moves, higher)
    )


def _shown_at(outcomes, position: int, moves: float, level: float):  # type: ignore[no-untyped-def]
    """The range a parent in `position` is shown from `outcomes`, its quantiles at `level`."""
    history = QueueHistory(moves, (by_band(outcomes),), level=level)
    return estimate_wait(
        position=position, today=TODAY, seats=(), placements_in_window=0, history=history
    )


def _assert_within(narrow, wide) -> None:  # type: ignore[no-untyped-def]
    """`wide` starts no later and ends no sooner than `narrow` (an open end is the latest),
    when `narrow` is calibrated on history."""
    if narrow.basis != "history":
        return
    assert wide.low_weeks is not None and narrow.low_weeks is not None
    assert wide.low_weeks <= narrow.low_weeks
    assert wide.high_weeks is None or (
        narrow.high_weeks is not None and narrow.high_weeks <= wide.high_weeks
    )


def test_after_ranges_missed_the_next_parents_see_a_wider_range():
    """Offers came sooner than the queue's past waits said (a new term's groups): the misses
    raise the district's level, and the next range starts sooner (and ends later)."""
    waited = [1.0 + i / 2 for i in range(MIN_OUTCOMES)]  # 1 to 30.5 weeks
    level = COVERAGE
    for _ in range(10):
        level = adapted_level(level, missed=True)

    def shown(level: float):
        return estimate_wait(
            position=10,
            today=TODAY,
            seats=(),
            placements_in_window=0,
            history=_history(waited, level=level),
        )

    before, after = shown(COVERAGE), shown(level)
    assert (before.low_weeks, before.high_weeks) == (3, 28)
    assert after.low_weeks is not None and after.low_weeks < 3
    assert after.high_weeks is None or after.high_weeks > 28
    assert after.coverage == COVERAGE


@given(st.lists(st.booleans(), min_size=1, max_size=400), st.floats(0.5, 0.95))
def test_the_adapted_level_counts_misses_against_the_promise(missed, coverage):
    """The level moves by the misses in excess of 1 - coverage: its distance from the start
    is step x ranges x (share missed - (1 - coverage)), so a level that stays within bounds
    keeps the share of misses near 1 - coverage."""
    level = coverage
    for m in missed:
        level = adapted_level(level, m, coverage)
    share = sum(missed) / len(missed)
    expected = ADAPT_STEP * len(missed) * (share - (1 - coverage))
    assert math.isclose(level - coverage, expected, abs_tol=1e-9)


@given(
    st.integers(0, 60),
    st.one_of(st.none(), st.integers(0, 60)),
    st.floats(0, 120),
    st.floats(0, 60),
)
def test_once_known_whether_a_range_held_more_waiting_does_not_change_it(low, high, waited, more):
    """Without an offer, a verdict once known stays the same however long the parent waits."""
    if high is not None and high < low:
        low, high = high, low
    first = range_held(low, high, waited, offered=False)
    if first is not None:
        assert range_held(low, high, waited + more, offered=False) == first


def test_an_offer_settles_whether_the_range_held():
    assert range_held(6, 11, 8.0, offered=True) is True
    assert range_held(6, 11, 3.0, offered=True) is False
    assert range_held(6, None, 30.0, offered=True) is True
    assert range_held(6, 11, 5.0, offered=False) is None
    assert range_held(6, 11, 12.0, offered=False) is False


@st.composite
def _shown_ranges(draw: st.DrawFn) -> PastRange:
    day = TODAY + timedelta(days=draw(st.integers(0, 120)))
    low = draw(st.integers(0, 12))
    high = draw(st.one_of(st.none(), st.integers(low, low + 12)))
    after = timedelta(days=draw(st.integers(0, 200)))
    followed = draw(st.sampled_from(("offered", "left", "waiting")))
    return PastRange(
        district=draw(st.sampled_from(("farsta", "skarpnack"))),
        day=day,
        low=low,
        high=high,
        offered_on=day + after if followed == "offered" else None,
        closed_on=day + after if followed == "left" else None,
    )


@settings(max_examples=examples(300))
@given(st.lists(_shown_ranges(), max_size=40), st.integers(0, 300), st.integers(0, 300))
def test_settling_ranges_week_by_week_moves_the_levels_as_settling_them_at_once(shown, first, more):
    """What the service replays from its stored history and what the simulation keeps as it
    runs agree: settling the ranges on one day and what is still open on a later day gives
    the levels (and leaves open the ranges) that settling them all on the later day gives;
    an offer or a leaving after the day settled is not known yet."""
    halfway, end = TODAY + timedelta(days=first), TODAY + timedelta(days=first + more)
    levels, pending = settle_levels({}, shown, halfway)
    levels, pending = settle_levels(levels, pending, end)
    at_once, still = settle_levels({}, shown, end)
    assert pending == still
    assert levels.keys() == at_once.keys()
    for district, level in at_once.items():
        assert math.isclose(levels[district], level, abs_tol=1e-9)


def test_a_range_moves_its_districts_level_once_its_outcome_is_known():
    shown = PastRange("farsta", TODAY, 2, 4, offered_on=TODAY + timedelta(weeks=6))
    levels, pending = settle_levels({}, [shown], TODAY + timedelta(weeks=3))
    assert (levels, pending) == ({}, [shown])  # no offer yet, the upper end not passed
    levels, pending = settle_levels({}, [shown], TODAY + timedelta(weeks=5))
    assert levels == {"farsta": adapted_level(COVERAGE, missed=True)} and pending == []
    left = PastRange("farsta", TODAY, 2, 4, closed_on=TODAY + timedelta(weeks=1))
    assert settle_levels({}, [left], TODAY + timedelta(weeks=5)) == ({}, [])


@settings(max_examples=60)
@given(_outcomes(), st.integers(1, 400), st.floats(0, 300), st.floats(-5, 5))
def test_the_adapted_level_narrows_the_range_only_by_raising_an_open_lower_end_a_little(
    outcomes, position, moves, level
):
    """After ranges held more often than promised the level falls, but the range stays the
    split-conformal one at the promised coverage or wider, with one exception: a range with no
    upper end may start later, by at most RISE_WEEKS weeks for each unit the level is below the
    promise's RISE_BELOW, and never later than the longest wait seen."""
    promised = _shown_at(outcomes, position, moves, COVERAGE)
    shown = _shown_at(outcomes, position, moves, level)
    if promised.basis != "history":
        return
    assert shown.low_weeks is not None and promised.low_weeks is not None
    if shown.low_weeks <= promised.low_weeks:
        _assert_within(promised, shown)
        return
    assert shown.open_ended and promised.open_ended
    assert shown.low_weeks - promised.low_weeks <= RISE_WEEKS * (RISE_BELOW - level)
    assert shown.low_weeks <= max(o.waited_weeks for o in outcomes)


def _held_history(level: float) -> QueueHistory:
    """Offers came only after short waits (2-6 weeks) while most parents waited 30 weeks
    without one: a range with no upper end, its lower end at the longest offered wait."""
    offered = [Outcome(10.0, w, True) for w in (2.0, 3.0, 4.0, 5.0, 6.0)]
    waiting = [Outcome(10.0, 30.0, False)] * (MIN_OUTCOMES - len(offered))
    return QueueHistory(moves=26.0, levels=(by_band(offered + waiting),), level=level)


def test_where_ranges_held_far_too_often_an_open_lower_end_rises_past_the_longest_offered_wait():
    """A district whose ranges held far more often than 8 in 10 (its level below RISE_BELOW)
    no longer tells its parents "6 weeks or more" when none of them got an offer after more
    than 6 weeks and most waited 30: the lower end rises RISE_WEEKS weeks for each unit the
    level is below RISE_BELOW, up to the longest wait seen. Seats open now that reach the
    parent's place still start it at 0."""

    def low(level: float, seats: tuple[SeatBatch, ...] = ()) -> int | None:
        shown = estimate_wait(
            position=10,
            today=TODAY,
            seats=seats,
            placements_in_window=0,
            history=_held_history(level),
        )
        assert shown.open_ended
        return shown.low_weeks

    assert low(COVERAGE) == low(RISE_BELOW) == 6
    assert low(RISE_BELOW - 0.8) == 6 + round(RISE_WEEKS * 0.8) == 10
    assert low(-50.0) == 30
    assert low(RISE_BELOW - 0.8, (SeatBatch(TODAY + timedelta(weeks=3), 12),)) == 0


def test_in_the_simulation_seats_a_parent_cannot_join_do_not_open_their_range():
    """As on the status page, only the free seats of groups run in a language the parent
    speaks, at a time they chose, count: a Swedish group's seats bring no offer nearer to a
    parent who speaks only Somali, and they are not told "0 weeks or more" because of them."""
    batch = SeatBatch(TODAY + timedelta(weeks=5), 12)
    seats = [(batch, "sv", "evening")]
    somali = SimpleNamespace(languages=("so",), slots=())
    mornings = SimpleNamespace(languages=("sv",), slots=("morning",))
    swedish = SimpleNamespace(languages=("sv", "so"), slots=("evening",))
    assert _fitting(seats, somali) == [] and _fitting(seats, mornings) == []
    assert _fitting(seats, swedish) == [batch]
    waited = [float(6 + (i % 6)) for i in range(MIN_OUTCOMES)]  # 6..11 weeks

    def low(parent: SimpleNamespace) -> int | None:
        return estimate_wait(
            position=1,
            today=TODAY,
            seats=_fitting(seats, parent),
            placements_in_window=0,
            history=_history(waited, raw=1.0),
        ).low_weeks

    assert (low(somali), low(swedish)) == (6, 0)
