"""Venues: a room at an address in a district, where groups meet (one group per weekday and
time slot at a time)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from waitlist.domain.values import Slot, Weekday
from waitlist.storage.columns import json_list, utcnow


class VenueBase(SQLModel):
    district: str = Field(foreign_key="district.slug", index=True, max_length=64)
    name: str = Field(min_length=1, max_length=120)  # the room, e.g. "Familjecentralen, sal 2"
    address: str = Field(min_length=1, max_length=200)
    accessibility: str = Field(default="", max_length=500)  # step-free access, lift, hearing loop
    directions: str = Field(default="", max_length=500)  # how to get there: stop, entrance, floor
    # What the room can host (waitlist.domain.room): most parents in a group (None: no limit),
    # the weekdays and time slots it can be booked (empty: any).
    capacity: int | None = Field(default=None, ge=1, le=1000)


class VenueCreate(VenueBase):
    weekdays: list[Weekday] = []
    slots: list[Slot] = []


class VenueUpdate(SQLModel):
    name: str | None = Field(default=None, min_length=1, max_length=120)
    address: str | None = Field(default=None, min_length=1, max_length=200)
    accessibility: str | None = Field(default=None, max_length=500)
    directions: str | None = Field(default=None, max_length=500)
    capacity: int | None = Field(default=None, ge=1, le=1000)
    weekdays: list[Weekday] | None = None
    slots: list[Slot] | None = None
    active: bool | None = None


class Venue(VenueBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    weekdays: list[str] = json_list()
    slots: list[str] = json_list()
    active: bool = True
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class VenuePublic(VenueBase):
    id: int
    weekdays: list[str] = []
    slots: list[str] = []
    active: bool


class VenuesPublic(SQLModel):
    data: list[VenuePublic]
    count: int
