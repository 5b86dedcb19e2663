"""Simulation benchmark: a year (52 weekly rounds) of the demo city under every policy.

The solver runs in-process. Printed as Markdown: seconds per policy (and per round) next to
the outcome figures, each with its ratio to the status quo measured in the same run; the
budget is 60 s for the whole year on 2 cores.

    .venv/bin/python benchmarks/simulation.py [--weeks 52] [--seed 2026]
"""

from __future__ import annotations

import argparse
import time

from waitlist.simulation import load_calibration, simulate

BUDGET_S = 60.0
FIGURES = (
    ("median_wait_weeks", "median wait (w)"),
    ("max_min_ratio", "max/min district medians"),
    ("groups_cancelled", "groups cancelled"),
    ("waiting", "still waiting"),
)


def _ratio(value: float | None, base: float | None) -> str:
    if value is None or not base:
        return "–"
    return f"{value / base:.2f}×"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--weeks", type=int, default=52)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    cal = load_calibration()
    clock = time.perf_counter()
    run = simulate(cal, weeks=args.weeks, seed=args.seed)
    total = time.perf_counter() - clock
    base = run.outcomes[0]
    head = ["policy", "seconds", "s/round", "time vs status quo"]
    for _, title in FIGURES:
        head += [title, "vs status quo"]
    print(
        f"Simulation: {len(cal.districts)} districts, {run.arrivals} arrivals, "
        f"{run.planned_groups} planned groups, {args.weeks} rounds, seed {args.seed}\n"
    )
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for outcome in run.outcomes:
        seconds = run.seconds[outcome.spec.name]
        row = [
            outcome.spec.name,
            f"{seconds:.1f}",
            f"{seconds / args.weeks:.3f}",
            _ratio(seconds, run.seconds[base.spec.name]),
        ]
        for key, _ in FIGURES:
            value = outcome.summary[key]
            row += ["–" if value is None else str(value), _ratio(value, base.summary[key])]
        print("| " + " | ".join(row) + " |")
    verdict = "within" if total <= BUDGET_S else "OVER"
    print(
        f"\nwhole run (warm-up {run.seconds['warm-up']:.1f} s + {len(run.outcomes)} policies): "
        f"{total:.1f} s, {verdict} the {BUDGET_S:.0f} s budget"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
