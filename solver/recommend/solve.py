"""Group-start recommendations, the staged solve (see solver.recommend.model for the model),
and how CP-SAT runs it: its parameters and the progress reports of stage 1.

Stage 1 maximises weighted waiting-weeks removed (T1) on the model with classes merged across
districts (solver.recommend.reduce: travel plays no part in T1, and the merged model is much
smaller), starting from a greedy plan (solver.recommend.start). Its groups are then given
their best split of parents by district in the full model (the opened groups fixed: a quick
solve), which starts stage 2 as a complete hint: with T1 at its optimum, minimise M·T2 + T3
(fewer groups, then less travel and sooner starts).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from ortools.sat.python import cp_model

from solver.recommend.data import Prepared, RecommendOptions, opened_members
from solver.recommend.model import Built, ProgressUpdate, Solved, add_hint, build
from solver.recommend.reduce import plan_from_merged
from solver.types import SolveStatus

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
    travel = sum(built.travel[key] * n for key, n in out.flow.items())
    out.tiers = (out.tiers[0], sum(out.count.values()), travel + starts)
