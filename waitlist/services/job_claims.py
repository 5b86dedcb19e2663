"""Claiming background jobs from a table, shared by every kind of job (recommendations,
what-if simulations): a job row has `state` (queued|running|done|failed), `claimed_by`,
`claimed_at`, `heartbeat_at`, `attempts`, `finished_at` and `error`.

A worker claims the oldest claimable job with a guarded update, so of several workers exactly
one gets it (on PostgreSQL the candidate row is read `FOR UPDATE SKIP LOCKED`). A running job
whose worker stopped beating for `STALE_AFTER` can be claimed again; after `MAX_ATTEMPTS`
claims it fails, visibly. A worker writes only to a job it still holds (`set_mine`).
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import Engine, and_, or_, update
from sqlmodel import Session, SQLModel, col, select

from waitlist.domain.errors import NotFound
from waitlist.storage.columns import utcnow

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
# A running job whose worker has not written for this long is claimed again.
STALE_AFTER = timedelta(minutes=3)
T = TypeVar("T", bound=SQLModel)
MAX_ATTEMPTS = 3


def get_job(session: Session, table: type[T], job_id: int, missing: str, field: str) -> T:
    """Job `job_id` of `table`; NotFound saying `missing` (naming `field`) when there is none."""
    row = session.get(table, job_id)
    if row is None:
        raise NotFound(missing, field=field)
    return row


def claimable(table: type[SQLModel], now: datetime):  # noqa: ANN201
    return or_(
        col(table.state) == QUEUED,  # type: ignore[attr-defined]
        and_(
            col(table.state) == RUNNING,  # type: ignore[attr-defined]
            col(table.heartbeat_at) < now - STALE_AFTER,  # type: ignore[attr-defined]
        ),
    )


def mine(table: type[SQLModel], job_id: int, worker: str):  # noqa: ANN201
    return update(table).where(
        col(table.id) == job_id,  # type: ignore[attr-defined]
        col(table.claimed_by) == worker,  # type: ignore[attr-defined]
        col(table.state) == RUNNING,  # type: ignore[attr-defined]
    )


def set_mine(
    engine: Engine, table: type[SQLModel], job_id: int, worker: str, **values: Any
) -> None:
    """Write to a job this worker holds (a job claimed again since is left alone)."""
    with Session(engine) as session:
        session.execute(mine(table, job_id, worker).values(**values))
        session.commit()


@contextlib.contextmanager
def beating(
    engine: Engine, table: type[SQLModel], job_id: int, worker: str, every: float = 30.0
) -> Iterator[None]:
    """While the block runs, write the job's heartbeat every `every` seconds (a long solve
    that reports no progress of its own is not taken for a stopped worker's)."""
    stop = threading.Event()

    def beat() -> None:
        while not stop.wait(every):
            with contextlib.suppress(Exception):  # the database away: the next beat tries
                set_mine(engine, table, job_id, worker, heartbeat_at=utcnow())

    beater = threading.Thread(target=beat, name=f"heartbeat-{job_id}", daemon=True)
    beater.start()
    try:
        yield
    finally:
        stop.set()
        beater.join()


def any_claimable(engine: Engine, table: type[SQLModel]) -> bool:
    """Whether a job waits for a worker (queued, or left by a worker that stopped)."""
    with Session(engine) as session:
        query = select(table.id).where(claimable(table, utcnow())).limit(1)  # type: ignore[attr-defined]
        return session.exec(query).first() is not None


def claim(engine: Engine, table: type[SQLModel], worker: str) -> Any | None:
    """The job this worker won (detached, as read before the claim), or None."""
    now = utcnow()
    with Session(engine, expire_on_commit=False) as session:
        query = select(table).where(claimable(table, now)).order_by(col(table.id))  # type: ignore[attr-defined]
        if engine.dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        job = session.exec(query.limit(1)).first()
        if job is None or job.id is None:  # type: ignore[attr-defined]
            return None
        if job.attempts >= MAX_ATTEMPTS:  # type: ignore[attr-defined]  # its workers keep dying
            values: dict[str, Any] = {"state": FAILED, "error": "gave up", "finished_at": now}
        else:
            values = {"state": RUNNING, "claimed_by": worker, "claimed_at": now}
            values |= {"heartbeat_at": now, "attempts": table.attempts + 1}  # type: ignore[attr-defined]
        claimed = session.execute(
            update(table)
            .where(col(table.id) == job.id, claimable(table, now))  # type: ignore[attr-defined]
            .values(**values)
        )
        session.commit()
        session.expunge(job)
    won = claimed.rowcount == 1 and values["state"] == RUNNING  # type: ignore[attr-defined]
    return job if won else None
