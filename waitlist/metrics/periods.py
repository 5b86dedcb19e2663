"""Reporting periods: calendar years, quarters and months (nested), and ISO weeks.

Labels: "2026" (year), "2026-Q1" (quarter), "2026-03" (month), "2026-W05" (ISO week).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from waitlist.domain.errors import InvalidInput

_YEAR = re.compile(r"^([0-9]{4})$")  # ASCII digits only (\d takes any script)
_QUARTER = re.compile(r"^([0-9]{4})-Q([1-4])$")
_MONTH = re.compile(r"^([0-9]{4})-([0-9]{2})$")
_WEEK = re.compile(r"^([0-9]{4})-W([0-9]{2})$")


@dataclass(frozen=True, order=True)
class Period:
    start: date
    end: date  # inclusive
    kind: str  # year | quarter | month | week
    label: str

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end


def year(y: int) -> Period:
    return Period(date(y, 1, 1), date(y, 12, 31), "year", f"{y:04d}")


def quarter(y: int, q: int) -> Period:
    first = 3 * (q - 1) + 1
    end = month(y, first + 2).end
    return Period(date(y, first, 1), end, "quarter", f"{y:04d}-Q{q}")


def month(y: int, m: int) -> Period:
    start = date(y, m, 1)
    nxt = date(y + 1, 1, 1) if m == 12 else date(y, m + 1, 1)
    return Period(start, nxt - timedelta(days=1), "month", f"{y:04d}-{m:02d}")


def iso_week(y: int, w: int) -> Period:
    start = date.fromisocalendar(y, w, 1)
    return Period(start, start + timedelta(days=6), "week", f"{y:04d}-W{w:02d}")


def week_of(day: date) -> Period:
    iso = day.isocalendar()
    return iso_week(iso.year, iso.week)


def parse_period(label: str, *, field: str = "period") -> Period:
    """Parse a period label; InvalidInput naming `field` if it is not one."""
    text = (label or "").strip()
    try:
        if m := _YEAR.match(text):
            return year(int(m.group(1)))
        if m := _QUARTER.match(text):
            return quarter(int(m.group(1)), int(m.group(2)))
        if (m := _MONTH.match(text)) and 1 <= int(m.group(2)) <= 12:
            return month(int(m.group(1)), int(m.group(2)))
        if m := _WEEK.match(text):
            return iso_week(int(m.group(1)), int(m.group(2)))
    except ValueError:
        pass
    raise InvalidInput(
        f"{field} must look like 2026, 2026-Q1, 2026-03 or 2026-W05, got {label!r}", field=field
    )


def last_closed(kind: str, today: date) -> Period:
    """The most recent period of `kind` (quarter or month) that ended before `today`."""
    probe = today - timedelta(days=1)
    while True:
        p = parse_period(_label(kind, probe))
        if p.end < today:
            return p
        probe = p.start - timedelta(days=1)


def _label(kind: str, day: date) -> str:
    if kind == "year":
        return f"{day.year:04d}"
    if kind == "quarter":
        return f"{day.year:04d}-Q{(day.month - 1) // 3 + 1}"
    if kind == "week":
        iso = day.isocalendar()
        return f"{iso.year:04d}-W{iso.week:02d}"
    return f"{day.year:04d}-{day.month:02d}"
