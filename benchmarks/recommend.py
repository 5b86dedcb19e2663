"""Benchmark: group-start recommendations at city scale, against "start a group where the queue
is longest", in the same process.

    .venv/bin/python benchmarks/recommend.py [--seed 1] [--write-scenario demo.json]
        [--rooms-per-district N] [--generated]

City: 14 districts, 11 programmes, 3,000 waiting, 400 candidate groups, 60 leaders
(benchmarks/recommend_city.py). Prints time to a first feasible recommendation, time to the
first CP-SAT solution, time to proven optimal, the gap, and the comparison table.
`--rooms-per-district N` lists N rooms in each district and names one on every candidate (each
district's candidates, by id, take its rooms in turn; 10 sessions where a programme gives none).
`--generated` drops the city's candidates: they are generated from demand (its candidates module),
one per listed room in each district when rooms are listed.

    .venv/bin/python benchmarks/recommend.py --varied 1,2,3,4,5

Varied cities (recommend_city.varied_city): 3,000 waiting with more languages each, 200 groups
holding rooms, 50 leaders speaking several languages, 400 candidates on every weekday of their
slot in the districts' rooms; and the same city with its candidates generated from demand, one
per room that can host it, as the live recommender does. One row per seed and kind of
candidates: status, process CPU seconds of the whole run (target: proven optimal under 10 s),
the waiting-weeks objective and its proven bound.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import time
from pathlib import Path

from recommend_city import city_scenario, varied_city

from solver.recommend.baseline import longest_queue_first
from solver.recommend.data import RecommendOptions
from solver.recommend.explain import Explainer, med, ratio, spread
from solver.recommend.pipeline import run
from solver.types import Room, Scenario


def with_rooms(city: Scenario, per_district: int) -> Scenario:
    """The city with `per_district` rooms in each district and a room on every candidate:
    each district's candidates, in id order, take its rooms in turn."""
    rooms = tuple(
        Room(f"r-{d.slug}-{n + 1}", d.slug) for d in city.districts for n in range(per_district)
    )
    seen: dict[str, int] = {}
    cands = []
    for cand in sorted(city.candidate_groups, key=lambda c: c.id):
        n = seen.get(cand.district, 0)
        seen[cand.district] = n + 1
        room = f"r-{cand.district}-{n % per_district + 1}"
        cands.append(dataclasses.replace(cand, room=room))
    programmes = tuple(
        p if p.sessions or p.weeks else dataclasses.replace(p, sessions=10) for p in city.programmes
    )
    return dataclasses.replace(
        city, rooms=rooms, candidate_groups=tuple(cands), programmes=programmes
    )


def summarise(prep, served: dict[int, list[int]]) -> dict[str, float]:
    explainer = Explainer(prep)
    target = prep.scenario.policy.target_weeks
    chosen = {i for members in served.values() for i in members}
    return {
        "weighted": float(sum(prep.weight[i] for i in chosen)),
        "weeks": sum(explainer.waits[i] for i in chosen),
        "groups": float(len(served)),
        "parents": float(len(chosen)),
        "cross": float(
            sum(
                1
                for c, ms in served.items()
                for i in ms
                if prep.applications[i].district != prep.candidates[c].district
            )
        ),
        "ratio_after": ratio(explainer.waits_by_district(chosen)),
        "ratio_before": ratio(explainer.waits_by_district(set())),
        **{f"{k}_after": v for k, v in spread(explainer.waits_by_district(chosen), target).items()},
        **{f"{k}_before": v for k, v in spread(explainer.waits_by_district(set()), target).items()},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--write-scenario", type=Path, default=None)
    parser.add_argument("--districts", action="store_true", help="median wait per district")
    parser.add_argument(
        "--rooms-per-district", type=int, default=0, help="rooms on every candidate (0: none)"
    )
    parser.add_argument("--generated", action="store_true", help="candidates from demand")
    parser.add_argument("--varied", default="", help="seeds of varied cities, e.g. 1,2,3")
    args = parser.parse_args()
    if args.varied:
        varied_table([int(s) for s in args.varied.split(",")])
        return

    t = time.perf_counter()
    city = city_scenario(seed=args.seed)
    if args.generated:
        city = dataclasses.replace(city, candidate_groups=())
    if args.rooms_per_district > 0:
        city = with_rooms(city, args.rooms_per_district)
    gen_s = time.perf_counter() - t
    if args.write_scenario:
        from solver.scenario.files import dumps, scenario_to_dict

        args.write_scenario.write_text(dumps(scenario_to_dict(city)), encoding="utf-8")

    cpu = time.process_time()
    done = run(city)
    cpu = time.process_time() - cpu
    t = time.perf_counter()
    base = longest_queue_first(done.prepared)
    base_s = time.perf_counter() - t

    prep, solved = done.prepared, done.solved
    print(
        f"city: {len(city.districts)} districts, {len(city.programmes)} programmes, "
        f"{len(city.applications)} waiting, {len(prep.all_candidates)} candidates "
        f"({len(prep.candidates)} viable, {len(prep.kinds)} kinds), {len(city.leaders)} leaders; "
        f"generated in {gen_s:.2f} s"
    )
    if city.rooms:
        print(
            f"rooms: {len(city.rooms)} ({args.rooms_per_district} per district) on every candidate"
        )
    print(f"status: {solved.status}")
    print("| measure | seconds |")
    print("|---|---:|")
    print(f"| first feasible recommendation (search start plan) | {done.first_feasible_s:.2f} |")
    print(f"| first CP-SAT solution | {solved.first_solution_s or 0:.2f} |")
    print(f"| stage 1 proven (waiting-weeks optimal) | {solved.stage1_s:.2f} |")
    print(f"| proven optimal, all tiers (total run) | {done.total_s:.2f} |")
    print(f"| baseline (longest queue first) | {base_s:.3f} |")
    print(f"process CPU time of the whole run: {cpu:.2f} s (one search worker)")
    gap = 0.0 if not solved.bound_t1 else (solved.bound_t1 - solved.tiers[0]) / solved.bound_t1
    print(f"gap after stage 1: {gap:.4%}")
    print()
    ours = summarise(prep, done.plan.served)
    theirs = summarise(prep, base.served)
    rows = [
        ("weighted waiting-weeks removed", "weighted", "{:.0f}"),
        ("waiting-weeks removed", "weeks", "{:.0f}"),
        ("groups opened", "groups", "{:.0f}"),
        ("parents served", "parents", "{:.0f}"),
        ("of whom from another district", "cross", "{:.0f}"),
        ("max/min district median wait after", "ratio_after", "{:.2f}"),
        ("longest district median wait after (weeks)", "longest_after", "{:.1f}"),
        ("shortest district median wait after (weeks)", "shortest_after", "{:.1f}"),
        ("districts with median over target after", "over_target_after", "{:.0f}"),
    ]
    print("| on the demo city | recommender | longest queue first | ratio |")
    print("|---|---:|---:|---:|")
    for label, key, fmt in rows:
        a, b = ours[key], theirs[key]
        r = f"{a / b:.2f}" if b else "–"
        print(f"| {label} | {fmt.format(a)} | {fmt.format(b)} | {r} |")
    print(
        f"(before: max/min {ours['ratio_before']:.2f}, longest {ours['longest_before']:.1f}, "
        f"shortest {ours['shortest_before']:.1f}, over target {ours['over_target_before']:.0f})"
    )
    if args.districts:
        print_districts(prep, done.plan.served, base.served)


# CPU seconds are the measure: on a busy machine the default wall-clock limit (60 s) would
# stop a search that has used far less CPU than that.
UNHURRIED = RecommendOptions(time_limit_s=900.0)


def varied_table(seeds: list[int]) -> None:
    """One row per varied city: proven optimal or not, CPU seconds, objective and bound."""
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(
        "| seed | candidates | kinds | status | CPU s | wall s | objective (stage 1) | bound "
        "| groups |"
    )
    print("|---:|---|---:|---|---:|---:|---:|---:|---:|")
    for seed in seeds:
        listed = varied_city(seed=seed)
        # Listed: 400 candidates in rooms. From demand: generated like the live recommender
        # does, one per room that can host it.
        for label, city in (
            ("400 listed", listed),
            ("from demand", dataclasses.replace(listed, candidate_groups=())),
        ):
            cpu = time.process_time()
            done = run(city, options=UNHURRIED)
            cpu = time.process_time() - cpu
            solved, prep = done.solved, done.prepared
            print(
                f"| {seed} | {label} ({len(prep.candidates)} viable) | {len(prep.kinds)} | "
                f"{solved.status} | {cpu:.2f} | {done.total_s:.2f} | {solved.tiers[0]} | "
                f"{solved.bound_t1:.0f} | {solved.tiers[1]} |",
                flush=True,
            )
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


def print_districts(prep, ours: dict[int, list[int]], theirs: dict[int, list[int]]) -> None:
    """Median wait (open-queue age, weeks) per district before and after each plan."""
    explainer = Explainer(prep)
    mine = {i for ms in ours.values() for i in ms}
    base = {i for ms in theirs.values() for i in ms}
    before = explainer.waits_by_district(set())
    after, after_base = explainer.waits_by_district(mine), explainer.waits_by_district(base)
    print()
    print("| district | waiting | median before | served | median after | LQF served | LQF after |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for d in sorted(before, key=lambda d: (med(before[d]), d)):
        n = len(before[d])
        print(
            f"| {d} | {n} | {med(before[d]):.1f} | {n - len(after.get(d, []))} | "
            f"{med(after.get(d, [])):.1f} | {n - len(after_base.get(d, []))} | "
            f"{med(after_base.get(d, [])):.1f} |"
        )


if __name__ == "__main__":
    main()
