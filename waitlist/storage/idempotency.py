"""Tables of the HTTP layer's guarantees: idempotency keys and rate-limit windows.

They live in the database, not in a process, so that every worker agrees. On PostgreSQL the
rate-limit counters are an UNLOGGED table: they are bumped on every parent request and need no
write-ahead log (a crash empties them, which only forgets the current minute's counts).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DDL, BigInteger, Column, LargeBinary, UniqueConstraint, event
from sqlmodel import Field, SQLModel

from waitlist.storage.columns import utcnow


class IdempotencyRecord(SQLModel, table=True):
    """One `Idempotency-Key` per scope (operation + caller). Inserted *before* the work runs:
    the unique constraint is what makes a concurrent duplicate fail instead of running twice.

    `response` is sealed (encrypted and authenticated with a key derived from the
    Idempotency-Key itself and the server secret), because an apply response carries the
    parent's status token, of which the database must hold only a hash.

    A `pending` row is held by one attempt (`claim`) until `lease_until`; a retry after that
    takes it over (the attempt's process is presumed dead). The work marks the row `done` in
    its own transaction, guarded by its claim, so a created application and its stored answer
    exist together or not at all. `expired`: the answer was dropped (after 24 hours, or when the
    parent erased their data) but the key stays known, so a late retry cannot apply twice.
    """

    __tablename__ = "idempotency_record"
    __table_args__ = (UniqueConstraint("scope", "key_hash", name="uq_idempotency_scope_key"),)

    id: int | None = Field(default=None, primary_key=True)
    scope: str = Field(max_length=120)
    key_hash: str = Field(max_length=64)
    request_hash: str = Field(max_length=64)
    state: str = Field(default="pending", max_length=16)  # pending | done | expired
    status_code: int | None = None
    response: bytes | None = Field(default=None, sa_column=Column(LargeBinary, nullable=True))
    created_at: datetime = Field(default_factory=utcnow, index=True)
    claim: str = Field(default="", max_length=32)
    lease_until: datetime | None = None
    # The application the answer is about (made by an apply, or the caller's own).
    application_id: int | None = Field(default=None, index=True)


class RateLimitWindow(SQLModel, table=True):
    """A fixed-window counter: requests by one bucket (client IP or token) in one window."""

    __tablename__ = "rate_limit_window"

    bucket: str = Field(primary_key=True, max_length=120)
    # Start of the window, in epoch seconds.
    window: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    count: int = 0


UNLOGGED_COUNTERS = DDL("ALTER TABLE rate_limit_window SET UNLOGGED")
event.listen(
    RateLimitWindow.__table__,  # type: ignore[attr-defined]
    "after_create",
    UNLOGGED_COUNTERS.execute_if(dialect="postgresql"),
)
