"""A paused application (repeated expiry) is not served, so it does not push the parents
behind it back; it keeps its own place for when it resumes. Positions, lengths and estimates
follow how placement rounds actually serve."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.foundation import World, new_world
from waitlist.services import applications, groups, offers, outlook, queues, rounds
from waitlist.services.scenario_export import application_ref


@pytest.fixture
def world(database_url: str) -> Iterator[World]:
    built = new_world(database_url)
    yield built
    built.engine.dispose()


def _pause(world: World, app_id: int) -> None:
    """Two offers left unanswered until they expire (WAITLIST_MAX_EXPIRED_OFFERS=2)."""
    spare = world.group(capacity=1, min_size=1, weekday="mon")
    for _ in range(world.rules.max_expired_offers):
        offers.make_offer(world.uow(), app_id, spare)
        world.clock.advance(world.rules.offer_response_days + 1)
        offers.expire_offers(world.uow())
    groups.cancel_group(world.uow(), spare)  # its free seat would serve the others
    assert applications.get_application(world.uow(), app_id).paused


def _home(world: World, app_id: int) -> tuple[int, int]:
    home = queues.standing(world.uow(), app_id).home
    assert home is not None
    return home.position, home.queue_length


@pytest.fixture
def queue(world: World) -> dict[str, int]:
    """First, second and third in the Farsta Komet queue (a day apart), the first paused."""
    ids = {}
    for name in ("first", "second", "third"):
        ids[name] = world.apply().application.id
        world.clock.advance(1)
    _pause(world, ids["first"])
    return ids


def test_a_paused_parent_does_not_push_those_behind_back(world, queue):
    assert _home(world, queue["second"]) == (1, 2)
    assert _home(world, queue["third"]) == (2, 2)


def test_a_paused_parent_sees_the_place_they_keep_for_when_they_resume(world, queue):
    assert _home(world, queue["first"]) == (1, 3)
    entries = queues.queue_of(world.uow(), "farsta", "komet")
    assert [(e.application_id, e.position, e.paused) for e in entries] == [
        (queue["first"], 1, True),
        (queue["second"], 1, False),
        (queue["third"], 2, False),
    ]
    applications.resume(world.uow(), queue["first"])
    assert [_home(world, queue[n]) for n in ("first", "second", "third")] == [
        (1, 3),
        (2, 3),
        (3, 3),
    ]


def test_position_one_is_who_the_next_round_serves(world, queue):
    world.group(capacity=1, min_size=1)
    preview = rounds.preview_round(world.uow(), district="farsta")
    assert [o["application"] for o in preview.offers] == [application_ref(queue["second"])]
    assert _home(world, queue["second"])[0] == 1


def test_the_estimate_counts_only_the_parents_a_round_would_serve_first(world, queue):
    world.group(capacity=1, min_size=1)  # one seat: enough for position 1 only
    home = queues.standing(world.uow(), queue["second"]).home
    assert home is not None and home.estimate.known and home.estimate.basis == "seats"
    behind = queues.standing(world.uow(), queue["third"]).home
    assert behind is not None and not behind.estimate.known  # one seat, second in line


def test_paused_parents_count_neither_in_other_districts_nor_in_the_outlook(world, queue):
    incoming = world.apply(district="skarpnack", cross_district=True, max_travel_minutes=30)
    farsta = next(
        d
        for d in queues.standing(world.uow(), incoming.application.id).elsewhere
        if d.district == "farsta"
    )
    assert (farsta.position, farsta.queue_length) == (3, 3)  # strict: both residents first
    [home] = [d for d in outlook.outlook(world.uow(), "komet", "farsta", 0) if d.home]
    assert home.queue_length == 2
