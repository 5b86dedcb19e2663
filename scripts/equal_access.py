"""How even can the district medians be? The ratio a city with equal access would show.

Runs `waitlist simulate`'s simulation for the given policies and, for each, prints its max/min
ratio of district median waits beside the ratios of 2,000 equal-access cities: each
district's parents, as many as it has, drawn again from the whole city's waits
(`waitlist.simulation.stats.equal_access_ratios`). A target below the equal-access range
cannot be told apart from chance (docs/simulation.md, "How even can the medians be?").

    python scripts/equal_access.py --seed 1 --policy docs/policies/status-quo.json \\
        --policy docs/policies/queue-starts.json
    python scripts/equal_access.py --seed 1 --calibration waitlist/data/calibration_goteborg.json \\
        --policy docs/policies/queue-starts.json
"""

from __future__ import annotations

import argparse
import sys

from waitlist.domain.errors import InvalidInput
from waitlist.simulation import load_calibration, simulate
from waitlist.simulation.arrivals import round_date
from waitlist.simulation.policies import load_policy
from waitlist.simulation.stats import equal_access_ratios, median_weeks, ratio_of_medians
from waitlist.simulation.summary import district_waits

QUANTILES = (0.5, 0.05, 0.95)  # the median ratio and the range 19 in 20 such cities fall in


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--weeks", type=int, default=52)
    parser.add_argument("--calibration", default=None)
    parser.add_argument("--policy", action="append", required=True)
    parser.add_argument("--draws", type=int, default=2000)
    args = parser.parse_args(argv)
    try:
        cal = load_calibration(args.calibration)
        policies = [load_policy(p) for p in args.policy]
        run = simulate(cal, weeks=args.weeks, seed=args.seed, policies=policies)
    except (InvalidInput, ValueError) as exc:
        sys.stderr.write(f"error: {exc}\n")
        return 2
    end = round_date(cal, cal.warmup_weeks + args.weeks - 1)
    out = [
        f"{cal.name}, seed {args.seed}, {args.weeks} weeks, {args.draws} equal-access cities",
        "| policy | max/min | equal-access city: median ratio (5 %-95 %) |",
        "|---|---:|---|",
    ]
    for outcome in run.outcomes:
        waits = district_waits(cal, outcome.state, outcome.cohort, end)
        actual = ratio_of_medians({d: median_weeks(w) for d, w in waits.items()})
        ratios = equal_access_ratios(waits, draws=args.draws, seed=args.seed)
        if actual is None or not ratios:
            out.append(f"| {outcome.spec.name} | – | – |")
            continue
        mid, low, high = (ratios[min(len(ratios) - 1, int(q * len(ratios)))] for q in QUANTILES)
        out.append(f"| {outcome.spec.name} | {actual:.2f} | {mid:.2f} ({low:.2f}–{high:.2f}) |")
    sys.stdout.write("\n".join(out) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
