"""Offers: an application x a group seat, with a respond-by date.

At most one pending offer per application, kept by a partial unique index as well as by the
services.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Index, text
from sqlmodel import Field, SQLModel

from waitlist.storage.columns import json_dict, utcnow


class OfferBase(SQLModel):
    application_id: int = Field(foreign_key="application.id", index=True)
    group_id: int = Field(foreign_key="programme_group.id", index=True)


class OfferCreate(OfferBase):
    respond_by: date | None = None
    reason: str = ""


class OfferUpdate(SQLModel):
    """A parent's answer."""

    accept: bool
    decline_reason: str | None = None


class Offer(OfferBase, table=True):
    __table_args__ = (
        Index(
            "one_pending_offer_per_application",
            "application_id",
            unique=True,
            sqlite_where=text("status = 'pending'"),
            postgresql_where=text("status = 'pending'"),
        ),
    )
    id: int | None = Field(default=None, primary_key=True)
    status: str = Field(default="pending", index=True, max_length=16)
    made_at: datetime = Field(default_factory=utcnow)
    respond_by: date
    answered_at: datetime | None = None
    decline_reason: str | None = Field(default=None, max_length=16)
    cross_district: bool = False
    travel_minutes: int = 0
    reason: str = ""
    # The facts the reason is rendered from in the reader's language (ReasonFacts.to_dict).
    reason_facts: dict[str, Any] | None = json_dict(nullable=True)
    round_id: int | None = Field(default=None, foreign_key="placement_round.id", index=True)
    actor: str = Field(default="system", max_length=64)
    reminded_at: datetime | None = None  # when the 'deadline near' notice went out


class OfferPublic(OfferBase):
    id: int
    status: str
    made_at: datetime
    respond_by: date
    answered_at: datetime | None
    decline_reason: str | None
    cross_district: bool
    travel_minutes: int
    reason: str
    reason_facts: dict[str, Any] | None = None
    round_id: int | None


class OffersPublic(SQLModel):
    data: list[OfferPublic]
    count: int
