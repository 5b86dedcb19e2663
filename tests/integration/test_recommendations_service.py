"""Group-start recommendations against the database (SQLite and PostgreSQL): a coordinator asks,
accepts one, and the group is created with its leader and its seats offered by a placement
round scoped to it; every change is in the audit trail."""

from __future__ import annotations

import pytest
from foundation_support import World, new_world
from sqlmodel import select

from waitlist.domain.errors import Forbidden, StalePreview
from waitlist.services import groups, recommendations
from waitlist.services.access import Actor
from waitlist.storage.tables import Application, Event, Group, Offer, PlacementRound


@pytest.fixture
def world(database_url) -> World:
    w = new_world(database_url)
    yield w
    w.engine.dispose()


def coordinator(district: str) -> Actor:
    return Actor(kind="staff", role="coordinator", district=district, staff_id=1)


def _rows(world: World, table):
    with world.uow(readonly=True) as uow:
        return list(uow.session.exec(select(table)))


def _leader(world: World, district: str = "farsta", max_groups: int = 1) -> int:
    return groups.create_leader(
        world.uow(),
        {
            "label": f"Leader {district}",
            "district": district,
            "programmes": ["komet"],
            "languages": ["sv"],
            "max_groups": max_groups,
        },
    ).id


def _waiting(world: World, n: int, **overrides) -> list[int]:
    return [world.apply(slots=["evening"], **overrides).application.id for _ in range(n)]


def test_a_district_with_enough_waiting_parents_and_a_leader_gets_a_recommendation(world):
    _leader(world)
    _waiting(world, 7)
    world.clock.advance(7 * 12)
    found = recommendations.recommend_for(world.uow(), district="farsta")
    [rec] = found.result.recommendations
    assert rec.serves == {"farsta": 7}
    cand = found.candidates[rec.candidate]
    assert (cand.programme, cand.district, cand.language, cand.slot) == (
        "komet",
        "farsta",
        "sv",
        "evening",
    )
    assert recommendations.recommend_for(world.uow(), district="skarpnack").result == (
        found.result.__class__(
            as_of=found.as_of,
            status=found.result.status,
            recommendations=(),
            objective=found.result.objective,
            metrics=found.result.metrics,
        )
    )


def test_too_few_parents_for_the_minimum_size_get_no_recommendation(world):
    _leader(world)
    _waiting(world, 5)
    assert recommendations.recommend_for(world.uow()).result.recommendations == ()


def test_accepting_creates_the_group_with_its_leader_and_offers_its_seats(world):
    leader = _leader(world)
    parents = _waiting(world, 7)
    world.clock.advance(7 * 12)
    [rec] = recommendations.recommend_for(world.uow()).result.recommendations
    done = recommendations.accept_recommendation(
        world.uow(actor="coordinator:farsta:1"), coordinator("farsta"), rec.candidate
    )
    assert done.group.district == "farsta" and done.group.status == "recruiting"
    assert done.group.leaders == [leader]
    assert done.group.taken == 7
    assert done.round.status == "committed" and done.round.district == "farsta"
    made = _rows(world, Offer)
    assert sorted(o.application_id for o in made) == sorted(parents)
    assert all(o.group_id == done.group.id and o.round_id == done.round.id for o in made)
    assert {a.status for a in _rows(world, Application)} == {"offered"}
    actions = [(e.entity, e.action) for e in _rows(world, Event) if e.entity != "application"]
    for expected in [
        ("group", "group_created"),
        ("group", "leader_assigned"),
        ("placement_round", "round_previewed"),
        ("placement_round", "round_committed"),
        ("group", "recommendation_accepted"),
    ]:
        assert expected in actions
    accepted = next(e for e in _rows(world, Event) if e.action == "recommendation_accepted")
    assert accepted.actor == "coordinator:farsta:1"
    assert accepted.after["offers_made"] == 7 and accepted.after["serves"] == {"farsta": 7}


def test_a_coordinator_cannot_accept_a_group_hosted_in_another_district(world):
    _leader(world)
    _waiting(world, 7)
    world.clock.advance(7 * 12)
    [rec] = recommendations.recommend_for(world.uow()).result.recommendations
    with pytest.raises(Forbidden):
        recommendations.accept_recommendation(world.uow(), coordinator("skarpnack"), rec.candidate)
    assert _rows(world, Group) == [] and _rows(world, Offer) == []


def test_a_recommendation_that_is_no_longer_made_cannot_be_accepted(world):
    _leader(world)
    _waiting(world, 7)
    world.clock.advance(7 * 12)
    [rec] = recommendations.recommend_for(world.uow()).result.recommendations
    recommendations.accept_recommendation(world.uow(), coordinator("farsta"), rec.candidate)
    with pytest.raises(StalePreview):
        recommendations.accept_recommendation(world.uow(), coordinator("farsta"), rec.candidate)
    assert len(_rows(world, Group)) == 1
    assert [r.status for r in _rows(world, PlacementRound)] == ["committed"]


def test_a_leader_busy_with_a_group_is_not_recommended_again(world):
    leader = _leader(world)
    busy = world.group(slot="day")
    groups.assign_leader(world.uow(), busy, leader)
    _waiting(world, 7)
    world.clock.advance(7 * 12)
    assert recommendations.recommend_for(world.uow()).result.recommendations == ()


def test_parents_pooled_from_a_neighbouring_district_get_offers_across_the_border(world):
    _leader(world)
    home = _waiting(world, 4)
    away = _waiting(world, 3, district="skarpnack", cross_district=True, max_travel_minutes=30)
    world.clock.advance(7 * 12)
    [rec] = recommendations.recommend_for(world.uow(), district="farsta").result.recommendations
    assert rec.serves == {"farsta": 4, "skarpnack": 3}
    done = recommendations.accept_recommendation(world.uow(), coordinator("farsta"), rec.candidate)
    offered = {o.application_id: o for o in _rows(world, Offer)}
    assert sorted(offered) == sorted(home + away)
    assert done.round.objective["cross_district"] == 3
    assert all(offered[a].group_id == done.group.id for a in away)


def test_a_parent_with_a_seat_in_a_recruiting_group_is_not_counted_again(world):
    _leader(world)
    _waiting(world, 7)
    world.clock.advance(7 * 12)
    world.group(capacity=2, min_size=1)
    # Two of the seven have a seat in the recruiting group: five left, under the minimum of 6.
    assert recommendations.recommend_for(world.uow()).result.recommendations == ()


def test_accepting_makes_no_offer_in_any_other_group(world):
    _leader(world)
    _waiting(world, 7)
    neighbours = _waiting(world, 2, district="skarpnack")
    world.clock.advance(7 * 12)
    other = world.group(district="skarpnack", capacity=4, min_size=2)
    [rec] = recommendations.recommend_for(world.uow()).result.recommendations
    done = recommendations.accept_recommendation(world.uow(), coordinator("farsta"), rec.candidate)
    assert {o.group_id for o in _rows(world, Offer)} == {done.group.id}
    assert {g.id: g.taken for g in _rows(world, Group)}[other] == 0
    waiting = {a.id for a in _rows(world, Application) if a.status == "waiting"}
    assert set(neighbours) <= waiting


def test_asking_twice_on_the_same_database_gives_the_same_answer(world):
    _leader(world)
    _leader(world, "skarpnack")
    _waiting(world, 9)
    _waiting(world, 4, district="skarpnack", cross_district=True, max_travel_minutes=30)
    world.clock.advance(7 * 12)
    first = recommendations.recommend_for(world.uow())
    assert first.result.recommendations
    assert recommendations.recommend_for(world.uow()) == first
