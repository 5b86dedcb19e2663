"""Where and when a group meets: meeting dates skip the listed holidays, times are checked."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from waitlist.domain.errors import InvalidInput
from waitlist.domain.schedule import WEEKDAYS, group_times, meeting_dates
from waitlist.holidays import holidays

HOLIDAYS = holidays()


def test_the_holiday_list_covers_2026_to_2028_with_swedens_public_holidays():
    assert {date(2026, 12, 24), date(2027, 3, 26), date(2027, 5, 6), date(2028, 6, 6)} <= HOLIDAYS
    assert {d.year for d in HOLIDAYS} == {2026, 2027, 2028}
    assert date(2026, 12, 23) not in HOLIDAYS


def test_a_christmas_eve_meeting_moves_the_group_one_week_on():
    # Thursdays from 17 December 2026: 24 and 31 December are skipped.
    assert meeting_dates(date(2026, 12, 17), "thu", 3, HOLIDAYS) == [
        date(2026, 12, 17),
        date(2027, 1, 7),
        date(2027, 1, 14),
    ]


@given(
    start=st.dates(date(2026, 1, 1), date(2028, 6, 30)),
    weekday=st.sampled_from(WEEKDAYS),
    count=st.integers(1, 20),
)
def test_meetings_are_weekly_on_the_weekday_never_on_a_holiday(start, weekday, count):
    dates = meeting_dates(start, weekday, count, HOLIDAYS)
    assert len(dates) == count
    assert dates[0] >= start and (dates[0] - start).days < 7 + 7 * 3
    assert all(WEEKDAYS[d.weekday()] == weekday for d in dates)
    assert not set(dates) & HOLIDAYS
    assert all((b - a).days % 7 == 0 and b > a for a, b in zip(dates, dates[1:], strict=False))
    skipped = {d for d in HOLIDAYS if dates[0] <= d <= dates[-1]} - set(dates)
    weeks = (dates[-1] - dates[0]).days // 7 + 1
    assert weeks == count + sum(1 for d in skipped if WEEKDAYS[d.weekday()] == weekday)


def test_times_default_to_the_slot_and_an_end_before_the_start_is_refused():
    assert group_times("morning", None, None) == ("09:30", "11:30")
    assert group_times("evening", "17.30", "19:30") == ("17:30", "19:30")
    with pytest.raises(InvalidInput) as err:
        group_times("evening", "19:00", "18:00")
    assert err.value.field == "time_end"
    with pytest.raises(InvalidInput) as err:
        group_times("evening", "25:00", None)
    assert err.value.field == "time_start"
    with pytest.raises(InvalidInput):
        meeting_dates(date(2027, 1, 1), "tue", 0, HOLIDAYS)
    assert meeting_dates(date(2027, 1, 1), "tue", 1, HOLIDAYS)[0] - date(2027, 1, 1) == timedelta(
        days=4
    )
