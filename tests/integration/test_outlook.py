"""The apply form's outlook: the home district first, then every district within the travel
time by minutes, each with the queue a newcomer would join behind."""

from __future__ import annotations

from datetime import timedelta

import pytest

from waitlist.services import applications, groups, setup
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


def _group(engine, language: str, slot: str) -> None:  # noqa: ANN001
    today = UnitOfWork(engine).today()
    groups.create_group(
        UnitOfWork(engine),
        {
            "programme": "komet",
            "district": "farsta",
            "start": today + timedelta(weeks=6),
            "slot": slot,
            "language": language,
            "capacity": 8,
            "min_size": 4,
        },
    )


@pytest.mark.parametrize(
    ("languages", "slots", "known"),
    [
        (["sv"], ["evening"], True),
        (["sv"], [], True),  # any time works
        (["sv"], ["morning"], False),  # the only group meets in the evening
        (["so"], ["evening"], False),  # ... and in Swedish
        (None, [], True),  # nothing ticked yet: every free seat counts
    ],
)
def test_the_wait_counts_only_the_seats_of_groups_the_parent_can_join(
    engine, languages, slots, known
):
    """A parent who can only come in the mornings waits for a morning group: the evening
    group's free seats do not shorten the wait the form shows them."""
    _group(engine, "sv", "evening")
    home = outlook(UnitOfWork(engine), "komet", "farsta", 0, languages, slots)[0]
    assert home.estimate.known is known
    if known:
        assert (home.estimate.low_weeks, home.estimate.high_weeks) == (6, 6)
