"""Group leader: district, programmes certified for, languages, groups at once, weeks away."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from waitlist.domain.errors import Conflict, InvalidInput


@dataclass(frozen=True)
class GroupLeader:
    id: int | None
    label: str
    district: str
    programmes: tuple[str, ...]
    languages: tuple[str, ...]
    max_groups: int = 1

    def __post_init__(self) -> None:
        validate_leader(self.max_groups, self.programmes, self.languages)

    def can_lead(self, programme: str, language: str) -> bool:
        return programme in self.programmes and language in self.languages


def validate_leader(
    max_groups: int, programmes: tuple[str, ...], languages: tuple[str, ...]
) -> None:
    if max_groups < 1:
        raise InvalidInput(f"max_groups must be at least 1, got {max_groups}", field="max_groups")
    if not programmes:
        raise InvalidInput("a leader needs at least one programme", field="programmes")
    if not languages:
        raise InvalidInput("a leader needs at least one language", field="languages")


def check_leader_free(current_groups: int, max_groups: int) -> None:
    """A leader leads at most `max_groups` open or running groups at once."""
    if current_groups >= max_groups:
        raise Conflict(
            f"This leader already leads {current_groups} groups (at most {max_groups}).",
            field="leader",
        )


# ISO weeks as people write them: 2026-W14 (a date stands for its week).
_WEEK = re.compile(r"^([0-9]{4})-?[Ww]([0-9]{1,2})$")


def iso_week(day: date) -> str:
    """The ISO week a day falls in, as '2026-W14'."""
    year, week, _ = day.isocalendar()
    return f"{year:04d}-W{week:02d}"


def parse_week(text: str, field: str = "unavailable_weeks") -> str:
    """'2026-W14', '2026w14' or a date '2026-04-01' -> '2026-W14'; InvalidInput otherwise."""
    value = text.strip()
    found = _WEEK.match(value)
    if found:
        year, week = int(found.group(1)), int(found.group(2))
        try:
            date.fromisocalendar(year, week, 1)
        except ValueError:
            raise InvalidInput(f"{value!r} is not a week of {year}.", field=field) from None
        return f"{year:04d}-W{week:02d}"
    try:
        return iso_week(date.fromisoformat(value))
    except ValueError:
        raise InvalidInput(
            f"{value!r} is not a week: write it as 2026-W14 (or a date in that week).",
            field=field,
        ) from None


def parse_weeks(values: Iterable[str], field: str = "unavailable_weeks") -> list[str]:
    """Weeks in canonical form, sorted, each once."""
    return sorted({parse_week(v, field) for v in values if v.strip()})


def free_for(unavailable: Iterable[str], meeting_days: Iterable[date]) -> bool:
    """A leader can lead a group only if none of its meetings falls in a week they are away."""
    away = set(unavailable)
    return not away or not any(iso_week(day) in away for day in meeting_days)
