"""A placement round: waiting applications x free seats -> offers (docs/placement.md).

Phases: data (canonical order, seats, eligibility) -> admission (who is served, and whether at
home or elsewhere: a priority-ordered matching) -> components (independent sub-problems) ->
assignment (which group: min-cost flows) -> read back (offers, reasons, objective).
"""

from __future__ import annotations

import time
from collections import defaultdict

from solver.placement.assignment import Component, assign
from solver.placement.explain import offer_facts, unplaced_facts
from solver.placement.metrics import placement_metrics
from solver.placement.model import PlacementData, build_data, offer_deadline
from solver.placement.priority_matching import PriorityMatcher
from solver.types import Offer, PlacementResult, Scenario, SolveStatus, Unplaced
from waitlist.reasons import render


def solve(
    scenario: Scenario, *, time_limit_s: float = 60.0, timings: dict[str, float] | None = None
) -> PlacementResult:
    """Optimal, deterministic offers for one placement round.

    When the time limit runs out, the remaining components keep a feasible assignment that
    serves exactly the same parents, and the status says FEASIBLE instead of OPTIMAL.
    `timings`, when given, receives the seconds spent in each phase.
    """
    clock = [time.perf_counter()]
    deadline = clock[0] + time_limit_s

    def lap(phase: str) -> None:
        now = time.perf_counter()
        if timings is not None:
            timings[phase] = now - clock[0]
        clock[0] = now

    data = build_data(scenario)
    lap("data")
    matcher, arcs, travel, away = admit(data)
    lap("admit")
    placed, status = choose_groups(data, matcher, arcs, travel, deadline)
    lap("assign")
    result = read_back(data, placed, travel, away, status)
    lap("read_back")
    return result


def admit(
    data: PlacementData,
) -> tuple[PriorityMatcher, dict[int, list[int]], dict[tuple[int, int], int], set[int]]:
    """Who is served and in which tier (own district or elsewhere), in priority order.

    strict: every district first serves its own residents in queue order (rule 1, rule 4);
    then parents with no own-district seat who may cross (rule 5) are served in queue order
    from the seats left, which the host district's residents could not use.
    none: one pass in queue order over everyone; each parent is served at home if that still
    fits, else elsewhere if they may cross, so an earlier incoming parent goes before a later
    host resident.
    """
    matcher = PriorityMatcher(data.free)
    arcs: dict[int, list[int]] = {}
    travel: dict[tuple[int, int], int] = {}
    away: set[int] = set()

    def try_home(a: int) -> bool:
        own = data.home_arcs(a)
        if own and matcher.admit(a, own):
            arcs[a] = own
            return True
        return False

    def try_away(a: int) -> None:
        if not data.may_cross(a):
            return
        reach = data.away_arcs(a)
        other = [g for g, _ in reach]
        if other and matcher.admit(a, other):
            arcs[a] = other
            away.add(a)
            for g, minutes in reach:
                travel[(a, g)] = minutes

    order = range(len(data.apps))
    if data.strict:
        refused = [a for a in order if not try_home(a)]
        for a in refused:
            try_away(a)
    else:
        for a in order:
            if not try_home(a):
                try_away(a)
    return matcher, arcs, travel, away


def choose_groups(
    data: PlacementData,
    matcher: PriorityMatcher,
    arcs: dict[int, list[int]],
    travel: dict[tuple[int, int], int],
    deadline: float,
) -> tuple[dict[int, int], SolveStatus]:
    """Split into connected components of groups sharing applicants; optimise each."""
    parent = list(range(len(data.groups)))

    def root(g: int) -> int:
        while parent[g] != g:
            parent[g] = parent[parent[g]]
            g = parent[g]
        return g

    for own in arcs.values():
        if len(own) < 2:
            continue
        r = root(own[0])
        for g in own[1:]:
            s = root(g)
            if s != r:
                parent[max(r, s)] = min(r, s)
                r = min(r, s)
    placed: dict[int, int] = {}
    free = list(data.free)
    members: dict[int, list[int]] = defaultdict(list)
    for a in sorted(arcs):
        if len(arcs[a]) == 1:  # no choice: the one group it fits
            placed[a] = arcs[a][0]
            free[arcs[a][0]] -= 1
        else:
            members[root(arcs[a][0])].append(a)
    status = SolveStatus.OPTIMAL
    fallback = matcher.assignment()
    for r in sorted(members):
        apps = members[r]
        if time.perf_counter() > deadline:
            placed.update({a: fallback[a] for a in apps})
            status = SolveStatus.FEASIBLE
            continue
        groups = sorted(
            {g for a in apps for g in arcs[a]},
            key=lambda g: (data.groups[g].start, data.groups[g].id),
        )
        taken_now = {g: data.free[g] - free[g] for g in groups}
        component = Component(
            apps=apps,
            groups=groups,
            arcs={a: arcs[a] for a in apps},
            travel=travel,
            free={g: free[g] for g in groups},
            need={g: max(0, data.groups[g].short_of_min - taken_now[g]) for g in groups},
        )
        chosen, sub_status = assign(component)
        if sub_status is not SolveStatus.OPTIMAL:
            chosen = {a: fallback[a] for a in apps}
            status = SolveStatus.FEASIBLE
        placed.update(chosen)
    return placed, status


def read_back(
    data: PlacementData,
    placed: dict[int, int],
    travel: dict[tuple[int, int], int],
    away: set[int],
    status: SolveStatus,
) -> PlacementResult:
    scenario = data.scenario
    offers, unplaced = [], []
    for a, app in enumerate(data.apps):
        if a in placed:
            g = placed[a]
            minutes = travel.get((a, g), 0)
            facts = offer_facts(data, a, g, minutes, a in away)
            en, sv = render(facts, "en"), render(facts, "sv")
            group = data.groups[g]
            deadline = offer_deadline(scenario, group)
            assert deadline is not None  # build_data keeps only groups that take offers
            offers.append(Offer(app.id, group.id, deadline, a in away, minutes, en, sv, facts))
        else:
            facts = unplaced_facts(data, a)
            unplaced.append(Unplaced(app.id, render(facts, "en"), render(facts, "sv"), facts))
    offers.sort(key=lambda o: o.application)
    objective, metrics = placement_metrics(data, offers, placed, travel)
    return PlacementResult(
        as_of=scenario.as_of,
        status=status,
        offers=tuple(offers),
        unplaced=tuple(sorted(unplaced, key=lambda u: u.application)),
        objective=objective,
        metrics=metrics,
    )
