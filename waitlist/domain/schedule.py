"""Where and when a group meets: its time of day and the dates of its meetings.

A group meets once a week on its weekday, from its start date, for its number of meetings;
a meeting that would fall on a listed holiday is skipped and the group meets one week more
(the holidays come from waitlist/data/holidays_se.json through waitlist.holidays).
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, time, timedelta

from waitlist.domain.errors import InvalidInput

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

DEFAULT_TIMES: dict[str, tuple[str, str]] = {
    "morning": ("09:30", "11:30"),
    "day": ("13:00", "15:00"),
    "evening": ("18:00", "20:00"),
    "weekend": ("10:00", "12:00"),
}
"""The time of day a group in each slot meets when none is given (two hours)."""

MAX_MEETINGS = 60


def parse_clock(value: str, field: str) -> time:
    """'18:00' (or '18.00', the Swedish way) -> time; InvalidInput naming the field."""
    text = str(value).strip().replace(".", ":")
    try:
        hours, minutes = text.split(":")
        if len(hours) not in (1, 2) or len(minutes) != 2:
            raise ValueError
        return time(int(hours), int(minutes))
    except ValueError:
        raise InvalidInput(
            f"{field} must be a time like 18:00, got {value!r}", field=field
        ) from None


def clock_text(value: time) -> str:
    return f"{value.hour:02d}:{value.minute:02d}"


def group_times(slot: str, start: str | None, end: str | None) -> tuple[str, str]:
    """The group's start and end time as 'HH:MM', the slot's default for any not given;
    InvalidInput unless the end comes after the start."""
    default = DEFAULT_TIMES.get(slot, DEFAULT_TIMES["evening"])
    begins = parse_clock(start or default[0], "time_start")
    ends = parse_clock(end or default[1], "time_end")
    if ends <= begins:
        raise InvalidInput(
            f"time_end ({clock_text(ends)}) must be after time_start ({clock_text(begins)})",
            field="time_end",
        )
    return clock_text(begins), clock_text(ends)


def check_meetings(count: int) -> int:
    if not 1 <= count <= MAX_MEETINGS:
        raise InvalidInput(
            f"meetings must be between 1 and {MAX_MEETINGS}, got {count}", field="meetings"
        )
    return count


def meeting_dates(
    start: date, weekday: str, count: int, holidays: Collection[date] = ()
) -> list[date]:
    """The dates of a group's `count` meetings: weekly on `weekday` from the first such day on
    or after `start`, skipping holidays (the group then meets one week more)."""
    check_meetings(count)
    if weekday not in WEEKDAYS:
        raise InvalidInput(f"weekday must be one of {', '.join(WEEKDAYS)}", field="weekday")
    day = start + timedelta(days=(WEEKDAYS.index(weekday) - start.weekday()) % 7)
    dates: list[date] = []
    while len(dates) < count:
        if day not in holidays:
            dates.append(day)
        day += timedelta(weeks=1)
    return dates
