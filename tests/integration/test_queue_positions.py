"""A parent's position, counted by the database, is their place in queue order (rule 1)."""

from __future__ import annotations

import pytest
from sqlmodel import col, update

from tests.support.foundation import World, new_world
from waitlist.domain.application import ApplicationStatus
from waitlist.domain.policy import Rules
from waitlist.domain.queue import in_queue_order
from waitlist.services import queues
from waitlist.storage.tables import Application


@pytest.fixture
def world(database_url) -> World:
    w = new_world(database_url, Rules())
    yield w
    w.engine.dispose()


def _set_lottery(world: World, ids: list[int], lottery: int) -> None:
    with world.uow() as uow:
        uow.session.exec(
            update(Application).where(col(Application.id).in_(ids)).values(lottery=lottery)
        )
        uow.commit()


def test_every_position_and_queue_length_match_the_queue_order_even_on_lottery_ties(world):
    ids: list[int] = []
    for _day in range(3):
        ids += [world.apply().application.id for _ in range(5)]
        world.apply(district="skarpnack")  # another queue: never counted here
        world.clock.advance(1)
    _set_lottery(world, ids[5:12], 7)  # one day's tie spans ids 9 and 10 ("10" < "9" as text)
    _set_lottery(world, ids[:2], ids[0])
    withdrawn = world.apply().application.id
    with world.uow() as uow:
        row = uow.session.get(Application, withdrawn)
        row.status = ApplicationStatus.WITHDRAWN
        uow.session.add(row)
        uow.commit()

    with world.uow(readonly=True) as uow:
        rows = [uow.session.get(Application, i) for i in ids]
    expected = {a.id: place for place, a in enumerate(in_queue_order(rows), start=1)}
    assert len(expected) == 15
    for app_id, place in expected.items():
        home = queues.standing(world.uow(readonly=True), app_id).home
        assert (home.position, home.queue_length) == (place, 15), app_id
    assert queues.standing(world.uow(readonly=True), withdrawn).home is None


def test_the_home_estimate_counts_the_free_seats_of_groups_the_parent_fits_only(world):
    parent = world.apply(languages=["sv"])
    world.group(language="ar", capacity=8, min_size=3)  # a group this parent does not fit
    assert queues.standing(world.uow(readonly=True), parent.application.id).home.estimate.reason
    world.group(capacity=6, min_size=3)  # starts in four weeks, in Swedish
    home = queues.standing(world.uow(readonly=True), parent.application.id).home
    assert (home.position, home.queue_length) == (1, 1)
    assert home.estimate.basis == "seats"
    assert (home.estimate.low_weeks, home.estimate.high_weeks) == (4, 4)
