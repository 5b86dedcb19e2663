"""The kept recommendations go stale on every kind of change to what the recommender reads,
and only then (SQLite and PostgreSQL): the page finds the kept plan by a mark read in a few
queries (no scenario built per visit), so each change below must change the mark, and must
also change the recommender's input (its fingerprint), or the test would prove nothing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest

from tests.support.foundation import World, coordinator, new_world
from waitlist.reference import load_reference
from waitlist.services import (
    applications,
    leaders,
    offers,
    recommendation_jobs,
    rounds,
    setup,
    venues,
)
from waitlist.storage.tables import RecommendationJob

FARSTA = coordinator("farsta")


@pytest.fixture
def world(database_url) -> World:
    w = new_world(database_url)
    leader = leaders.create_leader(
        w.uow(),
        FARSTA,
        {
            "label": "Leader",
            "district": "farsta",
            "programmes": ["komet"],
            "languages": ["sv"],
            "max_groups": 2,
        },
    )
    w.leader_id = leader.id  # type: ignore[attr-defined]
    w.applied = [w.apply(slots=["evening"]) for _ in range(7)]  # type: ignore[attr-defined]
    w.clock.advance(7 * 12)
    yield w
    w.engine.dispose()


def _solved(world: World) -> RecommendationJob:
    """Ask, let a worker compute the job, and return it."""
    job = recommendation_jobs.ask(world.uow).job
    assert recommendation_jobs.run_next(world.engine, "worker-1", world.rules) == job.id
    with world.uow(readonly=True) as uow:
        return uow.session.get_one(RecommendationJob, job.id)


def _travel_changed(world: World) -> None:
    data = load_reference()
    minutes = {o: dict(row) for o, row in data.travel_minutes.items()}
    minutes["farsta"]["skarholmen"] += 7
    setup.load_reference_data(world.uow(), replace(data, travel_minutes=minutes))


def _offer_made(world: World) -> None:
    group = world.group(slot="evening")
    offers.make_offer(world.uow(), world.applied[0].application.id, group)  # type: ignore[attr-defined]


CHANGES: dict[str, Callable[[World], object]] = {
    "a parent applies": lambda w: w.apply(slots=["evening"]),
    "a parent withdraws": lambda w: applications.withdraw(
        w.uow(),
        w.applied[0].application.id,  # type: ignore[attr-defined]
    ),
    "a group is planned": lambda w: w.group(slot="evening"),
    "an offer is made": _offer_made,
    "a leader is added": lambda w: leaders.create_leader(
        w.uow(),
        FARSTA,
        {
            "label": "Second",
            "district": "farsta",
            "programmes": ["komet"],
            "languages": ["sv", "en"],
            "max_groups": 1,
        },
    ),
    "a leader's languages change": lambda w: leaders.update_leader(
        w.uow(),
        FARSTA,
        w.leader_id,  # type: ignore[attr-defined]
        {"languages": ["sv", "en"]},
    ),
    "a venue is added": lambda w: venues.create_venue(
        w.uow(), FARSTA, {"district": "farsta", "name": "Sal 1", "address": "Farsta torg 3"}
    ),
    "travel minutes change": _travel_changed,
    "a day passes": lambda w: w.clock.advance(1),
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_each_kind_of_change_makes_the_kept_result_stale(world, change):
    before = _solved(world)
    CHANGES[change](world)
    asked = recommendation_jobs.ask(world.uow)
    assert asked.stale and asked.job.state == "queued"
    after = _solved(world)
    assert after.fingerprint != before.fingerprint  # the change reached the recommender's input


NO_CHANGES: dict[str, Callable[[World], object]] = {
    "nothing": lambda w: None,
    "a coordinator logs in": lambda w: _logged_in(w),
    "the same reference data is loaded again": lambda w: setup.load_reference_data(w.uow()),
    "a round is previewed": lambda w: rounds.preview_round(w.uow(), district="farsta"),
}


def _logged_in(world: World) -> None:
    with world.uow() as uow:
        uow.record("staff", 1, "logged_in")
        uow.commit()


@pytest.mark.parametrize("change", list(NO_CHANGES))
def test_what_changes_nothing_the_recommender_reads_keeps_it_fresh(world, change):
    before = _solved(world)
    NO_CHANGES[change](world)
    asked = recommendation_jobs.ask(world.uow)
    assert not asked.stale and asked.job.id == before.id and asked.job.state == "done"
