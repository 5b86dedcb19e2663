"""Tables of the HTTP layer's guarantees: idempotency keys, rate-limit windows, parent tokens.

They live in the database, not in a process, so that every worker agrees.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Column, LargeBinary, UniqueConstraint
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class IdempotencyRecord(SQLModel, table=True):
    """One `Idempotency-Key` per scope (operation + caller). Inserted *before* the work runs:
    the unique constraint is what makes a concurrent duplicate fail instead of running twice.

    `response` is sealed (encrypted and authenticated with a key derived from the
    Idempotency-Key itself and the server secret), because an apply response carries the
    parent's status token, of which the database must hold only a hash.
    """

    __tablename__ = "idempotency_record"
    __table_args__ = (UniqueConstraint("scope", "key_hash", name="uq_idempotency_scope_key"),)

    id: int | None = Field(default=None, primary_key=True)
    scope: str = Field(max_length=120)
    key_hash: str = Field(max_length=64)
    request_hash: str = Field(max_length=64)
    state: str = Field(default="pending", max_length=16)  # pending | done
    status_code: int | None = None
    response: bytes | None = Field(default=None, sa_column=Column(LargeBinary, nullable=True))
    created_at: datetime = Field(default_factory=utcnow, index=True)


class RateLimitWindow(SQLModel, table=True):
    """A fixed-window counter: requests by one bucket (client IP or token) in one window."""

    __tablename__ = "rate_limit_window"

    bucket: str = Field(primary_key=True, max_length=120)
    window: int = Field(primary_key=True)  # start of the window, epoch seconds
    count: int = 0


class ParentToken(SQLModel, table=True):
    """A parent's secret status token, by hash only. Revoked tokens stay for the audit."""

    __tablename__ = "parent_token"

    token_hash: str = Field(primary_key=True, max_length=64)
    application_id: int = Field(index=True)
    created_at: datetime = Field(default_factory=utcnow)
    revoked_at: datetime | None = None
