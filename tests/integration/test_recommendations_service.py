"""Group-start recommendations against the database (SQLite and PostgreSQL): a coordinator asks,
the plan is computed in the background and kept, accepting one creates the group with its
leader at once, and the next placement round offers its seats; every change is in the audit
trail."""

from __future__ import annotations

import pytest

from tests.support.foundation import World, coordinator, new_world
from waitlist.domain.errors import Forbidden, StalePreview
from waitlist.services import applications, groups, recommendation_jobs, recommendations, rounds
from waitlist.storage.tables import Application, Event, Group, Offer


@pytest.fixture
def world(database_url) -> World:
    w = new_world(database_url)
    yield w
    w.engine.dispose()


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


def _computed(world: World, district: str | None = None):
    """Ask for the recommendations, let a worker compute them, and return what is kept."""
    recommendation_jobs.ask(world.uow, district=district)
    assert recommendation_jobs.run_next(world.engine, "worker-1", world.rules) is not None
    asked = recommendation_jobs.ask(world.uow, district=district)
    assert asked.job.state == "done" and not asked.stale
    return asked.recommendations


def _next_round(world: World, district: str = "farsta"):
    preview = rounds.preview_round(world.uow(), district=district)
    return rounds.commit_round(world.uow(), preview.id)


def _seven_waiting_twelve_weeks(world: World) -> None:
    """A free leader and seven Farsta parents waiting twelve weeks: a new group is worth it."""
    _leader(world)
    _waiting(world, 7)
    world.clock.advance(7 * 12)


def test_a_district_with_enough_waiting_parents_and_a_leader_gets_a_recommendation(world):
    _seven_waiting_twelve_weeks(world)
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


def test_accepting_creates_the_group_with_its_leader_and_the_next_round_offers_its_seats(world):
    leader = _leader(world)
    parents = _waiting(world, 7)
    world.clock.advance(7 * 12)
    [rec] = _computed(world).result.recommendations
    done = recommendations.accept_recommendation(
        world.uow(actor="coordinator:farsta:1"), coordinator("farsta"), rec.candidate
    )
    assert done.group.district == "farsta" and done.group.status == "recruiting"
    assert done.group.leaders == [leader]
    assert done.group.taken == 0 and world.rows(Offer) == []  # nothing solved on accepting
    actions = [(e.entity, e.action) for e in world.rows(Event) if e.entity != "application"]
    for expected in [
        ("group", "group_created"),
        ("group", "leader_assigned"),
        ("group", "recommendation_accepted"),
    ]:
        assert expected in actions
    accepted = next(e for e in world.rows(Event) if e.action == "recommendation_accepted")
    assert accepted.actor == "coordinator:farsta:1"
    assert accepted.after["serves"] == {"farsta": 7}

    committed = _next_round(world)
    made = world.rows(Offer)
    assert sorted(o.application_id for o in made) == sorted(parents)
    assert all(o.group_id == done.group.id and o.round_id == committed.id for o in made)
    assert {a.status for a in world.rows(Application)} == {"offered"}


def test_a_coordinator_cannot_accept_a_group_hosted_in_another_district(world):
    _seven_waiting_twelve_weeks(world)
    [rec] = _computed(world).result.recommendations
    with pytest.raises(Forbidden):
        recommendations.accept_recommendation(world.uow(), coordinator("skarpnack"), rec.candidate)
    assert world.rows(Group) == [] and world.rows(Offer) == []


def test_a_recommendation_that_is_no_longer_made_cannot_be_accepted(world):
    _seven_waiting_twelve_weeks(world)
    [rec] = _computed(world).result.recommendations
    recommendations.accept_recommendation(world.uow(), coordinator("farsta"), rec.candidate)
    with pytest.raises(StalePreview):  # nothing kept for the queues and groups now
        recommendations.accept_recommendation(world.uow(), coordinator("farsta"), rec.candidate)
    assert _computed(world).result.recommendations == ()
    with pytest.raises(StalePreview):  # kept, and not among them
        recommendations.accept_recommendation(world.uow(), coordinator("farsta"), rec.candidate)
    assert len(world.rows(Group)) == 1


def test_accepting_answers_from_the_kept_result_without_reading_the_city(world, monkeypatch):
    _seven_waiting_twelve_weeks(world)
    [rec] = _computed(world).result.recommendations

    def city_read(*args, **kwargs):
        raise AssertionError("the city was read to accept a kept recommendation")

    monkeypatch.setattr(recommendations, "scenario_for", city_read)
    done = recommendations.accept_recommendation(world.uow(), coordinator("farsta"), rec.candidate)
    assert done.group.status == "recruiting"


def test_a_kept_result_for_the_same_input_reached_otherwise_can_be_accepted(world):
    _seven_waiting_twelve_weeks(world)
    [rec] = _computed(world).result.recommendations
    applied = world.apply(slots=["evening"])  # a parent applies and withdraws: the same input
    applications.withdraw(world.uow(), applied.application.id)
    done = recommendations.accept_recommendation(world.uow(), coordinator("farsta"), rec.candidate)
    assert done.group.status == "recruiting"


def test_nothing_can_be_accepted_before_the_recommendations_are_computed(world):
    _seven_waiting_twelve_weeks(world)
    [rec] = recommendations.recommend_for(world.uow()).result.recommendations
    recommendation_jobs.ask(world.uow)
    with pytest.raises(StalePreview):
        recommendations.accept_recommendation(world.uow(), coordinator("farsta"), rec.candidate)
    assert world.rows(Group) == []


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
    [rec] = _computed(world, "farsta").result.recommendations
    assert rec.serves == {"farsta": 4, "skarpnack": 3}
    done = recommendations.accept_recommendation(world.uow(), coordinator("farsta"), rec.candidate)
    committed = _next_round(world, district=None)
    offered = {o.application_id: o for o in world.rows(Offer)}
    assert sorted(offered) == sorted(home + away)
    assert committed.objective["cross_district"] == 3
    assert all(offered[a].group_id == done.group.id for a in away)


def test_a_parent_with_a_seat_in_a_recruiting_group_is_not_counted_again(world):
    _seven_waiting_twelve_weeks(world)
    world.group(capacity=2, min_size=1)
    # Two of the seven have a seat in the recruiting group: five left, under the minimum of 6.
    assert recommendations.recommend_for(world.uow()).result.recommendations == ()


def test_accepting_makes_no_offer(world):
    _seven_waiting_twelve_weeks(world)
    [rec] = _computed(world).result.recommendations
    recommendations.accept_recommendation(world.uow(), coordinator("farsta"), rec.candidate)
    assert world.rows(Offer) == []
    assert {a.status for a in world.rows(Application)} == {"waiting"}


def test_asking_twice_on_the_same_database_gives_the_same_answer(world):
    _leader(world)
    _leader(world, "skarpnack")
    _waiting(world, 9)
    _waiting(world, 4, district="skarpnack", cross_district=True, max_travel_minutes=30)
    world.clock.advance(7 * 12)
    first = recommendations.recommend_for(world.uow())
    assert first.result.recommendations
    assert recommendations.recommend_for(world.uow()) == first
