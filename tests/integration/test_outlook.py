"""The apply form's outlook: the home district first, then every district within the travel
time by minutes, each with the queue a newcomer would join behind."""

from __future__ import annotations

import pytest

from waitlist.services import applications, setup
from waitlist.services.outlook import outlook
from waitlist.storage.db import create_schema, make_engine
from waitlist.storage.uow import UnitOfWork


@pytest.fixture
def engine(sqlite_url):  # noqa: ANN001, ANN201
    engine = make_engine(sqlite_url)
    create_schema(engine)
    setup.load_reference_data(UnitOfWork(engine))
    yield engine
    engine.dispose()


def _apply(engine, district: str, cross: bool = False, minutes: int = 0) -> None:  # noqa: ANN001
    applications.apply(
        UnitOfWork(engine),
        {
            "programme": "komet",
            "district": district,
            "child_birth": "2019-05",
            "languages": ["sv"],
            "cross_district": cross,
            "max_travel_minutes": minutes,
        },
    )


def test_home_comes_first_then_districts_within_reach_by_travel_time(engine):
    rows = outlook(UnitOfWork(engine), "komet", "farsta", 25)
    assert rows[0].district == "farsta" and rows[0].home and rows[0].travel_minutes == 0
    minutes = [r.travel_minutes for r in rows[1:]]
    assert minutes == sorted(minutes) and all(0 < m <= 25 for m in minutes)
    assert {r.district for r in rows[1:]} >= {"skarpnack"}


def test_a_newcomer_queues_behind_residents_and_incoming_parents(engine):
    for _ in range(3):
        _apply(engine, "skarpnack")
    _apply(engine, "farsta", cross=True, minutes=30)  # reaches Skarpnäck
    _apply(engine, "farsta")
    rows = {r.district: r for r in outlook(UnitOfWork(engine), "komet", "farsta", 30)}
    assert rows["farsta"].queue_length == 2
    assert rows["skarpnack"].queue_length == 3 + 1
    assert not rows["farsta"].estimate.known  # no groups, no history: no number, a reason
    assert rows["farsta"].estimate.reason
