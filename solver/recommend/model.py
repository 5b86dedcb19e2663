"""Group-start recommendations, phases 2-5: CP-SAT variables, constraints, objective, and the
staged solve (its parameters and the progress reports of stage 1).

The objective is lexicographic (see docs/recommend.md):
  1. most weighted waiting-weeks removed (T1),
  2. then fewer groups opened (T2),
  3. then less travel and sooner starts (T3: travel minutes of the parents served plus weeks
     until each opened group starts).
It is solved in two stages, which makes the order strict without huge coefficients: stage 1
maximises T1 and proves it; stage 2 keeps T1 at that optimum and minimises M·T2 + T3 with
M = T3max + 1, so one group more always costs more than any saving in travel and start weeks.

Stage 1 runs on the model with classes merged across districts (solver.recommend.reduce: travel
plays no part in T1, and the merged model is much smaller), starting from a greedy plan
(solver.recommend.pipeline.greedy_plan). Its groups are then given their best split of parents
by district in the full model (the opened groups fixed: a quick solve), which starts stage 2 as
a complete hint. Exact reductions are solver.recommend.reduce.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, cast

from ortools.sat.python import cp_model

from solver.recommend.data import Prepared, RecommendOptions, opened_members
from solver.recommend.reduce import dominated_pairs, plan_from_merged, room_dominance
from solver.recommend.rooms import in_room_order
from solver.types import SolveStatus


@dataclass(frozen=True)
class ProgressUpdate:
    seconds: float
    objective: float  # weighted waiting-weeks removed by the best solution so far
    bound: float  # proven upper bound on it


@dataclass
class Built:
    model: cp_model.CpModel
    count: list[cp_model.IntVar]  # per kind: how many of its candidates open
    opened: dict[int, list[cp_model.IntVar]]  # kind -> its n-th candidate opens (earliest first,
    # except in kinds bound to rooms, whose candidates open in any order)
    lead: dict[tuple[int, int], cp_model.IntVar]  # (leader, kind): groups led
    flow: dict[tuple[int, int], cp_model.IntVar]  # (class, kind): parents served
    buckets: list[list[tuple[int, cp_model.IntVar]]]  # per class: (weight, served)
    t1: cp_model.LinearExpr
    t2: cp_model.LinearExpr
    t3: cp_model.LinearExpr
    t3_start: cp_model.LinearExpr
    m2: int
    # Kinds bound to rooms with several candidates: (candidate, opens) per candidate.
    picks: dict[int, list[tuple[int, cp_model.IntVar]]] = field(default_factory=dict)


@dataclass
class Solved:
    status: SolveStatus
    count: dict[int, int] = field(default_factory=dict)  # kind -> candidates opened
    # Kinds bound to rooms with several candidates: which ones open (the others, the earliest).
    picked: dict[int, tuple[int, ...]] = field(default_factory=dict)
    lead: dict[tuple[int, int], int] = field(default_factory=dict)  # (leader, kind) -> groups
    flow: dict[tuple[int, int], int] = field(default_factory=dict)  # (class, kind) -> parents
    tiers: tuple[int, int, int] = (0, 0, 0)
    bound_t1: float = 0.0
    wall_s: float = 0.0
    first_solution_s: float | None = None
    stage1_s: float = 0.0


def build(prep: Prepared) -> Built:
    m = cp_model.CpModel()
    kinds, classes = prep.kinds, prep.classes

    # Variables: how many candidates of each kind open (earliest starts first), who leads them.
    count = [m.new_int_var(0, len(kd.members), f"open[{s}]") for s, kd in enumerate(kinds)]
    start_terms = []
    opened_of: dict[int, list[cp_model.IntVar]] = {}
    for s, kd in enumerate(kinds):
        if len(kd.members) == 1:
            start_terms.append(kd.start_weeks[0] * count[s])
            continue
        opened = [m.new_bool_var(f"open[{s},{n}]") for n in range(len(kd.members))]
        opened_of[s] = opened
        if not kd.bound:
            for a, b in itertools.pairwise(opened):
                m.add_implication(b, a)
        m.add(sum(opened) == count[s])
        start_terms.extend(w * o for w, o in zip(kd.start_weeks, opened, strict=True))
    lead = {
        (j, s): m.new_int_var(0, min(prep.leaders[j].max_groups, len(kd.members)), f"lead[{j},{s}]")
        for s, kd in enumerate(kinds)
        for j in kd.leads
    }
    flow: dict[tuple[int, int], cp_model.IntVar] = {}
    for k, cls in enumerate(classes):
        for s in cls.kinds:
            kd = kinds[s]
            per_group = min(len(cls.members), kd.capacity)
            ub = min(len(cls.members), kd.capacity * len(kd.members))
            flow[(k, s)] = m.new_int_var(0, ub, f"flow[{k},{s}]")
            # Nobody is served by unopened groups (per pair: a tighter relaxation).
            m.add(flow[(k, s)] <= per_group * count[s])

    # Rule: each parent at most once. Served members of a class, counted per equal-weight bucket;
    # the objective fills the heaviest buckets first, and read-back serves them in queue order.
    buckets: list[list[tuple[int, cp_model.IntVar]]] = []
    for k, cls in enumerate(classes):
        sizes: dict[int, int] = {}
        for w in cls.weights:
            sizes[w] = sizes.get(w, 0) + 1
        row = [(w, m.new_int_var(0, n, f"served[{k},{w}]")) for w, n in sizes.items()]
        buckets.append(row)
        m.add(sum(v for _, v in row) == sum(flow[(k, s)] for s in cls.kinds))
        # Tightening (valid for integer counts): the class's `top` heaviest members are served by
        # opened groups, each of which takes at most min(top, capacity) of them. Without it the
        # relaxation opens a sliver of a group for the few heaviest parents of a kind.
        widest = max(kinds[s].capacity for s in cls.kinds)
        top = 0
        for n, (w, _) in enumerate(row[:-1]):
            top += sizes[w]
            if top >= widest:
                break
            m.add(
                sum(v for _, v in row[: n + 1])
                <= sum(min(top, kinds[s].capacity) * count[s] for s in cls.kinds)
            )

    # Rule: every opened group has between its minimum size and its capacity (a kind's parents
    # can be split over its opened groups in any way, so the totals are enough).
    inflow: dict[int, list[cp_model.IntVar]] = {s: [] for s in range(len(kinds))}
    for (_, s), var in flow.items():
        inflow[s].append(var)
    for s, kd in enumerate(kinds):
        m.add(sum(inflow[s]) <= kd.capacity * count[s])
        m.add(sum(inflow[s]) >= kd.min_size * count[s])
        # Tightening (valid for integer counts): with `reach` parents in reach, n groups serve
        # at most min(capacity·n, reach); the last group's share is the rest, not a full one.
        reach = len(prep.reach[kd.members[0]])
        full, rest = divmod(reach, kd.capacity)
        if full < len(kd.members) and rest:
            m.add(sum(inflow[s]) <= kd.capacity * full + rest * (count[s] - full))

    # Rule: every opened group has one leader; leaders within their number of groups.
    for s, kd in enumerate(kinds):
        m.add(sum(lead[(j, s)] for j in kd.leads) == count[s])
    for j, leader in enumerate(prep.leaders):
        mine = [v for (jj, _), v in lead.items() if jj == j]
        if mine:
            m.add(sum(mine) <= leader.max_groups)

    # Rule: a room hosts one group at a time per weekday and slot (rooms.py): of candidates
    # whose runs in the same room, weekday and slot overlap, at most one opens.
    open_var = {
        c: opened_of[s][n] if s in opened_of else count[s]
        for s, kd in enumerate(kinds)
        if kd.bound
        for n, c in enumerate(kd.members)
    }
    # Interchangeable rooms are pooled: an orbit's copies open in room order (rooms.py).
    for cands, limit in prep.room_rows:
        m.add(sum(open_var[c] for c in cands) <= limit)
    for pool in prep.room_pools:
        for orbit in pool.orbits:
            for first, then in itertools.pairwise(orbit):
                m.add_implication(open_var[then], open_var[first])

    # Budget of new groups, when the coordinator gives one.
    if prep.options.max_new_groups is not None:
        m.add(sum(count) <= prep.options.max_new_groups)

    # Exact reduction (solver.recommend.reduce): a dominated kind's n-th candidate opens only
    # when its dominator's candidates starting no later are open.
    for strong, weak, nth, per in dominated_pairs(prep):
        gate = opened_of[weak][nth] if weak in opened_of else count[weak]
        m.add(count[strong] >= per * gate)

    # Exact reduction (solver.recommend.reduce): of one group in two rooms, the one whose room
    # is at least as free and that starts no later opens first.
    for strong, weak in room_dominance(prep):
        m.add_implication(open_var[weak], open_var[strong])

    # Objective tiers; solve() optimises them in order.
    t1 = sum(w * v for row in buckets for w, v in row)
    t2 = sum(count)
    t3_start = sum(start_terms)
    travel = prep.travel
    t3 = sum(travel[key] * v for key, v in flow.items()) + t3_start
    t3max = sum(
        len(cls.members) * max(travel[(k, s)] for s in cls.kinds) for k, cls in enumerate(classes)
    ) + sum(sum(kd.start_weeks) for kd in kinds)
    # Sums of variables (a plain 0 only for an empty model, never solved).
    t1e, t2e, t3e, t3se = (cast(cp_model.LinearExpr, e) for e in (t1, t2, t3, t3_start))
    picks = {
        s: list(zip(kinds[s].members, opened, strict=True))
        for s, opened in opened_of.items()
        if kinds[s].bound
    }
    return Built(m, count, opened_of, lead, flow, buckets, t1e, t2e, t3e, t3se, t3max + 1, picks)


def add_hint(
    prep: Prepared, built: Built, served: dict[int, list[int]], leader_of: dict[Any, Any]
) -> None:
    """Start the search from a known plan (candidate -> parents, candidate -> leader), e.g. the
    greedy plan of solver.recommend.pipeline, so that a first recommendation comes at once."""
    kind_of = {c: s for s, kd in enumerate(prep.kinds) for c in kd.members}
    class_of = {i: k for k, cls in enumerate(prep.classes) for i in cls.members}
    count: dict[int, int] = {}
    lead: dict[tuple[int, int], int] = {}
    flow: dict[tuple[int, int], int] = {}
    for c, members in served.items():
        s = kind_of[c]
        count[s] = count.get(s, 0) + 1
        lead[(leader_of[c], s)] = lead.get((leader_of[c], s), 0) + 1
        for i in members:
            flow[(class_of[i], s)] = flow.get((class_of[i], s), 0) + 1
    for s, var in enumerate(built.count):
        built.model.add_hint(var, count.get(s, 0))
    on = in_room_order(prep.room_pools, set(served))
    for s, opened in built.opened.items():
        bound = prep.kinds[s].bound
        for n, (c, var) in enumerate(zip(prep.kinds[s].members, opened, strict=True)):
            built.model.add_hint(var, c in on if bound else n < count.get(s, 0))
    for key, var in built.lead.items():
        built.model.add_hint(var, lead.get(key, 0))
    for key, var in built.flow.items():
        built.model.add_hint(var, flow.get(key, 0))
    weight_of = dict(enumerate(prep.weight))
    bucket: dict[tuple[int, int], int] = {}
    for members in served.values():
        for i in members:
            key = (class_of[i], weight_of[i])
            bucket[key] = bucket.get(key, 0) + 1
    for k, row in enumerate(built.buckets):
        for w, var in row:
            built.model.add_hint(var, bucket.get((k, w), 0))


# The staged solve.

_FOUND = (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE)


def solve(
    prep: Prepared,
    merged: Prepared,
    first: Built,
    progress: Callable[[ProgressUpdate], None] | None = None,
) -> Solved:
    """`first` is the stage-1 model built on `merged` (solver.recommend.reduce.merge_districts)
    with its starting hint; the result is read from the full model built on `prep`."""
    opts = prep.options
    started = time.perf_counter()

    def left() -> float:
        return opts.time_limit_s - (time.perf_counter() - started)

    # Stage 1: most weighted waiting-weeks removed (merged classes).
    first.model.maximize(first.t1)
    solver = _solver(opts, opts.time_limit_s)
    callback = _Progress(progress, started)
    status = _STATUS.get(solver.solve(first.model, callback), SolveStatus.UNKNOWN)
    out = Solved(status=status, first_solution_s=callback.first)
    if status not in _FOUND:
        out.wall_s = time.perf_counter() - started
        return out
    stage1 = Solved(status)
    _read(solver, first, stage1)
    out.bound_t1 = solver.best_objective_bound
    out.stage1_s = time.perf_counter() - started

    # The same groups and waiting-weeks in the full model, parents split by district at least
    # travel: the stage-1 plan as a complete solution of the full model.
    full = build(prep)
    served, leader_of = plan_from_merged(prep, merged, stage1)
    add_hint(prep, full, served, leader_of)
    m = full.model
    m.add(full.t1 >= stage1.tiers[0])
    fixed = m.clone()
    for s, var in enumerate(full.count):
        fixed.add(fixed.get_int_var_from_proto_index(var.index) == stage1.count.get(s, 0))
    fixed.minimize(full.t3)
    split = _solver(opts, left())
    if _STATUS.get(split.solve(fixed), SolveStatus.UNKNOWN) in _FOUND:
        m.clear_hints()  # type: ignore[no-untyped-call]
        for index in range(len(m.proto.variables)):
            var = m.get_int_var_from_proto_index(index)
            m.add_hint(var, split.value(var))
        _read(split, full, out)
    else:
        out.status = SolveStatus.FEASIBLE
        out.tiers = stage1.tiers
        _read_hint(prep, m, full, out)

    # Stage 2: at that many waiting-weeks, fewer groups, then less travel and sooner starts.
    if status is SolveStatus.OPTIMAL:
        m.minimize(full.m2 * full.t2 + full.t3)
        second = _solver(opts, left())
        code = _STATUS.get(second.solve(m), SolveStatus.UNKNOWN)
        if code in _FOUND:
            _read(second, full, out)
        out.status = code if code in _FOUND else SolveStatus.FEASIBLE
    out.wall_s = time.perf_counter() - started
    return out


class _Progress(cp_model.CpSolverSolutionCallback):
    """Reports each improving solution of stage 1 (waiting-weeks removed) and its bound."""

    def __init__(self, report: Callable[[ProgressUpdate], None] | None, started: float) -> None:
        super().__init__()
        self.report = report
        self.started = started
        self.first: float | None = None

    def on_solution_callback(self) -> None:
        now = time.perf_counter() - self.started
        if self.first is None:
            self.first = now
        if self.report is not None:
            best, bound = self.objective_value, self.best_objective_bound
            self.report(ProgressUpdate(round(now, 3), round(best, 1), round(bound, 1)))


_STATUS = {
    cp_model.OPTIMAL: SolveStatus.OPTIMAL,
    cp_model.FEASIBLE: SolveStatus.FEASIBLE,
    cp_model.INFEASIBLE: SolveStatus.INFEASIBLE,
    cp_model.MODEL_INVALID: SolveStatus.MODEL_INVALID,
}


def _solver(opts: RecommendOptions, seconds: float) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = opts.num_workers
    solver.parameters.random_seed = opts.random_seed
    if opts.num_workers > 1:
        # Interleaved search is deterministic whatever the thread timing.
        solver.parameters.interleave_search = True
    # Linear relaxation with cuts: the bound that proves optimality here (measured).
    solver.parameters.linearization_level = 2
    # Every constraint in the relaxation from the start: with the tightening rows of build()
    # the first LP bound is close, and adding rows only once violated delayed it (measured).
    solver.parameters.add_lp_constraints_lazily = False
    # The hint is a complete feasible plan, taken as the first solution before the search;
    # following it in the search as well only delayed the proof (varied cities: stage 1 from
    # 14.3 to 9.5 s of CPU, measured).
    solver.parameters.hint_conflict_limit = 0
    solver.parameters.max_time_in_seconds = max(0.1, seconds)
    solver.parameters.max_deterministic_time = opts.deterministic_limit
    return solver


def _read(solver: cp_model.CpSolver, built: Built, out: Solved) -> None:
    out.count = {s: int(solver.value(v)) for s, v in enumerate(built.count) if solver.value(v)}
    out.picked = {
        s: tuple(c for c, v in pairs if solver.value(v))
        for s, pairs in built.picks.items()
        if s in out.count
    }
    out.lead = {key: int(solver.value(v)) for key, v in built.lead.items() if solver.value(v)}
    out.flow = {key: int(solver.value(v)) for key, v in built.flow.items() if solver.value(v)}
    out.tiers = (
        int(solver.value(built.t1)),
        sum(out.count.values()),
        int(solver.value(built.t3)),
    )


def _read_hint(prep: Prepared, m: cp_model.CpModel, built: Built, out: Solved) -> None:
    """The model's complete hint as the solution (it is feasible by construction)."""
    hint = dict(zip(m.proto.solution_hint.vars, m.proto.solution_hint.values, strict=True))
    out.count = {s: hint[v.index] for s, v in enumerate(built.count) if hint[v.index]}
    out.picked = {
        s: tuple(c for c, v in pairs if hint[v.index])
        for s, pairs in built.picks.items()
        if s in out.count
    }
    out.lead = {key: hint[v.index] for key, v in built.lead.items() if hint[v.index]}
    out.flow = {key: hint[v.index] for key, v in built.flow.items() if hint[v.index]}
    starts = sum(
        w
        for s, n in out.count.items()
        for c, w in zip(prep.kinds[s].members, prep.kinds[s].start_weeks, strict=True)
        if c in opened_members(prep.kinds[s], n, out.picked.get(s))
    )
    travel = sum(prep.travel[key] * n for key, n in out.flow.items())
    out.tiers = (out.tiers[0], sum(out.count.values()), travel + starts)
