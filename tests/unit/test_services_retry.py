"""A use case that lost a deadlock is run again; nothing else is retried."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import OperationalError

from waitlist.services import retry


class FakeUow:
    def __init__(self, in_transaction: bool = False) -> None:
        self.in_transaction = in_transaction


class Orig(Exception):
    def __init__(self, sqlstate: str) -> None:
        super().__init__("deadlock detected")
        self.sqlstate = sqlstate


def _flaky(failures: int, sqlstate: str = "40P01"):
    calls = []

    @retry.retrying
    def use_case(uow):
        calls.append(1)
        if len(calls) <= failures:
            raise OperationalError("UPDATE ...", {}, Orig(sqlstate))
        return "done"

    return use_case, calls


def test_a_deadlocked_use_case_is_run_again_until_it_succeeds():
    use_case, calls = _flaky(2)
    assert use_case(FakeUow()) == "done"
    assert len(calls) == 3


def test_it_gives_up_after_the_last_attempt():
    use_case, calls = _flaky(99)
    with pytest.raises(OperationalError):
        use_case(FakeUow())
    assert len(calls) == retry.ATTEMPTS


def test_other_database_errors_are_not_retried():
    use_case, calls = _flaky(1, sqlstate="23505")
    with pytest.raises(OperationalError):
        use_case(FakeUow())
    assert len(calls) == 1


def test_inside_an_open_unit_of_work_nothing_is_retried():
    use_case, calls = _flaky(1)
    with pytest.raises(OperationalError):
        use_case(FakeUow(in_transaction=True))
    assert len(calls) == 1
