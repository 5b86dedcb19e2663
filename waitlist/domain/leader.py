"""Group leader: district, programmes certified for, languages, groups at once."""

from __future__ import annotations

from dataclasses import dataclass

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
