"""Rate limits on parent endpoints: per client IP and per status token, fixed windows.

The counters are rows in the database (`rate_limit_window`), bumped with one upsert, so every
worker process sees the same counts and the app keeps no state of its own. Windows that can
no longer matter are purged by the scheduled jobs (`purge_old`).
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass

from sqlalchemy import Engine, delete
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session

from api.problems import ProblemError
from waitlist.storage.idempotency import RateLimitWindow


@dataclass(frozen=True)
class Limit:
    requests: int
    seconds: int


def _bump(session: Session, bucket: str, window: int) -> int:
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    stmt = insert(RateLimitWindow).values(bucket=bucket, window=window, count=1)
    stmt = stmt.on_conflict_do_update(
        index_elements=["bucket", "window"],
        set_={"count": RateLimitWindow.__table__.c["count"] + 1},
    ).returning(RateLimitWindow.__table__.c["count"])
    return int(session.execute(stmt).scalar_one())


def bucket_for_token(token: str) -> str:
    # The counter names a hash of the token, never the token.
    return "tok:" + hashlib.sha256(token.encode()).hexdigest()[:32]


def check(engine: Engine, limits: dict[str, Limit], *, now: float | None = None) -> None:
    """Count this request in every bucket (one transaction); 429 when one is over its limit."""
    active = {bucket: limit for bucket, limit in limits.items() if limit.requests > 0}
    if not active:
        return
    moment = time.time() if now is None else now
    over: list[int] = []
    with Session(engine) as session:
        for bucket in sorted(active):  # a fixed order: no deadlock between two requests
            limit = active[bucket]
            window = int(moment // limit.seconds) * limit.seconds  # window start, epoch seconds
            if _bump(session, bucket, window) > limit.requests:
                over.append(max(1, int(window + limit.seconds - moment)))
        session.commit()
    if over:
        retry_after = max(over)
        raise ProblemError(
            429,
            f"Too many requests; try again in {retry_after} seconds.",
            code="rate_limited",
            headers={"Retry-After": str(retry_after)},
        )


def purge_old(engine: Engine, *, older_than_seconds: int = 3600, now: float | None = None) -> int:
    """Delete counters of windows that started long ago (no limit's window is that long)."""
    cutoff = int((time.time() if now is None else now) - older_than_seconds)
    with Session(engine) as session:
        result = session.execute(
            delete(RateLimitWindow).where(RateLimitWindow.window < cutoff)  # type: ignore[arg-type]
        )
        session.commit()
    return int(getattr(result, "rowcount", 0) or 0)
