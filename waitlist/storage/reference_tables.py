"""Reference data: districts, travel minutes between them, the programme catalogue."""

from __future__ import annotations

from sqlmodel import Field, SQLModel

from waitlist.storage.columns import json_list


class DistrictBase(SQLModel):
    slug: str = Field(primary_key=True, max_length=64)
    name: str = Field(max_length=128)


class District(DistrictBase, table=True):
    lat: float | None = None
    lon: float | None = None
    population: int | None = None
    children_0_17: int | None = None
    # Whom a parent calls or writes to about the district's groups.
    contact_phone: str | None = Field(default=None, max_length=40)
    contact_email: str | None = Field(default=None, max_length=120)


class DistrictPublic(DistrictBase):
    pass


class Travel(SQLModel, table=True):
    """Minutes from one district to another (absent pair = unreachable)."""

    origin: str = Field(foreign_key="district.slug", primary_key=True, max_length=64)
    destination: str = Field(foreign_key="district.slug", primary_key=True, max_length=64)
    minutes: int = Field(ge=0)


class ProgrammeBase(SQLModel):
    slug: str = Field(primary_key=True, max_length=64)
    name: str = Field(max_length=200)
    kind: str = Field(max_length=32)
    child_age_min: int
    child_age_max: int
    capacity: int
    min_size: int
    sessions: int | None = None
    weeks: int | None = None


class Programme(ProgrammeBase, table=True):
    languages: list[str] = json_list()


class ProgrammePublic(ProgrammeBase):
    languages: list[str]
