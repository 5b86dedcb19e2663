"""Records written in the same transaction as the state change they describe.

- `event`: every state change (no personal data): who, when, what entity, before/after.
  Metrics rebuild history from it.
- `outbox`: notices to parents (offer made, deadline near, group cancelled). `recipient` is a
  reference ("application:12"), resolved to a contact only when sending, so erasure works.
  Delivery state (waitlist.services.outbox): `attempts` counted before each send,
  `claimed_until` while a worker sends it, `next_attempt_at` after a failure, `dead_at` once
  given up (a dead letter, shown to the district's coordinators).
- `placement_round`: one solver run, preview then commit.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import field_validator
from sqlmodel import Field, SQLModel

from waitlist.storage.columns import json_dict, json_list, utcnow


class Event(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, index=True)
    actor: str = Field(max_length=64)
    entity: str = Field(max_length=32, index=True)  # application, offer, group, round, ...
    entity_id: str = Field(max_length=64, index=True)
    action: str = Field(max_length=32)  # past tense: applied, offer_made, accepted, ...
    before: dict[str, Any] | None = json_dict(nullable=True)
    after: dict[str, Any] | None = json_dict(nullable=True)
    district: str | None = Field(default=None, max_length=64, index=True)
    programme: str | None = Field(default=None, max_length=64)


class EventPublic(SQLModel):
    id: int
    at: datetime
    actor: str
    entity: str
    entity_id: str
    action: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    district: str | None
    programme: str | None


class Outbox(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = Field(default_factory=utcnow, index=True)
    kind: str = Field(max_length=32)  # offer_made, deadline_near, group_cancelled, ...
    recipient: str = Field(max_length=64)  # "application:<id>"
    payload: dict[str, Any] = json_dict()
    sent_at: datetime | None = Field(default=None, index=True)
    attempts: int = 0
    last_error: str | None = Field(default=None, max_length=500)
    next_attempt_at: datetime | None = Field(default=None, index=True)
    claimed_until: datetime | None = None
    dead_at: datetime | None = Field(default=None, index=True)
    channel: str | None = Field(default=None, max_length=16)  # email | sms | outbox


class OutboxPublic(SQLModel):
    id: int
    created_at: datetime
    kind: str
    recipient: str
    payload: dict[str, Any]
    sent_at: datetime | None
    attempts: int


class PlacementRound(SQLModel, table=True):
    __tablename__ = "placement_round"
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, index=True)
    actor: str = Field(max_length=64)
    district: str | None = Field(default=None, max_length=64)  # None = city-wide
    as_of: date | None = None
    inputs_hash: str = Field(max_length=64)
    objective: dict[str, Any] = json_dict()
    status: str = Field(default="preview", max_length=16)  # preview | committed | discarded
    offers: list[dict[str, Any]] = json_list()
    result: dict[str, Any] | None = json_dict(nullable=True)  # unplaced, metrics, ...
    committed_at: datetime | None = None
    committed_by: str | None = Field(default=None, max_length=64)


class PlacementRoundPublic(SQLModel):
    id: int
    at: datetime
    actor: str
    district: str | None
    as_of: date | None
    inputs_hash: str
    objective: dict[str, Any]
    status: str
    offers: list[dict[str, Any]]
    result: dict[str, Any] | None
    committed_at: datetime | None
    committed_by: str | None

    @field_validator("result")
    @classmethod
    def _without_fingerprints(cls, value: dict[str, Any] | None) -> dict[str, Any] | None:
        # What the commit checks stays with the round: an application's fingerprint covers
        # its birth month (waitlist.services.rounds).
        return None if value is None else {k: v for k, v in value.items() if k != "watch"}
