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


# ASCII digits only: `\d` also matches other scripts' digits (२०१९-०५), which int() accepts.
YEAR_MONTH = re.compile(r"^([0-9]{4})-([0-9]{2})$")

# A contact is an e-mail address or a phone number, nothing else: no markup, no quotes.
_EMAIL = r"[^@\s<>\"'&]{1,64}@[^@\s<>\"'&]{1,190}\.[A-Za-z]{2,}"
_PHONE = r"\+?[0-9 ()-]{6,20}"
_CONTACT = re.compile(rf"^(?:{_EMAIL}|{_PHONE})$")
CONTACT_MAX = 200


def is_contact(text: str) -> bool:
    """True if `text` is an e-mail address or a phone number (the API, the form and the
    use case all ask this one question)."""
    return len(text) <= CONTACT_MAX and _CONTACT.match(text) is not None


def check_contact(value: str | None, *, field: str = "contact") -> str | None:
    """The contact as given (None or empty: none), or InvalidInput naming the field."""
    if value and not is_contact(value):
        raise InvalidInput(
            f"{field} must be an e-mail address or a phone number, or left out.", field=field
        )
    return value


def parse_year_month(value: str, *, field: str = "child_birth") -> tuple[int, int]:
    """Parse 'YYYY-MM' (the only birth data we keep) into (year, month)."""
    m = YEAR_MONTH.match(value or "")
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
