"""A parent's status view in-process, with the districts' adapted levels replayed from the
stored history and, as the baseline in the same run, with the level fixed at 0.8 (what the
pages took before they adapted).

    python benchmarks/status_views.py [--parents 60] [--passes 5] [--rounds 2]

On a freshly seeded demo city (SQLite, `waitlist seed --demo`), `--parents` waiting parents
(every seventh) are each shown their standing (waitlist.services.queues.standing: the home
district and every district they accept, each with its wait estimate). Per round and per
variant, in turns: the first pass with every cache empty (every queue's history rebuilt and,
with the level, every district's level replayed once), then `--passes` passes with warm
caches. Printed: CPU seconds of the first pass, and the median, p95, p99 and mean of a warm
view in ms (thread CPU), with the load average. Target: a warm view no slower than the
baseline's (the replay is paid once per district per day and process).
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from harness import demo_database
from sqlmodel import col, select

from waitlist.domain.estimates import COVERAGE
from waitlist.services import wait_history
from waitlist.services.queues import standing
from waitlist.storage.db import make_engine
from waitlist.storage.tables import Application
from waitlist.storage.uow import UnitOfWork


def _views(engine, ids: list[int], passes: int) -> tuple[float, list[float]]:
    wait_history._CACHE.clear()
    wait_history._LEVELS.clear()
    start = time.thread_time()
    for app_id in ids:
        standing(UnitOfWork(engine), app_id)
    cold = time.thread_time() - start
    warm = []
    for _ in range(passes):
        for app_id in ids:
            start = time.thread_time()
            standing(UnitOfWork(engine), app_id)
            warm.append(time.thread_time() - start)
    return cold, warm


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--parents", type=int, default=60)
    parser.add_argument("--passes", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(demo_database(Path(folder) / "demo.db"))
        with UnitOfWork(engine) as uow:
            waiting = uow.session.exec(
                select(col(Application.id))
                .where(Application.status == "waiting")
                .order_by(col(Application.id))
            ).all()
        ids = list(waiting[::7][: args.parents])
        replayed = wait_history.district_level

        def fixed(*_: object, **__: object) -> float:
            return COVERAGE

        variants: list[tuple[str, Callable[..., float]]] = [
            ("level fixed at 0.8 (baseline)", fixed),
            ("level replayed", replayed),
        ]
        print(f"{len(ids)} parents, {args.passes} warm passes, {args.rounds} rounds in turns")
        heads = ("first s", "p50 ms", "p95 ms", "p99 ms", "mean")
        print(f"{'variant':32}", *(f"{h:>7}" for h in heads))
        for _ in range(args.rounds):
            for label, level in variants:
                wait_history.district_level = level  # type: ignore[assignment]
                cold, warm = _views(engine, ids, args.passes)
                warm.sort()

                def q(p: float, warm: list[float] = warm) -> float:
                    return warm[int(p * (len(warm) - 1))] * 1000

                figures = (q(0.5), q(0.95), q(0.99), statistics.mean(warm) * 1000)
                print(f"{label:32} {cold:7.2f}", *(f"{f:7.1f}" for f in figures))
        wait_history.district_level = replayed  # type: ignore[assignment]
    print("load average", " ".join(f"{x:.1f}" for x in os.getloadavg()))


if __name__ == "__main__":
    main()
