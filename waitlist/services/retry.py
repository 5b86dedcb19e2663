"""Re-running a use case that lost a race the database resolved by aborting it.

PostgreSQL aborts one of two transactions that wait on each other's row locks (deadlock,
SQLSTATE 40P01) or that cannot be serialised (40001). The use cases lock rows in one order
(application, then offer, then group) so this is rare, but cancelling or completing a group
starts from the group. Since a use case is one transaction that was rolled back as a whole,
running it again is safe: `@retrying` does so a few times with a short random pause.
It never retries inside an enclosing unit of work (the outer transaction is lost then).
"""

from __future__ import annotations

import functools
import random
import time
from collections.abc import Callable
from typing import Any, TypeVar, cast

from sqlalchemy.exc import DBAPIError

from waitlist.storage.uow import UnitOfWork

F = TypeVar("F", bound=Callable[..., Any])

TRANSIENT_SQLSTATES = frozenset({"40P01", "40001"})
ATTEMPTS = 5


def is_transient(exc: DBAPIError) -> bool:
    state = getattr(exc.orig, "sqlstate", None)
    return state in TRANSIENT_SQLSTATES or "database is locked" in str(exc.orig)


def retrying(fn: F) -> F:
    @functools.wraps(fn)
    def wrapper(uow: UnitOfWork, *args: Any, **kwargs: Any) -> Any:
        for attempt in range(1, ATTEMPTS + 1):
            try:
                return fn(uow, *args, **kwargs)
            except DBAPIError as exc:
                if uow.in_transaction or attempt == ATTEMPTS or not is_transient(exc):
                    raise
                time.sleep(random.uniform(0, 0.02 * 2**attempt))
        raise AssertionError("unreachable")

    return cast(F, wrapper)
