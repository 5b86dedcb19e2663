"""Applications (one parent, one programme) and the recorded lottery seed.

Personal data kept: `contact` (optional e-mail or phone, for notices) and `token_hash`
(SHA-256 of the parent's secret status token; the token itself is never stored), and the
child's birth year-month. Erasure clears all three and keeps the anonymous history.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from waitlist.domain.values import Slot
from waitlist.storage.columns import json_list, utcnow


class ApplicationBase(SQLModel):
    programme: str = Field(foreign_key="programme.slug", index=True, max_length=64)
    district: str = Field(foreign_key="district.slug", index=True, max_length=64)
    cross_district: bool = False
    max_travel_minutes: int = Field(default=0, ge=0, le=240)


class ApplicationUpdate(SQLModel):
    """What a parent may change while waiting (never the queue date)."""

    languages: list[str] | None = None
    slots: list[Slot] | None = None
    cross_district: bool | None = None
    max_travel_minutes: int | None = Field(default=None, ge=0, le=240)
    contact: str | None = Field(default=None, max_length=200)


class Application(ApplicationBase, table=True):
    # A queue (district x programme, waiting) in queue order: positions are counted on it.
    __table_args__ = (
        Index("ix_application_queue", "district", "programme", "status", "queue_date", "lottery"),
        # An application imported from a district's own list: its id there, once per district.
        UniqueConstraint("district", "external_id", name="uq_application_external_id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    child_birth: str | None = Field(default=None, max_length=7)
    languages: list[str] = json_list()
    slots: list[str] = json_list()
    queue_date: date = Field(index=True)
    lottery: int = 0
    lottery_seed_id: int | None = Field(default=None, foreign_key="lottery_seed.id")
    status: str = Field(default="waiting", index=True, max_length=16)
    group_id: int | None = Field(default=None, foreign_key="programme_group.id", index=True)
    paused: bool = False
    expired_in_a_row: int = 0
    contact: str | None = Field(default=None, max_length=200)
    notice_language: str = Field(default="sv", max_length=8)
    # Set when a notice could not be delivered to `contact` for good (a bounce, a rejected
    # number); shown on the status page, cleared when the contact changes.
    contact_unreachable_at: datetime | None = None
    token_hash: str | None = Field(default=None, max_length=64, unique=True)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    erased_at: datetime | None = None
    external_id: str | None = Field(default=None, max_length=64)


class ApplicationPublic(ApplicationBase):
    """What the API shows: no contact, no token hash."""

    id: int
    child_birth: str | None
    languages: list[str]
    slots: list[str]
    queue_date: date
    lottery: int
    status: str
    group_id: int | None
    paused: bool
    erased: bool = False


class ApplicationsPublic(SQLModel):
    data: list[ApplicationPublic]
    count: int


class LotterySeed(SQLModel, table=True):
    """The seed lottery numbers are drawn from; recorded so every draw can be re-checked."""

    __tablename__ = "lottery_seed"
    id: int | None = Field(default=None, primary_key=True)
    seed: str = Field(max_length=64)
    created_at: datetime = Field(default_factory=utcnow)
