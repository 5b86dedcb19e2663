"""The apply form's outlook is kept between visits and worked out afresh after any change to
what it is worked out from, on SQLite and PostgreSQL, even when the change comes at the very
moment of the last one (a frozen clock: no newer timestamp to notice it by)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine

from waitlist.services import applications, outlook, setup
from waitlist.storage.db import create_schema, make_engine
from waitlist.storage.uow import UnitOfWork

MOMENT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    create_schema(engine)
    setup.load_reference_data(UnitOfWork(engine))
    yield engine
    engine.dispose()


def uow(engine: Engine) -> UnitOfWork:
    return UnitOfWork(engine, clock=lambda: MOMENT)


def apply(engine: Engine, district: str, *, cross: bool = False, minutes: int = 0) -> int:
    answer = applications.apply(
        uow(engine),
        {
            "programme": "komet",
            "district": district,
            "child_birth": "2021-05",
            "languages": ["sv"],
            "cross_district": cross,
            "max_travel_minutes": minutes,
        },
    )
    return answer.application.id  # type: ignore[no-any-return]


def lengths(engine: Engine) -> dict[str, int]:
    rows = outlook.outlook(uow(engine), "komet", "farsta", 30)
    return {row.district: row.queue_length for row in rows}


def test_a_second_visit_is_a_lookup_and_a_change_is_seen_at_once(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    worked: list[str] = []
    real = outlook._work_out

    def counting(*args: object) -> list[outlook.DistrictOutlook]:
        worked.append("once")
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(outlook, "_work_out", counting)
    first = lengths(engine)
    assert lengths(engine) == first and len(worked) == 1  # kept
    apply(engine, "farsta")
    assert lengths(engine)["farsta"] == first["farsta"] + 1 and len(worked) == 2
    apply(engine, "skarpnack")
    assert lengths(engine)["skarpnack"] == first["skarpnack"] + 1 and len(worked) == 3


def test_a_parent_leaving_as_another_joins_at_the_same_moment_is_seen(engine: Engine) -> None:
    leaving = apply(engine, "farsta")
    apply(engine, "skarpnack", cross=True, minutes=30)  # incoming to farsta's neighbours
    before = lengths(engine)
    applications.withdraw(uow(engine), leaving)
    apply(engine, "farsta")  # same count, same moment: another parent in the queue
    after = lengths(engine)
    assert after["farsta"] == before["farsta"]  # one left, one came
    applications.withdraw(uow(engine), leaving + 2)
    assert lengths(engine)["farsta"] == before["farsta"] - 1
