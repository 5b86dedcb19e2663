"""Placement-round commits on a busy city: how often is a commit refused as stale?

A demo city (SQLite, `waitlist seed --demo`) runs district rounds while the rest of the city
goes on: between each preview and its commit, `churn` things happen elsewhere or anywhere
(a parent applies in a random district, or a random waiting parent withdraws). Each preview
is judged by both rules in the same process: the baseline (any change to the whole snapshot's
hash) and the dependency rule of waitlist.services.rounds (a watched group or parent
changed). Rounds are scoped to one district (a coordinator's round: that district's parents,
every group) or city-wide (every parent, as `waitlist round preview` without --district and
a round accepting a group-start recommendation). Previews are discarded after judging, so
every trial sees the same kind of city.

    .venv/bin/python benchmarks/round_commits.py [--trials 14] [--churn 1 5 20] [--weeks 52]
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from datetime import date
from pathlib import Path

from sqlmodel import col, select

from waitlist.bootstrap import rules_from
from waitlist.config import Settings
from waitlist.demo import seed_demo
from waitlist.reference import load_reference
from waitlist.services import applications, rounds, setup
from waitlist.services.scenario_export import database_scenario
from waitlist.storage.db import create_schema, make_engine
from waitlist.storage.tables import Application, PlacementRound
from waitlist.storage.uow import UnitOfWork


def _churn(make, rng: random.Random, districts: list[str], events: int) -> None:  # type: ignore[no-untyped-def]
    today = date.today()
    for _ in range(events):
        if rng.random() < 0.7:
            applications.apply(
                make(),
                {
                    "programme": "komet",
                    "district": rng.choice(districts),
                    "child_birth": f"{today.year - rng.randint(3, 9)}-{rng.randint(1, 12):02d}",
                    "languages": ["sv"],
                },
            )
        else:
            with make() as uow:
                waiting = uow.session.exec(
                    select(Application.id).where(col(Application.status) == "waiting")
                ).all()
            if waiting:
                applications.withdraw(make(), rng.choice(sorted(waiting)))


def _level(make, rng, districts, scope: str, churn: int, trials: int) -> None:  # type: ignore[no-untyped-def]
    refused_hash = refused_deps = offers = 0
    hash_ms = deps_ms = 0.0
    for trial in range(trials):
        district = districts[trial % len(districts)] if scope == "district" else None
        preview = rounds.preview_round(make(f"coordinator:{district}"), district=district)
        offers += len(preview.offers)
        _churn(make, rng, districts, churn)
        with make() as uow:
            row = uow.session.get(PlacementRound, preview.id)
            assert row is not None and row.result is not None
            watch, recorded = row.result[rounds.WATCH_KEY], row.inputs_hash
            current = database_scenario(uow, row.as_of, district)
        t0 = time.perf_counter()
        refused_hash += rounds.inputs_hash(current) != recorded
        t1 = time.perf_counter()
        refused_deps += bool(rounds.changed_inputs(watch, current))
        t2 = time.perf_counter()
        hash_ms += (t1 - t0) * 1000
        deps_ms += (t2 - t1) * 1000
        rounds.discard_round(make(), preview.id)
    n = trials
    print(
        f"| {scope} | {churn} | {n} | {offers / n:.1f} | {refused_hash}/{n} "
        f"({refused_hash / n:.0%}) | {refused_deps}/{n} ({refused_deps / n:.0%}) "
        f"| {hash_ms / n:.1f} | {deps_ms / n:.1f} |",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=14, help="previews per churn level")
    parser.add_argument("--churn", type=int, nargs="+", default=[1, 5, 20])
    parser.add_argument("--weeks", type=int, default=52, help="demo weeks to seed")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="round-commits-"))
    url = f"sqlite:///{folder / 'city.db'}"
    settings = Settings(database_url=url)
    engine = make_engine(url)
    create_schema(engine)
    setup.load_reference_data(UnitOfWork(engine, actor="bench"))
    started = time.perf_counter()
    print(seed_demo(engine, settings, seed=args.seed, as_of=date.today(), weeks=args.weeks))
    print(f"seeded in {time.perf_counter() - started:.1f} s\n")
    rules = rules_from(settings)

    def make(actor: str = "bench") -> UnitOfWork:
        return UnitOfWork(engine, actor=actor, rules=rules)

    districts = [d.district.slug for d in load_reference().districts]
    rng = random.Random(args.seed)
    print(
        "| round | churn between preview and commit | previews | offers per preview | "
        "refused, whole-snapshot hash (baseline) | refused, dependency rule | "
        "check ms, hash | check ms, dependency |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for scope in ("district", "city"):
        for churn in args.churn:
            _level(make, rng, districts, scope, churn, args.trials)
    engine.dispose()


if __name__ == "__main__":
    main()
