"""Solve the queued group-start recommendations, term plans and what-if simulations, then
exit: `python -m api.recommend_worker`.

`waitlist serve` starts this in a child process whenever a job is queued (api.jobs), so the
solver's work never competes with the server's threads for the interpreter, and runs it at a
lower priority than the pages. The database and rules come from the same settings
(WAITLIST_*) as the server's.
"""

from __future__ import annotations

import contextlib
import os

from waitlist.bootstrap import rules_from
from waitlist.config import get_settings
from waitlist.services import recommendation_jobs, simulation_jobs, term_plan_jobs
from waitlist.storage.db import make_engine


def worker_name() -> str:
    import socket

    return f"{socket.gethostname()}:{os.getpid()}"[:128]


def main() -> int:
    """Run jobs until none is queued (recommendations, then term plans, then what-ifs); how
    many were run."""
    with contextlib.suppress(OSError, AttributeError):
        os.nice(10)  # the pages come first: a page waits less behind a solve than at 5
    settings = get_settings()
    engine = make_engine(settings.database_url)
    worker, rules, solved = worker_name(), rules_from(settings), 0
    try:
        while (
            recommendation_jobs.run_next(engine, worker, rules) is not None
            or term_plan_jobs.run_next(engine, worker, rules) is not None
            or simulation_jobs.run_next(engine, worker) is not None
        ):
            solved += 1
    finally:
        engine.dispose()
    return solved


if __name__ == "__main__":
    main()
