"""One simulation run: every policy over the same arrivals, supply and parent behaviour."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from waitlist.simulation.arrivals import (
    Arrival,
    PlannedGroup,
    generate_arrivals,
    generate_plan,
    round_date,
)
from waitlist.simulation.calibration import Calibration
from waitlist.simulation.engine import Engine, RoundHook
from waitlist.simulation.estimates import estimate_figures
from waitlist.simulation.policies import PolicySpec, builtin_policies
from waitlist.simulation.records import management_equality
from waitlist.simulation.state import SimState, WeekStats
from waitlist.simulation.summary import summarise

DEFAULT_SEED = 2026
DEFAULT_WEEKS = 52


@dataclass
class PolicyOutcome:
    spec: PolicySpec
    summary: dict[str, Any]
    history: list[WeekStats]
    state: SimState = field(repr=False)
    cohort: list[str] = field(repr=False)


@dataclass
class SimulationRun:
    seed: int
    weeks: int
    calibration: Calibration
    arrivals: int
    planned_groups: int
    outcomes: list[PolicyOutcome]
    seconds: dict[str, float] = field(default_factory=dict)


def simulate(
    cal: Calibration,
    *,
    weeks: int = DEFAULT_WEEKS,
    seed: int = DEFAULT_SEED,
    policies: list[PolicySpec] | None = None,
    progress: Callable[[str, int, int], None] | None = None,
    round_hook: RoundHook | None = None,
    history: tuple[list[Arrival], list[PlannedGroup]] | None = None,
) -> SimulationRun:
    """Run every policy for `weeks` rounds after a shared status-quo warm-up.

    progress(policy_name, rounds_done, rounds_total) is called after every round.
    history, when given, replaces the generated arrivals and planned groups.
    """
    import time

    if weeks < 1:
        raise ValueError("weeks must be at least 1")
    policies = policies or builtin_policies()
    total = cal.warmup_weeks + weeks
    if history is None:
        arrivals = generate_arrivals(cal, seed, total)
        plan = generate_plan(cal, seed, total)
    else:  # a replay (replay.py): the database's own applications and groups
        arrivals, plan = history
    engine = Engine(cal, seed, arrivals, plan, round_hook=round_hook)
    clock = time.perf_counter()
    start = engine.warm_up(builtin_policies()[0])
    seconds = {"warm-up": time.perf_counter() - clock}
    open_at_start = sorted(
        a.id for a in start.apps.values() if a.status in ("waiting", "offered", "enrolled")
    )
    newcomers = [a.id for a in arrivals if cal.warmup_weeks <= a.week < total]
    cohort = open_at_start + newcomers
    end = round_date(cal, total - 1)
    done = 0
    rounds = weeks * len(policies)
    outcomes = []
    for spec in policies:
        clock = time.perf_counter()

        def tick(name: str = spec.name) -> None:
            nonlocal done
            done += 1
            if progress is not None:
                progress(name, done, rounds)

        state = engine.run(spec, start, weeks, tick)
        seconds[spec.name] = time.perf_counter() - clock
        target = spec.settings.target_weeks
        summary = summarise(cal, state, cohort, end, target)
        figures = management_equality(state, cohort, cal.start, end, target_weeks=target)
        summary["metrics_median_wait_ratio"] = figures["median_wait_ratio"]
        summary["metrics_p90_wait_ratio"] = figures["p90_wait_ratio"]
        summary["metrics_share_within_target_gap"] = figures["share_within_target_gap"]
        summary["metrics_districts_compared"] = figures["districts_compared"]
        summary["estimates"] = estimate_figures(state.estimates, cohort, cal.warmup_weeks, end)
        outcomes.append(PolicyOutcome(spec, summary, state.history, state, cohort))
    return SimulationRun(
        seed=seed,
        weeks=weeks,
        calibration=cal,
        arrivals=len([a for a in arrivals if a.week < total]),
        planned_groups=len([g for g in plan if g.start <= end + timedelta(days=7)]),
        outcomes=outcomes,
        seconds=seconds,
    )
