"""Group-start recommendations: which candidate groups to open, who leads them, whom they serve.

Plain data in (a Scenario), plain data out (a RecommendResult with `recommendations`,
`objective` and a status). Phases: candidates → data (solver.recommend.data) → a greedy plan
to start from (`greedy_plan`) → CP-SAT model and solve (solver.recommend.model) → read back →
explanations (solver.recommend.explain).
The objective and its strict order are documented in docs/recommend.md.
"""

from __future__ import annotations

import heapq
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from solver.recommend.candidates import generate_candidates
from solver.recommend.data import Prepared, RecommendOptions, opened_members, prepare
from solver.recommend.explain import Explainer, med, ratio, spread
from solver.recommend.model import ProgressUpdate, Solved, add_hint, build, solve
from solver.recommend.reduce import merge_districts, respect_dominance
from solver.recommend.rooms import place_in_rooms
from solver.types import (
    Recommendation,
    RecommendObjective,
    RecommendResult,
    Scenario,
    SolveStatus,
)

__all__ = ["ProgressUpdate", "RecommendOptions", "Run", "recommend", "run"]


@dataclass(frozen=True)
class Run:
    """A recommendation run with what the benchmark needs beyond the (reproducible) result."""

    result: RecommendResult
    prepared: Prepared
    solved: Solved
    plan: Plan
    first_feasible_s: float = 0.0  # the search's starting plan is ready
    total_s: float = 0.0


def recommend(
    scenario: Scenario,
    progress: Callable[[ProgressUpdate], None] | None = None,
    options: RecommendOptions | None = None,
) -> RecommendResult:
    """Recommend group starts for a scenario. Same scenario and options → same result."""
    return run(scenario, progress, options).result


def run(
    scenario: Scenario,
    progress: Callable[[ProgressUpdate], None] | None = None,
    options: RecommendOptions | None = None,
) -> Run:
    options = options or RecommendOptions()
    started = time.perf_counter()
    candidates = scenario.candidate_groups or generate_candidates(scenario, options)
    prep = prepare(scenario, candidates, options)
    first_feasible = 0.0
    if prep.candidates:
        # Stage 1 runs on classes merged across districts, from a greedy plan.
        merged = merge_districts(prep)
        built = build(merged)
        served, leader_of = greedy_plan(prep)
        add_hint(merged, built, *respect_dominance(prep, served, leader_of))
        first_feasible = time.perf_counter() - started
        if progress is not None:
            # The search starts from this plan: a first feasible recommendation at once.
            value = sum(prep.weight[i] for members in served.values() for i in members)
            progress(
                ProgressUpdate(round(first_feasible, 3), float(value), float(sum(prep.weight)))
            )
        solved = solve(prep, merged, built, progress)
    else:
        solved = Solved(status=SolveStatus.OPTIMAL)
    plan = read_back(prep, solved)
    total = time.perf_counter() - started
    return Run(_result(prep, solved, plan), prep, solved, plan, first_feasible, total)


def greedy_plan(prep: Prepared) -> tuple[dict[int, list[int]], dict[int, int]]:
    """(candidate -> parents in queue order, candidate -> leader) of a feasible plan: the plan
    the search starts from.

    Greedy, with pooling across districts: repeatedly open the candidate group that would
    remove the most weighted waiting-weeks now (its capacity's heaviest parents in reach not yet
    served, at least its minimum size), with a free leader and its room free then; ties go to
    the earlier start. Values only fall as parents are served, so candidates are re-valued
    lazily (a popped value still at least the next one's is current). The plan is feasible in
    the model and, unlike the longest-queue baseline (baseline.py, which never pools), usually
    close to the optimum, so that the search starts near it and its first answer is already a
    good one."""
    weight = prep.weight
    ranked = {c: sorted(reach, key=lambda i: (-weight[i], i)) for c, reach in prep.reach.items()}
    left = {j: ld.max_groups for j, ld in enumerate(prep.leaders)}
    served_now: set[int] = set()
    served: dict[int, list[int]] = {}
    leader_of: dict[int, int] = {}
    blocked: set[int] = set()  # candidates whose room is taken by an opened one

    def best(c: int) -> tuple[int, list[int]]:
        cand = prep.candidates[c]
        chosen = []
        for i in ranked[c]:
            if i not in served_now:
                chosen.append(i)
                if len(chosen) == cand.capacity:
                    break
        if len(chosen) < max(1, cand.min_size):
            return 0, []
        return sum(weight[i] for i in chosen), chosen

    def order(c: int) -> tuple[int, int]:
        return (prep.candidates[c].start.toordinal(), c)

    heap = [(-best(c)[0], order(c), c) for c in sorted(prep.reach)]
    heap = [h for h in heap if h[0] < 0]
    heapq.heapify(heap)
    budget = prep.options.max_new_groups
    while heap and (budget is None or len(served) < budget):
        _, key, c = heapq.heappop(heap)
        free = [j for j in prep.leads[c] if left[j] > 0]
        if c in blocked or not free:
            continue
        value, chosen = best(c)
        if value <= 0:
            continue
        if heap and (-value, key) > heap[0][:2]:
            heapq.heappush(heap, (-value, key, c))
            continue
        # The leader with the fewest other groups they could still lead keeps the others free.
        j = min(free, key=lambda j: (left[j], j))
        served[c] = sorted(chosen)
        leader_of[c] = j
        left[j] -= 1
        served_now.update(chosen)
        blocked.update(prep.clashes.get(c, ()))
    return served, leader_of


@dataclass(frozen=True)
class Plan:
    """The opened candidates (indices into Prepared.candidates), their leaders and parents."""

    leader_of: dict[int, int]
    served: dict[int, list[int]]  # candidate -> application indices, in queue order


def read_back(prep: Prepared, solved: Solved) -> Plan:
    """Turn the model's counts into groups: the earliest-starting candidates of each kind open
    (in a kind bound to rooms, those the model picked);
    in each class the heaviest (longest-waiting) members are served, in queue order; a kind's
    parents are split over its opened groups as evenly as possible, earliest queued first."""
    pools: dict[int, list[int]] = {s: [] for s in solved.count}
    for k, cls in enumerate(prep.classes):
        queue = iter(cls.members)
        for s in cls.kinds:
            if n := solved.flow.get((k, s), 0):
                pools[s].extend(next(queue) for _ in range(n))
    opened = {
        c
        for s, n in solved.count.items()
        for c in opened_members(prep.kinds[s], n, solved.picked.get(s))
    }
    if prep.room_pools:
        # The model opens a pooled orbit's copies in room order; rooms that never clash here.
        opened = place_in_rooms(prep.room_pools, prep.bookings, opened)
    leader_of: dict[int, int] = {}
    served: dict[int, list[int]] = {}
    for s, n in sorted(solved.count.items()):
        groups = [c for c in prep.kinds[s].members if c in opened]
        leaders = [j for (j, ss), x in sorted(solved.lead.items()) if ss == s for _ in range(x)]
        pool = sorted(pools[s])
        base, extra = divmod(len(pool), n)
        at = 0
        for g, (c, j) in enumerate(zip(groups, leaders, strict=True)):
            size = base + (1 if g < extra else 0)
            served[c] = pool[at : at + size]
            leader_of[c] = j
            at += size
    return Plan(leader_of, served)


def _result(prep: Prepared, solved: Solved, plan: Plan) -> RecommendResult:
    explainer = Explainer(prep)
    apps = prep.applications
    served = plan.served
    all_served = {i for members in served.values() for i in members}
    unserved = set(range(len(apps))) - all_served
    opened_ids = {prep.candidates[c].id for c in served}
    used: dict[int, int] = {}
    for j in plan.leader_of.values():
        used[j] = used.get(j, 0) + 1
    full = {j for j, n in used.items() if n >= prep.leaders[j].max_groups}

    recs = []
    for c, members in served.items():
        cand = prep.candidates[c]
        leader = prep.leaders[plan.leader_of[c]].id
        notes = [
            explainer.why_not(alt.id, unserved, full, set(served))
            for alt in explainer.alternatives(cand, opened_ids)
        ]
        reason, reason_sv = explainer.describe(cand, members, notes)
        counts: dict[str, int] = {}
        for i in members:
            counts[apps[i].district] = counts.get(apps[i].district, 0) + 1
        recs.append(
            Recommendation(
                candidate=cand.id,
                leader=leader,
                serves=dict(sorted(counts.items())),
                reason=reason,
                reason_sv=reason_sv,
                effect=explainer.effect(cand, members),
                applications=tuple(sorted(apps[i].id for i in members)),
                room=cand.room,
            )
        )
    recs.sort(key=lambda r: (-r.effect["waiting_weeks_removed"], r.candidate))

    t1, groups, t3 = solved.tiers
    # Each parent served travels from their class's home to their kind's host district.
    travel = sum(prep.travel[key] * n for key, n in solved.flow.items())
    cross = sum(
        1 for c, ms in served.items() for i in ms if apps[i].district != prep.candidates[c].district
    )
    gap = 0.0 if solved.bound_t1 <= 0 else max(0.0, (solved.bound_t1 - t1) / solved.bound_t1)
    objective = RecommendObjective(
        weighted_waiting_weeks_removed=float(t1),
        waiting_weeks_removed=round(sum(explainer.waits[i] for i in all_served), 1),
        groups_opened=groups,
        parents_served=len(all_served),
        cross_district=cross,
        travel_minutes_total=travel,
        tier3_travel_and_start_weeks=float(t3),
        gap=round(gap, 4),
    )
    before = explainer.waits_by_district(set())
    after = explainer.waits_by_district(all_served)
    small = prep.scenario.policy.small_cell_min
    by_district = {}
    for d in sorted(before):
        row: dict[str, float] = {
            "waiting_before": float(len(before[d])),
            "waiting_after": float(len(after.get(d, []))),
        }
        if len(before[d]) >= small:
            row["median_wait_weeks_before"] = round(med(before[d]), 1)
        if len(after.get(d, [])) >= small:
            row["median_wait_weeks_after"] = round(med(after[d]), 1)
        by_district[d] = row
    # The max/min ratio alone can rise when everyone is better off (the shortest-waiting
    # district's median falls further): the longest and shortest medians are reported beside it.
    target = prep.scenario.policy.target_weeks
    spread_before = spread({d: v for d, v in before.items() if len(v) >= small}, target)
    spread_after = spread({d: v for d, v in after.items() if len(v) >= small}, target)
    metrics: dict[str, dict[str, Any]] = {
        "by_district": by_district,
        "overall": {
            "max_min_ratio_before": round(ratio(before), 2),
            "max_min_ratio_after": round(ratio(after), 2),
            "longest_district_median_before": spread_before["longest"],
            "longest_district_median_after": spread_after["longest"],
            "shortest_district_median_before": spread_before["shortest"],
            "shortest_district_median_after": spread_after["shortest"],
            "districts_over_target_before": spread_before["over_target"],
            "districts_over_target_after": spread_after["over_target"],
        },
    }
    return RecommendResult(
        as_of=prep.scenario.as_of,
        status=solved.status,
        recommendations=tuple(recs),
        objective=objective,
        metrics=metrics,
    )
