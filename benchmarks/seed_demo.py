"""`waitlist seed --demo`: CPU time, and a digest of the data it writes (the same seed must
give the same data, whatever is changed to make it faster).

    python benchmarks/seed_demo.py [--weeks 52] [--seed 2026] [--as-of 2026-11-25]

Seeds a fresh SQLite database (migrated as `waitlist init` does) in this process and prints
the CPU seconds of the seeding alone and a SHA-256 over every table's rows in id order, less
the columns that are random on purpose (waitlist/storage/digest.py: salted password
hashes, personal-link tokens). Target: under 5 s of CPU for the 52-week demo city.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import date
from pathlib import Path

from waitlist.config import Settings
from waitlist.demo import seed_demo
from waitlist.storage.db import make_engine, migrate
from waitlist.storage.digest import digest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--weeks", type=int, default=52)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--as-of", type=date.fromisoformat, default=date(2026, 11, 25))
    parser.add_argument("--tables", action="store_true", help="a digest per table too")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        url = f"sqlite:///{Path(work) / 'demo.db'}"
        migrate(url)
        engine = make_engine(url)
        settings = Settings(database_url=url)
        cpu, wall = time.process_time(), time.perf_counter()
        summary = seed_demo(engine, settings, seed=args.seed, as_of=args.as_of, weeks=args.weeks)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        print(summary)
        print(f"seeding: {cpu:.2f} s of CPU, {wall:.2f} s of wall-clock time")
        found = digest(engine)
        if args.tables:
            for name, value in found.tables.items():
                print(f"  {name}: {value[:16]}")
        print("rows: " + ", ".join(f"{k} {v}" for k, v in found.counts.items() if v))
        print(f"data digest: {found.total}")
        engine.dispose()


if __name__ == "__main__":
    main()
