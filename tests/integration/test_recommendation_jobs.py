"""Recommendations computed in the background (SQLite and PostgreSQL): asking queues one job
per state of the database and answers at once; one worker computes it whatever the number of
workers, writing its progress; the result is kept, later asks get it at once, and a change
makes it stale until the new one is ready."""

from __future__ import annotations

import threading

import pytest
from sqlmodel import select

from tests.support.foundation import World, new_world
from tests.support.jobs import abandon
from waitlist.services import applications, groups, recommendation_jobs, recommendations
from waitlist.storage.tables import RecommendationJob, RecommendationProgress


@pytest.fixture
def world(database_url) -> World:
    w = new_world(database_url)
    groups.create_leader(
        w.uow(),
        {
            "label": "Leader",
            "district": "farsta",
            "programmes": ["komet"],
            "languages": ["sv"],
            "max_groups": 2,
        },
    )
    for _ in range(7):
        w.apply(slots=["evening"])
    w.clock.advance(7 * 12)
    yield w
    w.engine.dispose()


def _jobs(world: World) -> list[RecommendationJob]:
    with world.uow(readonly=True) as uow:
        return list(uow.session.exec(select(RecommendationJob).order_by(RecommendationJob.id)))


def _run(world: World, worker: str = "worker-1") -> int | None:
    return recommendation_jobs.run_next(world.engine, worker, world.rules)


def test_asking_queues_one_job_and_solves_nothing(world):
    first = recommendation_jobs.ask(world.uow, district="farsta")
    again = recommendation_jobs.ask(world.uow, district="farsta")
    assert first.job.state == "queued" and first.recommendations is None
    assert again.job.id == first.job.id
    assert [j.state for j in _jobs(world)] == ["queued"]


def test_the_worker_keeps_the_same_plan_as_solving_on_the_spot(world):
    job = recommendation_jobs.ask(world.uow, district="farsta").job
    assert _run(world) == job.id
    assert _run(world) is None  # nothing left to do
    asked = recommendation_jobs.ask(world.uow, district="farsta")
    assert asked.job.state == "done" and not asked.stale
    direct = recommendations.recommend_for(world.uow(), district="farsta")
    assert asked.recommendations is not None
    assert asked.recommendations.starts == direct.starts
    assert asked.recommendations.result.objective == direct.result.objective
    assert [r.serves for r in asked.recommendations.result.recommendations] == [{"farsta": 7}]


def test_the_search_writes_its_progress_as_it_goes(world):
    job = recommendation_jobs.ask(world.uow).job
    _run(world)
    state = recommendation_jobs.progress(world.uow(readonly=True), job.id)
    assert state is not None and state.finished and state.progress is not None
    assert 0 < state.progress.objective <= state.progress.bound


def test_a_change_makes_the_kept_result_stale_until_the_new_one_is_computed(world):
    recommendation_jobs.ask(world.uow)
    _run(world)
    world.apply(slots=["evening"])
    stale = recommendation_jobs.ask(world.uow, district="farsta")
    assert stale.stale and stale.job.state == "queued"
    assert stale.recommendations is not None and stale.recommendations.starts
    _run(world)
    fresh = recommendation_jobs.ask(world.uow, district="farsta")
    assert not fresh.stale and fresh.job.id == stale.job.id
    [rec] = fresh.recommendations.result.recommendations
    assert rec.serves == {"farsta": 8}


def test_equal_inputs_reached_again_share_the_kept_result(world):
    recommendation_jobs.ask(world.uow)
    _run(world)
    # A parent applies and withdraws: a new job, the same inputs as before.
    applied = world.apply(slots=["evening"])
    applications.withdraw(world.uow(), applied.application.id)
    asked = recommendation_jobs.ask(world.uow)
    assert asked.stale
    _run(world)
    first, second = _jobs(world)
    assert second.fingerprint == first.fingerprint and second.result == first.result
    with world.uow(readonly=True) as uow:  # solved once: progress rows of the first job only
        solved = uow.session.exec(select(RecommendationProgress.job_id)).all()
    assert set(solved) == {first.id}


@pytest.mark.slow  # threads racing
def test_of_two_workers_only_one_takes_a_job(world, monkeypatch):
    job = recommendation_jobs.ask(world.uow).job
    solving, go_on = threading.Event(), threading.Event()
    real = recommendation_jobs.recommend

    def held(*args, **kwargs):
        solving.set()
        go_on.wait()
        return real(*args, **kwargs)

    monkeypatch.setattr(recommendation_jobs, "recommend", held)
    first = threading.Thread(target=_run, args=(world, "worker-1"))
    first.start()
    try:
        assert solving.wait(timeout=300)
        assert _run(world, "worker-2") is None  # it is worker-1's
    finally:
        go_on.set()
        first.join()
    [done] = _jobs(world)
    assert done.id == job.id and done.state == "done" and done.claimed_by == "worker-1"
    assert done.attempts == 1


def test_a_job_whose_worker_stopped_is_taken_over(world):
    job = recommendation_jobs.ask(world.uow).job
    abandon(world.engine, RecommendationJob, job.id or 0)
    assert _run(world, "worker-2") == job.id
    [done] = _jobs(world)
    assert done.state == "done" and done.claimed_by == "worker-2" and done.attempts == 2


def test_a_failed_job_is_queued_again_when_asked(world, monkeypatch):
    recommendation_jobs.ask(world.uow)

    def broken(*args, **kwargs):
        raise RuntimeError("solver crashed")

    monkeypatch.setattr(recommendation_jobs, "recommend", broken)
    _run(world)
    [failed] = _jobs(world)
    assert failed.state == "failed" and failed.error == "RuntimeError"
    monkeypatch.undo()
    assert recommendation_jobs.ask(world.uow).job.state == "queued"
    _run(world)
    assert [j.state for j in _jobs(world)] == ["done"]
