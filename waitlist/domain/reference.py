"""District and programme values as the domain sees them (no storage, no settings)."""

from __future__ import annotations

from dataclasses import dataclass

from waitlist.domain.errors import InvalidInput
from waitlist.domain.group import validate_group_size
from waitlist.domain.values import ProgrammeKind


@dataclass(frozen=True)
class District:
    slug: str
    name: str


@dataclass(frozen=True)
class Programme:
    slug: str
    name: str
    kind: ProgrammeKind
    child_age_min: int
    child_age_max: int
    capacity: int
    min_size: int
    languages: tuple[str, ...] = ()
    sessions: int | None = None
    weeks: int | None = None

    def __post_init__(self) -> None:
        if self.child_age_min < 0:
            raise InvalidInput("child_age_min cannot be negative", field="child_age_min")
        if self.child_age_min > self.child_age_max:
            raise InvalidInput(
                f"child_age_min ({self.child_age_min}) is above child_age_max "
                f"({self.child_age_max})",
                field="child_age_min",
            )
        validate_group_size(self.capacity, self.min_size)
