"""The log-in backoff rule: growing pauses that hold however attempts are timed."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from waitlist.domain.login_throttle import Backoff, Bucket, charged, wait_seconds

DEFAULT = Backoff()


def checks_let_through(backoff: Backoff, attempts: list[float]) -> list[float]:
    """The moments among `attempts` (sorted) at which a password would be checked."""
    bucket, checked = Bucket(), []
    for moment in sorted(attempts):
        if wait_seconds(bucket, backoff, moment) == 0:
            bucket = charged(bucket, backoff, moment)
            checked.append(moment)
    return checked


@given(st.lists(st.floats(min_value=0, max_value=3600, allow_nan=False), max_size=400))
def test_no_minute_has_more_than_seven_checks_of_wrong_passwords(attempts: list[float]) -> None:
    checked = checks_let_through(DEFAULT, attempts)
    for start in checked:
        assert len([m for m in checked if start <= m < start + 60]) <= 7


def test_a_guesser_sending_all_the_time_gets_seven_checks_in_the_first_minute() -> None:
    every_tenth_second = [i / 10 for i in range(600)]
    assert len(checks_let_through(DEFAULT, every_tenth_second)) == 7


def test_pauses_double_up_to_the_cap() -> None:
    backoff = Backoff(free=3, base_seconds=2, max_seconds=60)
    pauses = [backoff.pause_after(failures) for failures in range(1, 11)]
    assert pauses == [0, 0, 2, 4, 8, 16, 32, 60, 60, 60]


def test_a_quiet_hour_forgets_the_failures() -> None:
    bucket = Bucket()
    for moment in (0.0, 0.0, 0.0, 2.0, 6.0):
        bucket = charged(bucket, DEFAULT, moment)
    assert wait_seconds(bucket, DEFAULT, 7.0) > 0
    later = 6.0 + DEFAULT.forget_seconds
    assert charged(bucket, DEFAULT, later) == Bucket(1, later, later)
