"""Rule 2, eligibility: child's age at group start, group language, time slot.

The one source of truth used by the queue services, the placement solver and the
group-start recommender alike.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Protocol

from waitlist.domain.values import parse_year_month


def child_age_on(child_birth: str, on: date) -> int:
    """Age in completed years on a date, from birth year-month only.

    Only the year and month are stored, so the child is taken to be born on the first day of
    that month: the age changes on the first of the birth month. A child born in the month of
    the group start counts as already having that birthday.
    """
    year, month = parse_year_month(child_birth)
    age = on.year - year
    if on.month < month:
        age -= 1
    return age


def can_start_from(child_birth: str, age_min: int) -> date:
    """The first day a child is old enough for a programme from `age_min` years: the first of
    the birth month, `age_min` years on (ages change on the first of the birth month, as in
    child_age_on). A younger child may queue; offers come for groups starting from then."""
    year, month = parse_year_month(child_birth)
    return date(year + age_min, month, 1)


def too_young_until(child_birth: str, age_min: int, today: date) -> date | None:
    """When a child too young today can start, or None when they are old enough already."""
    start = can_start_from(child_birth, age_min)
    return start if start > today else None


def age_fits(child_birth: str, start: date, age_min: int, age_max: int) -> bool:
    """The child's age at group start lies inside the programme's range (both ends included)."""
    return age_min <= child_age_on(child_birth, start) <= age_max


def ineligibility(
    *,
    child_birth: str,
    languages: Iterable[str],
    slots: Iterable[str],
    start: date,
    language: str,
    slot: str,
    age_min: int,
    age_max: int,
) -> str | None:
    """Why an application cannot take a seat in a group, or None when it can.

    The reason is a short English key: 'age', 'language' or 'slot' (explanations render it).
    """
    if not age_fits(child_birth, start, age_min, age_max):
        return "age"
    return meeting_misfit(languages=languages, slots=slots, language=language, slot=slot)


def meeting_misfit(
    *, languages: Iterable[str], slots: Iterable[str], language: str, slot: str
) -> str | None:
    """Why a parent cannot take part in a group run in `language` at `slot` ('language' or
    'slot'), or None when they can; no slots chosen means any time works."""
    if language not in set(languages):
        return "language"
    slot_set = set(slots)
    if slot_set and slot not in slot_set:
        return "slot"
    return None


class Applicant(Protocol):
    """What eligibility reads of an application (stored, the solver's, simulated)."""

    @property
    def child_birth(self) -> str | None: ...
    @property
    def languages(self) -> Sequence[str]: ...
    @property
    def slots(self) -> Sequence[str]: ...


class Meeting(Protocol):
    """When and how a group meets: its first day, language and time slot."""

    @property
    def start(self) -> date: ...
    @property
    def language(self) -> str: ...
    @property
    def slot(self) -> str: ...


class AgeRange(Protocol):
    """A programme's ages (both ends included)."""

    @property
    def child_age_min(self) -> int: ...
    @property
    def child_age_max(self) -> int: ...


def why_not(app: Applicant, group: Meeting, ages: AgeRange) -> str | None:
    """`ineligibility` of this application for this group of a programme with these ages; an
    application whose child's birth month was erased fits no group ('age')."""
    if app.child_birth is None:
        return "age"
    return ineligibility(
        child_birth=app.child_birth,
        languages=app.languages,
        slots=app.slots,
        start=group.start,
        language=group.language,
        slot=group.slot,
        age_min=ages.child_age_min,
        age_max=ages.child_age_max,
    )


def is_eligible(**kwargs: object) -> bool:
    return ineligibility(**kwargs) is None  # type: ignore[arg-type]
