"""Background jobs in the tests: two workers racing for the next queued job."""

from __future__ import annotations

import threading
from collections.abc import Callable

from sqlalchemy.engine import Engine


def race_two_workers(
    run_next: Callable[[Engine, str], int | None], engine: Engine
) -> list[int | None]:
    """Two workers (`worker-a`, `worker-b`) ask for the next job at the same time: what each
    ran, a job id or None, the ids first."""
    ran: list[int | None] = []
    workers = [
        threading.Thread(target=lambda w=w: ran.append(run_next(engine, w)))
        for w in ("worker-a", "worker-b")
    ]
    for t in workers:
        t.start()
    for t in workers:
        t.join()
    return sorted(ran, key=lambda job_id: job_id is None)
