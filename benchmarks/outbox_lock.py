"""How long the outbox drain holds the database's write lock: on SQLite there is one, and
every status page view needs it (the parents' rate-limit count), so a page waits as long as
the longest write transaction of a drain running beside it.

    python benchmarks/outbox_lock.py [--batches 4]

Drains `--batches` batches of the demo city's notices (SQLite, a copy of the city the browser
tests build) with the demo sender, in this process, and prints the write transactions: how
many, the longest, the median and their total (from the first write statement to the commit:
SQLite takes the write lock at the first write), and the drain's CPU seconds.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path
from typing import Any

from recommendations_page import demo_copy
from sqlalchemy import event

from waitlist.services import outbox
from waitlist.storage.db import make_engine

WRITES = ("INSERT", "UPDATE", "DELETE")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--batches", type=int, default=4)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        engine = make_engine(demo_copy(Path(work) / "demo.db"))
        held: list[float] = []
        first_write: dict[int, float] = {}

        @event.listens_for(engine, "before_cursor_execute")
        def writing(conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
            if statement.lstrip().split()[0].upper() in WRITES:
                first_write.setdefault(id(conn), time.perf_counter())

        @event.listens_for(engine, "commit")
        def committed(conn: Any) -> None:
            began = first_write.pop(id(conn), None)
            if began is not None:
                held.append((time.perf_counter() - began) * 1000)

        cpu = time.process_time()
        report = outbox.drain(engine, outbox.DemoSender(), max_batches=args.batches)
        cpu = time.process_time() - cpu
        engine.dispose()
    held.sort()
    print(
        f"sent {report.sent}, failed {report.failed}; {cpu:.2f} s of CPU; "
        f"{len(held)} write transactions: longest {held[-1]:.0f} ms, median "
        f"{held[len(held) // 2]:.1f} ms, total {sum(held):.0f} ms"
    )


if __name__ == "__main__":
    main()
