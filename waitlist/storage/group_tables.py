"""Groups (one run of a programme) and group leaders."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint
from sqlmodel import Field, SQLModel

from waitlist.domain.values import Slot, Weekday
from waitlist.storage.columns import json_list, utcnow


class GroupBase(SQLModel):
    programme: str = Field(foreign_key="programme.slug", index=True, max_length=64)
    district: str = Field(foreign_key="district.slug", index=True, max_length=64)
    start: date
    weekday: str = Field(max_length=3)
    slot: str = Field(max_length=16)
    language: str = Field(max_length=8)
    capacity: int = Field(ge=1)
    min_size: int = Field(ge=1)
    # Where and when (waitlist.domain.schedule): the venue, the time of day ('18:00'), the
    # number of meetings (their dates skip holidays) and the leader's first name, if given.
    venue_id: int | None = Field(default=None, foreign_key="venue.id", index=True)
    time_start: str | None = Field(default=None, max_length=5)
    time_end: str | None = Field(default=None, max_length=5)
    meetings: int | None = Field(default=None, ge=1, le=60)
    leader_first_name: str | None = Field(default=None, max_length=40)


class GroupCreate(GroupBase):
    # None: the weekday of `start` (a weekday given must be that day's)
    weekday: Weekday | None = None  # type: ignore[assignment]
    slot: Slot
    capacity: int = Field(ge=1, le=1000)
    min_size: int = Field(ge=1, le=1000)
    status: str = "recruiting"  # planned or recruiting


class GroupUpdate(SQLModel):
    start: date | None = None
    weekday: Weekday | None = None
    slot: Slot | None = None
    language: str | None = None
    capacity: int | None = Field(default=None, ge=1)
    min_size: int | None = Field(default=None, ge=1)
    venue_id: int | None = None
    time_start: str | None = None
    time_end: str | None = None
    meetings: int | None = Field(default=None, ge=1, le=60)
    leader_first_name: str | None = Field(default=None, max_length=40)


class Group(GroupBase, table=True):
    """`taken` = enrolled + pending offers; only ever changed by guarded UPDATE statements."""

    __tablename__ = "programme_group"
    __table_args__ = (
        CheckConstraint("taken >= 0 AND taken <= capacity", name="seats_within_capacity"),
    )
    id: int | None = Field(default=None, primary_key=True)
    taken: int = Field(default=0)
    status: str = Field(default="recruiting", index=True, max_length=16)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class GroupPublic(GroupBase):
    id: int
    taken: int
    status: str
    free: int = 0
    leaders: list[int] = []
    enrolled: int = 0
    # What the group takes now (open, start, cancel, complete) and, when it cannot start, why
    # (waitlist.domain.group.start_refusal: not_recruiting, not_open, too_few).
    actions: list[str] = []
    start_refused: str | None = None


class GroupsPublic(SQLModel):
    data: list[GroupPublic]
    count: int


class LeaderBase(SQLModel):
    label: str = Field(max_length=64)
    district: str = Field(foreign_key="district.slug", index=True, max_length=64)
    max_groups: int = Field(default=1, ge=1)


class LeaderCreate(LeaderBase):
    programmes: list[str]
    languages: list[str]
    # ISO weeks ('2026-W14') in which they lead no meeting (waitlist.domain.leader).
    unavailable_weeks: list[str] = []


class LeaderUpdate(SQLModel):
    label: str | None = Field(default=None, min_length=1, max_length=64)
    max_groups: int | None = Field(default=None, ge=1)
    programmes: list[str] | None = None
    languages: list[str] | None = None
    unavailable_weeks: list[str] | None = None
    active: bool | None = None


class Leader(LeaderBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    programmes: list[str] = json_list()
    languages: list[str] = json_list()
    unavailable_weeks: list[str] = json_list()
    active: bool = True


class LeaderPublic(LeaderBase):
    id: int
    programmes: list[str]
    languages: list[str]
    unavailable_weeks: list[str] = []
    active: bool


class LeadersPublic(SQLModel):
    data: list[LeaderPublic]
    count: int


class GroupLeaderLink(SQLModel, table=True):
    __tablename__ = "group_leader"
    group_id: int = Field(foreign_key="programme_group.id", primary_key=True)
    leader_id: int = Field(foreign_key="leader.id", primary_key=True)
