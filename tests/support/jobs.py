"""Background jobs in the tests: two workers racing for the next queued job, a job left
behind by a worker that stopped."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from sqlalchemy import update
from sqlalchemy.engine import Engine

from waitlist.services.job_claims import STALE_AFTER
from waitlist.storage.columns import utcnow


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


def abandon(engine: Engine, table: Any, job_id: int) -> None:
    """Leave job `job_id` of `table` as a worker that stopped leaves it: running, claimed by
    `gone`, its last heartbeat longer ago than STALE_AFTER, one attempt made."""
    long_ago = utcnow() - STALE_AFTER - timedelta(minutes=1)
    with engine.begin() as conn:
        conn.execute(
            update(table)
            .where(table.id == job_id)
            .values(state="running", claimed_by="gone", heartbeat_at=long_ago, attempts=1)
        )
