"""Supply levers of a policy file: where each term's planned groups go, and in which language.

`supply_follows: applications` (reshare_term): at the start of the period and every
TERM_WEEKS after it, the planned groups of the coming term (those not yet announced) are
shared among districts again, per programme, in proportion to the applications each district
sent in the last TERM_WEEKS (all programmes together: a district's share of the city's
applications), by `waitlist.domain.supply.share_groups`. The number of groups of each
programme in the term stays the plan's. A district keeps its own planned groups up to its new
share (spread evenly over the term); a district whose share grew gets the difference as new
groups, spread evenly over the term, with slot and language drawn as the plan draws them (its
own seeded stream per term).

`supply_follows: projected_wait` (reshare_term too): the same step and the same budget, but
each programme's groups are given out one at a time, each to the district whose parents of
that programme would wait longest for a seat without it (`waitlist.domain.supply.
share_by_projected_wait`): the parents its queue must still seat in the term per group it has.
Those parents are the ones waiting now plus as many as applied for the programme in the last
TERM_WEEKS, less the free seats of its groups already announced or opening before the term
(`unseated_demand`).

`planned_language: queue` (announced_language): when a planned group opens for recruiting,
it is announced in the language that at least its minimum size of its district's waiting
parents with no free seat in sight (in a recruiting group within their reach, in a language
they take) can only take (`waitlist.domain.supply.language_for_queue`), among
the languages the programme runs in that leaders within reach run groups in: the
calibration's group languages of its own district and of districts within
`leader_reach_minutes`.

`planned_slot: queue` (announced_slot): in the same step, the group is announced at the time
of day (slot) the most of those parents who take its language can come at; a seat counts as
in sight only at a time the parent can come (`waitlist.domain.supply.slot_for_queue`). The
plan's slot stays unless another suits strictly more of them.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

import numpy as np

from waitlist.domain.crossing import within_reach
from waitlist.domain.queue import queue_key
from waitlist.domain.supply import (
    language_for_queue,
    no_seat_in_sight,
    share_by_projected_wait,
    share_groups,
    slot_for_queue,
    unseated_demand,
)
from waitlist.simulation.arrivals import (
    STREAM_SUPPLY,
    Arrival,
    PlannedGroup,
    group_language,
    pick,
    round_date,
    weekday_for,
)
from waitlist.simulation.calibration import Calibration
from waitlist.simulation.policies import PolicySpec
from waitlist.simulation.state import SimGroup, SimState
from waitlist.simulation.term_plan import TERM_WEEKS, coming_term

if TYPE_CHECKING:
    from waitlist.simulation.engine import Engine

STREAM_RESHARE = 3  # its own stream, so the shared arrivals and plan draw the same numbers


def _evenly(items: list[PlannedGroup], n: int) -> list[PlannedGroup]:
    """n of the items, spread evenly over them (all of them when n >= len(items))."""
    if n >= len(items):
        return list(items)
    return [items[int((i + 0.5) * len(items) / n)] for i in range(n)]


def reshare_term(
    engine: Engine, state: SimState, today: date, week: int, follows: str = "applications"
) -> None:
    """Share the coming term's planned groups among districts again: by last term's
    applications (`follows` "applications") or by the projected wait ("projected_wait")."""
    cal = engine.cal
    coming = coming_term(engine, state, today)
    term = coming.term
    since = today - timedelta(weeks=TERM_WEEKS)
    applied = {d.slug: 0.0 for d in cal.districts}
    for app in state.apps.values():
        if since <= app.arrival.queue_date < today:
            applied[app.arrival.district] += 1
    unseated = _unseated(engine, state, today, since) if follows == "projected_wait" else {}
    rng = np.random.default_rng([engine.seed, STREAM_SUPPLY, STREAM_RESHARE, week])
    programmes = {p["slug"]: p for p in cal.programmes}
    first = week + cal.recruit_weeks
    new: list[PlannedGroup] = []
    for slug in sorted({g.programme for g in term}):
        own = [g for g in term if g.programme == slug]
        if follows == "projected_wait":
            demand = {d: unseated.get((d, slug), 0.0) for d in applied}
            shares = share_by_projected_wait(len(own), demand)
        else:
            shares = share_groups(len(own), applied)
        prog = programmes[slug]
        for district in sorted(shares):
            have = [g for g in own if g.district == district]
            n = shares[district]
            new += _evenly(have, n)
            extra = n - len(have)
            for i in range(max(0, extra)):
                at = first + int((i + 0.5) * TERM_WEEKS / extra)
                slot = str(pick(rng, cal.group_slots))
                new.append(
                    PlannedGroup(
                        id=f"s{week:03d}-{district}-{slug}-{i + 1}",
                        programme=slug,
                        district=district,
                        start=round_date(cal, at) + timedelta(days=2),
                        weeks=int(prog.get("weeks") or 8),
                        weekday=weekday_for(slot),
                        slot=slot,
                        language=group_language(rng, cal, district, prog),
                        capacity=int(prog["capacity"]),
                        min_size=int(prog["min_size"]),
                    )
                )
    coming.replace(state, new)
    state.count("terms_reshared")


def _unseated(
    engine: Engine, state: SimState, today: date, since: date
) -> dict[tuple[str, str], float]:
    """(district, programme) -> the parents its queue must still seat in the coming term."""
    opens = today + timedelta(weeks=engine.cal.recruit_weeks)
    free: dict[tuple[str, str], int] = {}
    for g in state.groups.values():
        if g.status == "recruiting":
            free[g.district, g.programme] = free.get((g.district, g.programme), 0) + max(
                0, g.capacity - g.taken
            )
    plan = state.plan if state.plan is not None else engine.plan
    for pg in plan[state.next_planned :]:
        if pg.start <= opens:  # opens before the term: its seats serve the queue first
            free[pg.district, pg.programme] = free.get((pg.district, pg.programme), 0) + pg.capacity
    waiting: dict[tuple[str, str], int] = {}
    expected: dict[tuple[str, str], int] = {}
    for app in state.apps.values():
        key = (app.arrival.district, app.arrival.programme)
        if app.status == "waiting":
            waiting[key] = waiting.get(key, 0) + 1
        if since <= app.arrival.queue_date < today:
            expected[key] = expected.get(key, 0) + 1
    return {
        key: unseated_demand(waiting.get(key, 0), expected.get(key, 0), free.get(key, 0))
        for key in sorted(set(waiting) | set(expected))
    }


def leader_languages(cal: Calibration, district: str, programme: dict, reach: int) -> set[str]:
    """Languages a group of `programme` in `district` can be led in: the group languages of the
    district and of the districts within `reach` minutes, that the programme runs in."""
    near = [district] + [
        d.slug
        for d in cal.districts
        if d.slug != district and cal.travel.get(district, {}).get(d.slug, reach + 1) <= reach
    ]
    runs_in = set(programme.get("languages") or ["sv"])
    return {
        lang
        for d in near
        for lang, weight in cal.district_share(cal.group_languages, d).items()
        if weight > 0 and lang in runs_in
    }


def announced_language(
    cal: Calibration, spec: PolicySpec, state: SimState, group: PlannedGroup
) -> str:
    """The language a planned group opens for recruiting in, under the policy."""
    if spec.planned_language != "queue":
        return group.language
    prog = next(p for p in cal.programmes if p["slug"] == group.programme)
    unseated = [a.languages for a in _no_seat_in_sight(cal, state, group, by_slot=False)]
    allowed = leader_languages(cal, group.district, prog, spec.leader_reach_minutes)
    return language_for_queue(unseated, allowed, group.language, group.min_size)


def announced_slot(
    cal: Calibration, spec: PolicySpec, state: SimState, group: PlannedGroup, language: str
) -> str:
    """The time of day a planned group opens for recruiting at, under the policy: the slot the
    most of its queue's parents with no seat in sight, who take `language`, can come at."""
    if spec.planned_slot != "queue":
        return group.slot
    unseated = [
        a.slots
        for a in _no_seat_in_sight(cal, state, group, by_slot=True)
        if language in a.languages
    ]
    return slot_for_queue(unseated, group.slot)


def _no_seat_in_sight(
    cal: Calibration, state: SimState, group: PlannedGroup, *, by_slot: bool
) -> list[Arrival]:
    """The waiting parents of the group's district and programme, in queue order, for whom no
    free seat of a recruiting group is in sight (each seat counted once, for the first parent
    in the queue it suits); by_slot: a seat suits only at a time of day the parent can come."""
    free = {
        g.id: g.capacity - g.taken
        for g in state.groups.values()
        if g.status == "recruiting" and g.programme == group.programme
    }
    queue = [
        app.arrival
        for app in state.apps.values()
        if app.status == "waiting"
        and (app.arrival.district, app.arrival.programme) == (group.district, group.programme)
    ]

    def suits(a: Arrival, gid: str) -> bool:
        seat = state.groups[gid]
        return _in_sight(cal, a, seat) and (not by_slot or seat.slot in a.slots)

    return no_seat_in_sight(sorted(queue, key=queue_key), free, suits)


def _in_sight(cal: Calibration, a: Arrival, g: SimGroup) -> bool:
    """A free seat the parent could take: their language, at home or within their reach."""
    minutes = cal.travel.get(a.district, {}).get(g.district)
    return g.language in a.languages and within_reach(
        a.district, g.district, a.cross_district, a.max_travel_minutes, minutes
    )
