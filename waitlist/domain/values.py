"""Value types shared by every layer: slots, weekdays, kinds and status names."""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum

from waitlist.domain.errors import InvalidInput


class Slot(StrEnum):
    MORNING = "morning"
    DAY = "day"
    EVENING = "evening"
    WEEKEND = "weekend"


class Weekday(StrEnum):
    MON = "mon"
    TUE = "tue"
    WED = "wed"
    THU = "thu"
    FRI = "fri"
    SAT = "sat"
    SUN = "sun"


class ProgrammeKind(StrEnum):
    PARENT_GROUP = "parent_group"
    CHILD_GROUP = "child_group"
    INDIVIDUAL = "individual"


class HomePriority(StrEnum):
    """How much priority a host district's own residents keep over incoming parents.

    strict: a host district's own waiting residents are always served before incoming parents.
    none:   queue date (then lottery) alone decides across districts.
    """

    STRICT = "strict"
    NONE = "none"


class DeclineReason(StrEnum):
    TIME = "time"
    LANGUAGE = "language"
    DISTANCE = "distance"
    OTHER = "other"


_YEAR_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def parse_year_month(value: str, *, field: str = "child_birth") -> tuple[int, int]:
    """Parse 'YYYY-MM' (the only birth data we keep) into (year, month)."""
    m = _YEAR_MONTH.match(value or "")
    if not m:
        raise InvalidInput(
            f"{field} must be a year and month like 2019-05, got {value!r}", field=field
        )
    year, month = int(m.group(1)), int(m.group(2))
    if not 1 <= month <= 12 or not 1900 <= year <= 2200:
        raise InvalidInput(f"{field} must be a real year and month, got {value!r}", field=field)
    return year, month


def weeks_between(earlier: date, later: date) -> float:
    """Whole days between two dates, in weeks (may be negative)."""
    return (later - earlier).days / 7.0
