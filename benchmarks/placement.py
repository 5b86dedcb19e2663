"""Placement benchmark: generated city, nation and (with --stretch) stretch scenarios.

Each method runs in its own forked process so its peak memory is its own. Printed as a
Markdown table: build (data phase) and solve seconds (wall and CPU), peak resident memory,
and the objective's parts; the monolithic min-cost flow is the baseline the ratio column
compares with, and the greedy baselines show how many parents they leave unplaced.

    .venv/bin/python benchmarks/placement.py            # city and nation
    .venv/bin/python benchmarks/placement.py --stretch  # also 1,000,000 waiting
    .venv/bin/python benchmarks/placement.py --compare demo.json  # equality vs baselines
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import resource
import time
from dataclasses import asdict

from solver.placement import baselines
from solver.placement.pipeline import solve
from solver.scenario import synthetic

SIZES = {
    "city": lambda: synthetic.city(3_000, 200),
    "nation": lambda: synthetic.nation(290, 100_000, 10_000),
    "stretch": lambda: synthetic.nation(2_900, 1_000_000, 100_000),
}
METHODS = {
    "optimiser": lambda s, t: solve(s, time_limit_s=600, timings=t),
    "monolithic flow": lambda s, t: baselines.monolithic_flow(s, t),
    "status quo": lambda s, _t: baselines.status_quo(s),
    "greedy cross": lambda s, _t: baselines.greedy_cross(s),
}


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _run(size: str, method: str, out: mp.Queue) -> None:
    scenario = SIZES[size]()
    before = _peak_mib()
    timings: dict[str, float] = {}
    wall, cpu = time.perf_counter(), time.process_time()
    result = METHODS[method](scenario, timings)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    out.put(
        {
            "build": timings.get("data"),
            "wall": wall,
            "cpu": cpu,
            "peak": _peak_mib(),
            "scenario": before,
            "objective": asdict(result.objective),
            "status": str(result.status),
        }
    )


def measure(size: str, method: str, timeout: float) -> dict | None:
    ctx = mp.get_context("fork")
    out: mp.Queue = ctx.Queue()
    proc = ctx.Process(target=_run, args=(size, method, out))
    proc.start()
    try:
        return out.get(timeout=timeout)
    except Exception:
        return None
    finally:
        proc.join(1)
        if proc.is_alive():
            proc.kill()


def compare(path: str) -> None:
    """Equality figures of the optimiser and the baselines on one scenario file."""
    from solver.scenario.files import load_scenario

    scenario = load_scenario(path)
    print(
        f"{len(scenario.applications)} waiting, {len(scenario.groups)} groups, "
        f"as of {scenario.as_of}, home_priority={scenario.policy.home_priority}\n"
    )
    print(
        "| method | placed | median wait (weeks) | P90 wait | max/min district median | "
        "cross-district share | mean travel (min) |"
    )
    print("|" + "---|" * 7)
    for method, run in METHODS.items():
        o = run(scenario, {}).metrics["overall"]
        ratio = o["district_median_ratio"]
        print(
            f"| {method} | {o['placed']} | {o['median_wait_weeks_placed']} | "
            f"{o['p90_wait_weeks_placed']} | {ratio if ratio is not None else '–'} | "
            f"{o['cross_district_share']:.0%} | {o['mean_travel_minutes']} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stretch", action="store_true", help="also the 1,000,000 size")
    parser.add_argument("--sizes", default="city,nation")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds per run")
    parser.add_argument("--compare", metavar="SCENARIO", help="equality table for a file")
    parser.add_argument("--methods", default=",".join(METHODS), help="comma-separated subset")
    args = parser.parse_args()
    if args.compare:
        compare(args.compare)
        return
    sizes = args.sizes.split(",") + (["stretch"] if args.stretch else [])
    print(
        "| size | method | build s | total s (wall) | total s (CPU) | CPU vs monolithic | "
        "peak MiB (scenario) | placed | own | cross | travel min | seats to min | status |"
    )
    print("|" + "---|" * 13)
    for size in sizes:
        rows: dict[str, dict | None] = {}
        skipped = set()
        for method in METHODS:
            if method not in args.methods.split(",") or (
                size == "stretch" and method == "monolithic flow"  # does not finish in minutes
            ):
                skipped.add(method)
                rows[method] = None
            else:
                rows[method] = measure(size, method, args.timeout)
        base = rows.get("monolithic flow")
        best = rows.get("optimiser")
        for method, row in rows.items():
            if row is None:
                why = "not run" if method in skipped else f"over {args.timeout:.0f} s"
                print(f"| {size} | {method} | – | {why} | – | – | – | – | – | – | – | – | – |")
                continue
            o = row["objective"]
            ratio = f"{base['cpu'] / row['cpu']:.1f}x" if base else "–"
            loss = ""
            if best and method in ("status quo", "greedy cross"):
                loss = f" ({int(o['placed'] - best['objective']['placed']):+d})"
            build = f"{row['build']:.2f}" if row["build"] is not None else "–"
            print(
                f"| {size} | {method} | {build} | {row['wall']:.2f} | {row['cpu']:.2f} | {ratio} | "
                f"{row['peak']:.0f} ({row['scenario']:.0f}) | {int(o['placed'])}{loss} | "
                f"{int(o['own_district'])} | {int(o['cross_district'])} | "
                f"{int(o['travel_minutes_total'])} | {int(o['seats_toward_min_size'])} | "
                f"{row['status']} |"
            )


if __name__ == "__main__":
    main()
