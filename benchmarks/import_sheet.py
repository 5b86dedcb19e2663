"""Importing a district's queue from a spreadsheet, through the command line as a coordinator
would run it: a 5,000-row sheet with 50 bad rows.

    python benchmarks/import_sheet.py [--rows 5000] [--bad 50] [--format xlsx|csv]

A fresh SQLite database (`waitlist init`, reference data), the sheet written with openpyxl
(real date cells for half the queue dates) or as CSV; then `waitlist import applications`
with --dry-run (must list exactly the bad rows, in under 10 s), --strict (must store
nothing), the import itself (must store the others with their queue dates), and the same
import again (must change nothing). Wall-clock seconds of each command, run as a process.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
COLUMNS = ["external_id", "programme", "queue_date", "child_birth", "languages", "slots",
           "cross_district", "max_travel_minutes", "contact"]  # fmt: skip
FAULTS = [
    ("queue_date", "2025-13-01"),
    ("child_birth", "1990-01"),
    ("programme", "no-such-programme"),
    ("cross_district", "kanske"),
    ("languages", ""),
    ("max_travel_minutes", "en timme"),
]


def sheet(rows: int, bad: int, rng: random.Random) -> tuple[list[list[object]], set[int]]:
    today = date.today()
    wrong = set(rng.sample(range(2, rows + 2), bad))
    table: list[list[object]] = [COLUMNS]
    for number in range(2, rows + 2):
        queued = today - timedelta(days=rng.randint(1, 700))
        birth = today - timedelta(days=rng.randint(3 * 365, 10 * 365))
        cross = rng.random() < 0.4
        row: dict[str, object] = {
            "external_id": f"FA-{number:05d}",
            "programme": "abc",
            "queue_date": queued if number % 2 else queued.isoformat(),
            "child_birth": f"{birth.year}-{birth.month:02d}",
            "languages": rng.choice(["sv", "sv;en", "sv, ar", "SV"]),
            "slots": rng.choice(["", "evening", "day;evening"]),
            "cross_district": rng.choice(["ja", "yes", "1", "true"]) if cross else "nej",
            "max_travel_minutes": rng.choice([20, 30, 45]) if cross else "",
            "contact": "",
        }
        if number in wrong:
            column, value = FAULTS[number % len(FAULTS)]
            row[column] = value
            if column == "max_travel_minutes":
                row["cross_district"] = "ja"
        table.append([row[c] for c in COLUMNS])
    return table, wrong


def write(table: list[list[object]], path: Path) -> None:
    if path.suffix == ".xlsx":
        from openpyxl import Workbook

        book = Workbook()
        for row in table:
            book.active.append(row)
        book.save(path)
    else:
        with path.open("w", newline="", encoding="utf-8") as fh:
            csv.writer(fh).writerows(
                [[v.isoformat() if isinstance(v, date) else v for v in row] for row in table]
            )


CPU: dict[str, float] = {}  # CPU seconds (user + system) of each command, by its last word


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def cli(env: dict[str, str], *args: str) -> tuple[float, subprocess.CompletedProcess[str]]:
    command = [sys.executable, "-c", "from waitlist.cli import app; app()", *args]
    started, cpu = time.perf_counter(), children_cpu()
    done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True)
    CPU[args[-1]] = children_cpu() - cpu
    return time.perf_counter() - started, done


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--bad", type=int, default=50)
    parser.add_argument("--format", choices=["xlsx", "csv"], default="xlsx")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        url = f"sqlite:///{Path(work) / 'waitlist.db'}"
        env = {**os.environ, "WAITLIST_DATABASE_URL": url}
        subprocess.run([sys.executable, "-c", "from waitlist.cli import app; app()", "init"],
                       env=env, cwd=ROOT, check=True, capture_output=True)  # fmt: skip
        table, wrong = sheet(args.rows, args.bad, random.Random(7))
        path = Path(work) / f"queue.{args.format}"
        write(table, path)
        base = ["import", "applications", str(path), "--district", "farsta"]
        engine = sa.create_engine(url)

        def stored() -> list[tuple[str, date]]:
            query = "SELECT external_id, queue_date FROM application ORDER BY external_id"
            with engine.connect() as conn:
                return [(r[0], date.fromisoformat(str(r[1]))) for r in conn.execute(sa.text(query))]

        dry_s, dry = cli(env, *base, "--dry-run")
        listed = {int(n) for n in re.findall(r"^row (\d+),", dry.stdout, re.M)}
        strict_s, _ = cli(env, *base, "--strict")
        after_strict = len(stored())
        import_s, done = cli(env, *base)
        import_cpu = CPU["farsta"]
        kept = stored()
        expected = {
            str(row[0]): (row[2] if isinstance(row[2], date) else date.fromisoformat(str(row[2])))
            for n, row in enumerate(table[1:], start=2)
            if n not in wrong
        }
        again_s, again = cli(env, *base)
        print(f"{args.rows} rows ({args.format}), {args.bad} bad; load {os.getloadavg()[0]:.1f}")
        print("wall-clock seconds of each command (CPU seconds of its process in brackets)")
        last = again.stdout.strip().splitlines()[-1]
        print(f"dry run:  {dry_s:6.2f} s ({CPU['--dry-run']:5.2f})  listed {len(listed)} rows, "
              f"exactly the bad ones: {listed == wrong}")  # fmt: skip
        print(f"--strict: {strict_s:6.2f} s ({CPU['--strict']:5.2f})  stored {after_strict}")
        print(f"import:   {import_s:6.2f} s ({import_cpu:5.2f})  stored {len(kept)}, "
              f"queue dates kept: {dict(kept) == expected}")  # fmt: skip
        print(f"again:    {again_s:6.2f} s ({CPU['farsta']:5.2f})  {last}; now {len(stored())}")
        print(done.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    main()
