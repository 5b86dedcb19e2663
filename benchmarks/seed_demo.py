"""`waitlist seed --demo`: CPU time, and a digest of the data it writes (the same seed must
give the same data, whatever is changed to make it faster).

    python benchmarks/seed_demo.py [--weeks 52] [--seed 2026] [--as-of 2026-11-25] [--tables]
                                   [--runs 1]

First the two commands `make run` starts with, each as its own process on a fresh SQLite
file: `waitlist init` (migrations and reference data) and `waitlist seed --demo`, with the
CPU seconds (user + sys) of each whole process, imports included. Then the seeding alone in
this process (a fresh database migrated as `waitlist init` does), its CPU seconds and a
SHA-256 over every table's rows in id order, less the columns that are random on purpose
(waitlist/storage/digest.py: salted password hashes, personal-link tokens). Target: the seed
command under 5 s of CPU for the 52-week demo city. The load average is printed beside: CPU
seconds grow on a machine busy with other work.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from harness import ROOT

from waitlist.config import Settings
from waitlist.demo import seed_demo
from waitlist.storage.db import make_engine, migrate
from waitlist.storage.digest import digest


def child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def commands(work: Path, args: argparse.Namespace) -> dict[str, float]:
    """CPU seconds of `waitlist init` and `waitlist seed --demo`, each a whole process."""
    env = {**os.environ, "WAITLIST_DATABASE_URL": f"sqlite:///{work / 'cli.db'}"}
    seed = ["--seed", str(args.seed), "--as-of", args.as_of.isoformat()]
    found = {}
    for name, arguments in (("init", ["init"]), ("seed --demo", ["seed", "--demo", *seed])):
        command = [sys.executable, "-c", "from waitlist.cli import app; app()", *arguments]
        before = child_cpu()
        subprocess.run(command, env=env, cwd=ROOT, check=True, capture_output=True)
        found[name] = child_cpu() - before
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--weeks", type=int, default=52)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--as-of", type=date.fromisoformat, default=date(2026, 11, 25))
    parser.add_argument("--tables", action="store_true", help="a digest per table too")
    parser.add_argument("--runs", type=int, default=1, help="times to run the two commands")
    args = parser.parse_args()
    for run in range(args.runs):
        with tempfile.TemporaryDirectory() as work:
            load = os.getloadavg()[0]
            found = commands(Path(work), args)
            print(
                f"run {run + 1}: "
                + ", ".join(f"waitlist {name}: {cpu:.2f} s of CPU" for name, cpu in found.items())
                + f" (whole processes; load average {load:.1f} to {os.getloadavg()[0]:.1f}"
                f" on {os.cpu_count()} cores)"
            )
    with tempfile.TemporaryDirectory() as work:
        url = f"sqlite:///{Path(work) / 'demo.db'}"
        migrate(url)
        engine = make_engine(url)
        settings = Settings(database_url=url)
        cpu, wall = time.process_time(), time.perf_counter()
        summary = seed_demo(engine, settings, seed=args.seed, as_of=args.as_of, weeks=args.weeks)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        print(summary)
        print(f"seeding alone: {cpu:.2f} s of CPU, {wall:.2f} s of wall-clock time")
        found = digest(engine)
        if args.tables:
            for name, value in found.tables.items():
                print(f"  {name}: {value[:16]}")
        print("rows: " + ", ".join(f"{k} {v}" for k, v in found.counts.items() if v))
        print(f"data digest: {found.total}")
        engine.dispose()


if __name__ == "__main__":
    main()
