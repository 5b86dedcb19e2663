"""Staff accounts: coordinators (one district) and management (city-wide, no individuals)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlmodel import Field, SQLModel

from waitlist.storage.columns import utcnow


class StaffRole(StrEnum):
    COORDINATOR = "coordinator"
    MANAGEMENT = "management"


class StaffBase(SQLModel):
    username: str = Field(unique=True, index=True, min_length=2, max_length=64)
    district: str | None = Field(default=None, foreign_key="district.slug", max_length=64)


class StaffCreate(StaffBase):
    role: StaffRole
    password: str = Field(min_length=8, max_length=128)


class StaffUpdate(SQLModel):
    password: str | None = Field(default=None, min_length=8, max_length=128)
    district: str | None = None
    active: bool | None = None


class Staff(StaffBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    role: str = Field(max_length=16)
    password_hash: str = Field(max_length=255)
    active: bool = True
    created_at: datetime = Field(default_factory=utcnow)
    # In every staff token; bumped on logout, deactivation and password change, which
    # revokes every token issued before.
    token_version: int = Field(default=0, sa_column_kwargs={"server_default": "0"})


class StaffPublic(StaffBase):
    id: int
    role: str
    active: bool
    token_version: int = 0
