"""Placement rounds against the database (SQLite and PostgreSQL): preview writes no offers,
commit makes them all at once, a stale preview writes nothing."""

from __future__ import annotations

import pytest
from foundation_support import World, new_world
from sqlmodel import select

from waitlist.domain.errors import IllegalTransition, StalePreview
from waitlist.services import offers, rounds
from waitlist.storage.tables import Application, Group, Offer, PlacementRound


@pytest.fixture
def world(database_url) -> World:
    w = new_world(database_url)
    yield w
    w.engine.dispose()


def _rows(world: World, table):
    with world.uow(readonly=True) as uow:
        return list(uow.session.exec(select(table)))


def _setup(world: World) -> tuple[list[int], int, int]:
    apps = [world.apply(cross_district=True, max_travel_minutes=30).application.id]
    world.clock.advance(7 * 10)
    apps += [world.apply().application.id for _ in range(2)]
    home = world.group(capacity=2, min_size=1)
    away = world.group(district="skarpnack", capacity=3, min_size=2)
    return apps, home, away


def test_a_preview_takes_no_seat_and_makes_no_offer(world):
    _setup(world)
    preview = rounds.preview_round(world.uow(actor="coordinator:farsta"))
    assert preview.status == "preview"
    assert len(preview.offers) == 2
    assert preview.objective["placed"] == 2
    assert all(g.taken == 0 for g in _rows(world, Group))
    assert _rows(world, Offer) == []


def test_committing_a_preview_makes_every_offer_and_records_who_and_when(world):
    apps, home, _ = _setup(world)
    preview = rounds.preview_round(world.uow(actor="coordinator:farsta"))
    committed = rounds.commit_round(world.uow(actor="coordinator:farsta"), preview.id)
    assert committed.status == "committed"
    assert committed.committed_by == "coordinator:farsta"
    assert committed.committed_at is not None
    made = _rows(world, Offer)
    lottery = {a.id: a.lottery for a in _rows(world, Application)}
    same_day = sorted(apps[1:], key=lambda a: (lottery[a], a))  # same queue date: lottery
    assert {o.application_id for o in made} == {apps[0], same_day[0]}
    assert all(o.round_id == preview.id and o.reason for o in made)
    assert {g.id: g.taken for g in _rows(world, Group)}[home] == 2
    with pytest.raises(IllegalTransition):
        rounds.commit_round(world.uow(), preview.id)


def test_a_seat_taken_after_the_preview_makes_the_commit_stale_and_writes_nothing(world):
    apps, home, away = _setup(world)
    preview = rounds.preview_round(world.uow())
    late = world.apply(district="skarpnack").application.id
    offers.make_offer(world.uow(), late, away)
    before = {g.id: g.taken for g in _rows(world, Group)}
    with pytest.raises(StalePreview):
        rounds.commit_round(world.uow(), preview.id)
    assert {g.id: g.taken for g in _rows(world, Group)} == before
    assert [o.application_id for o in _rows(world, Offer)] == [late]
    assert [r.status for r in _rows(world, PlacementRound)] == ["preview"]
    statuses = {a.id: a.status for a in _rows(world, Application)}
    assert all(statuses[a] == "waiting" for a in apps)


def test_a_discarded_preview_cannot_be_committed(world):
    _setup(world)
    preview = rounds.preview_round(world.uow())
    rounds.discard_round(world.uow(), preview.id)
    with pytest.raises(IllegalTransition):
        rounds.commit_round(world.uow(), preview.id)
