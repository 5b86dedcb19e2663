"""Rate limits on parent endpoints: per client IP and per status token, fixed windows.

The counters are rows in the database (`rate_limit_window`, unlogged on PostgreSQL; on a SQLite
file, in a file of their own beside it: `waitlist.storage.db.counters`), all of a request's
buckets bumped with one upsert statement (on PostgreSQL in autocommit: one round trip), so
every worker process sees the same counts. Windows that can no longer matter are
purged by the scheduled jobs (`purge_old`).

The one thing a process remembers is a refusal, until its window ends: a count only rises
within its window, so a bucket found over its limit stays over until then, and the worker that
found it refuses that bucket's next requests without a database trip. A flood from one address
then costs a dictionary lookup per request, not a write on one hot row. Whether a request is
let through is always the database's answer, so several workers agree.
"""

from __future__ import annotations

import hashlib
import threading
import time
import weakref
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import Engine, delete, text
from sqlmodel import Session

from api.problems import ProblemError
from waitlist import bootstrap
from waitlist.config import Settings
from waitlist.services import logins
from waitlist.storage.db import counters, lone_statement
from waitlist.storage.idempotency import RateLimitWindow


@dataclass(frozen=True)
class Limit:
    requests: int
    seconds: int


@cache
def _bump_statement(buckets: int) -> Any:
    """Count one request in each of `buckets` (bucket, window) pairs, given as parameters
    b0, w0, b1, w1, ...; returns each bucket's new count. One statement, in text: SQLAlchemy
    would compile an INSERT of several rows anew for every request. (PostgreSQL and SQLite
    speak the same upsert.)"""
    rows = ", ".join(f"(:b{i}, :w{i}, 1)" for i in range(buckets))
    return text(
        f'INSERT INTO rate_limit_window (bucket, "window", count) VALUES {rows} '
        'ON CONFLICT (bucket, "window") DO UPDATE SET count = rate_limit_window.count + 1 '
        "RETURNING bucket, count"
    )


def bucket_for_token(token: str) -> str:
    # The counter names a hash of the token, never the token.
    return "tok:" + hashlib.sha256(token.encode()).hexdigest()[:32]


# (bucket, window start, limit) -> end of that window, per database (engine).
Refusals = dict[tuple[str, int, int], int]
_REFUSALS: weakref.WeakKeyDictionary[Engine, Refusals] = weakref.WeakKeyDictionary()
_MAX_REFUSALS = 10_000
_REFUSALS_LOCK = threading.Lock()  # requests are counted on several threads of a worker


def check(engine: Engine, limits: dict[str, Limit], *, now: float | None = None) -> None:
    """Count this request in every bucket (one statement); 429 when one is over its limit."""
    active = {bucket: limit for bucket, limit in limits.items() if limit.requests > 0}
    if not active:
        return
    moment = time.time() if now is None else now
    windows = {  # window start, epoch seconds
        bucket: int(moment // limit.seconds) * limit.seconds for bucket, limit in active.items()
    }
    keys = {bucket: (bucket, windows[bucket], limit.requests) for bucket, limit in active.items()}
    with _REFUSALS_LOCK:
        refusals = _REFUSALS.setdefault(engine, {})
    known = [end for key in keys.values() if (end := refusals.get(key)) is not None]
    if known:  # over its limit in this window already: no need to count it again
        _refuse(max(known), moment)
    # Rows go in a fixed order: two requests never wait on each other's counters in a circle.
    params: dict[str, Any] = {}
    for i, (bucket, window) in enumerate(sorted(windows.items())):
        params[f"b{i}"], params[f"w{i}"] = bucket, window
    with lone_statement(counters(engine), write=True) as conn:
        rows = conn.execute(_bump_statement(len(windows)), params).all()
    counts = dict(rows)
    over = {
        keys[bucket]: windows[bucket] + limit.seconds
        for bucket, limit in active.items()
        if counts[bucket] > limit.requests
    }
    if over:
        _remember(refusals, over, moment)
        _refuse(max(over.values()), moment)


def _remember(refusals: Refusals, over: Refusals, moment: float) -> None:
    with _REFUSALS_LOCK:
        if len(refusals) >= _MAX_REFUSALS:  # forget windows that have ended, or all of them
            for key in [key for key, end in refusals.items() if end <= moment]:
                del refusals[key]
            if len(refusals) >= _MAX_REFUSALS:
                refusals.clear()
        refusals.update(over)


def _refuse(window_end: int, moment: float) -> None:
    retry_after = max(1, int(window_end - moment))
    raise ProblemError(
        429,
        f"Too many requests; try again in {retry_after} seconds.",
        code="rate_limited",
        headers={"Retry-After": str(retry_after)},
    )


def purge_old(engine: Engine, *, older_than_seconds: int = 3600, now: float | None = None) -> int:
    """Delete counters of windows that started long ago (no limit's window is that long)."""
    cutoff = int((time.time() if now is None else now) - older_than_seconds)
    with Session(counters(engine)) as session:
        result = session.execute(
            delete(RateLimitWindow).where(RateLimitWindow.window < cutoff)  # type: ignore[arg-type]
        )
        session.commit()
    return int(getattr(result, "rowcount", 0) or 0)


def staff_login(
    engine: Engine, settings: Settings, username: str, password: str, address: str
) -> logins.LoginResult:
    """A throttled password check for a caller at `address` (every login route's)."""
    make = bootstrap.uow_factory(engine, settings, actor="anonymous")
    with _REFUSALS_LOCK:
        memory = _LOGIN_PAUSES.setdefault(engine, logins.PauseMemory())
    policy = bootstrap.login_policy(settings)
    return logins.log_in(make, username, password, address, policy, memory=memory)


# The log-in pauses each database's buckets are known to be under, in this process.
_LOGIN_PAUSES: weakref.WeakKeyDictionary[Engine, logins.PauseMemory] = weakref.WeakKeyDictionary()
