"""Term plans as background jobs on SQLite and PostgreSQL: asking returns the job at once,
exactly one of two workers plans it, the same request again finds the kept plan, a change to
the queues makes it stale (and the new request shows the old plan, marked stale, until its
own is ready), a worker that stopped is taken over, and a coordinator sees the effect in their
own district only."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from sqlalchemy import update

from tests.support.foundation import World, new_world
from tests.support.jobs import abandon, race_two_workers
from waitlist.domain.errors import Forbidden, InvalidInput
from waitlist.services import access, job_claims, rounds, term_plan_jobs
from waitlist.services.job_claims import STALE_AFTER
from waitlist.services.term_plan_text import cell_lines, effect_lines
from waitlist.storage.columns import utcnow
from waitlist.storage.tables import TermPlanJob

MANAGER = access.Actor(kind="staff", role=access.MANAGEMENT, staff_id=1)
NEED = "rinkeby-kista"
COORDINATOR = access.Actor(kind="staff", role=access.COORDINATOR, staff_id=2, district=NEED)
BUDGET = {"komet": 1}


@pytest.fixture
def world(database_url) -> World:
    """Eight parents waiting for Komet in Rinkeby-Kista, one in Bromma."""
    w = new_world(database_url)
    for district in [NEED] * 8 + ["bromma"]:
        w.apply(district=district, slots=["evening"])
    yield w
    w.engine.dispose()


def _ask(world: World, who: access.Actor = MANAGER) -> int:
    return term_plan_jobs.ask(world.uow, who, BUDGET, term_weeks=20)


def test_one_of_two_workers_plans_an_asked_term_and_the_same_ask_finds_it_kept(world):
    job_id = _ask(world)
    waiting = term_plan_jobs.view(world.uow(readonly=True), MANAGER, job_id)
    assert waiting.run.state == "queued" and waiting.planned is None and not waiting.stale
    assert race_two_workers(term_plan_jobs.run_next, world.engine) == [job_id, None]
    done = term_plan_jobs.view(world.uow(readonly=True), MANAGER, job_id)
    assert done.run.state == "done" and (done.run.step, done.run.steps) == (2, 2)
    assert done.planned is not None and not done.stale
    assert [(c.district, c.programme, c.groups) for c in done.planned.plan.cells] == [
        (NEED, "komet", 1)
    ]
    assert any(line.startswith("Rinkeby-Kista Komet: +1 group") for line in _effects(done))
    # asked again with nothing changed: the same job, its plan ready at once
    assert _ask(world) == job_id
    assert term_plan_jobs.run_next(world.engine, "worker-c") is None


def test_a_changed_queue_makes_the_plan_stale_until_the_new_one_is_ready(world):
    first = _ask(world)
    term_plan_jobs.run_next(world.engine, "worker-a")
    world.apply(district=NEED, slots=["evening"])
    old = term_plan_jobs.view(world.uow(readonly=True), MANAGER, first)
    assert old.run.state == "done" and old.stale and old.planned is not None
    second = _ask(world)
    assert second != first
    meanwhile = term_plan_jobs.view(world.uow(readonly=True), MANAGER, second)
    assert meanwhile.run.state == "queued" and meanwhile.stale
    assert meanwhile.planned == old.planned and meanwhile.planned_at == old.planned_at
    assert term_plan_jobs.run_next(world.engine, "worker-a") == second
    fresh = term_plan_jobs.view(world.uow(readonly=True), MANAGER, second)
    assert fresh.run.state == "done" and not fresh.stale


def test_a_plan_whose_worker_stopped_is_taken_over(world):
    job_id = _ask(world)
    abandon(world.engine, TermPlanJob, job_id)
    assert term_plan_jobs.run_next(world.engine, "worker-new") == job_id
    assert term_plan_jobs.view(world.uow(readonly=True), MANAGER, job_id).run.state == "done"


def test_a_coordinator_sees_the_effect_in_their_own_district(world):
    job_id = _ask(world, COORDINATOR)
    assert _ask(world) == job_id  # the plan is the city's: management's ask shares it
    term_plan_jobs.run_next(world.engine, "worker-a")
    city = term_plan_jobs.view(world.uow(readonly=True), MANAGER, job_id)
    mine = term_plan_jobs.view(world.uow(readonly=True), COORDINATOR, job_id)
    assert mine.district == NEED and city.district is None
    everywhere = _effects(city)
    assert any(not line.startswith("Rinkeby-Kista") for line in everywhere)
    assert _effects(mine) == [line for line in everywhere if line.startswith("Rinkeby-Kista")]
    assert mine.planned is not None
    assert cell_lines(mine.planned, "en", NEED) == cell_lines(mine.planned, "en")


def test_bad_requests_are_named_and_only_planners_ask(world):
    with pytest.raises(InvalidInput) as unknown:
        term_plan_jobs.ask(world.uow, MANAGER, {"yoga": 2})
    assert unknown.value.field == "budget.yoga"
    with pytest.raises(InvalidInput) as past:
        term_plan_jobs.ask(
            world.uow, MANAGER, BUDGET, term_start=world.clock.today - timedelta(days=1)
        )
    assert past.value.field == "term_start"
    parent = access.Actor(kind="parent", application_id=1)
    with pytest.raises(Forbidden):
        term_plan_jobs.ask(world.uow, parent, BUDGET)
    with world.engine.connect() as conn:
        assert conn.execute(TermPlanJob.__table__.select()).all() == []


def _effects(seen: term_plan_jobs.TermPlanView) -> list[str]:
    assert seen.planned is not None
    return [line.text for line in effect_lines(seen.planned, "en", seen.district)]


def test_a_long_plan_keeps_beating_so_no_other_worker_takes_it(world):
    job_id = _ask(world)
    claimed = job_claims.claim(world.engine, TermPlanJob, "slow-worker")
    assert claimed is not None and claimed.id == job_id
    long_ago = utcnow() - STALE_AFTER - timedelta(minutes=1)
    with world.engine.begin() as conn:
        conn.execute(update(TermPlanJob).values(heartbeat_at=long_ago))
    assert job_claims.any_claimable(world.engine, TermPlanJob)  # looks stopped
    with job_claims.beating(world.engine, TermPlanJob, job_id, "slow-worker", every=0.01):
        deadline = time.monotonic() + 120  # a ceiling on a loaded machine, not a duration
        while job_claims.any_claimable(world.engine, TermPlanJob):
            assert time.monotonic() < deadline, "no heartbeat was written"
    assert term_plan_jobs.run_next(world.engine, "other-worker") is None


def test_a_log_in_or_a_round_preview_keeps_the_plan_fresh(world):
    first = _ask(world)
    term_plan_jobs.run_next(world.engine, "worker-a")
    with world.uow() as uow:  # a coordinator logs in: nothing the planner reads
        uow.record("staff", 2, "logged_in")
        uow.commit()
    rounds.preview_round(world.uow(), district=NEED)
    kept = term_plan_jobs.view(world.uow(readonly=True), MANAGER, first)
    assert kept.run.state == "done" and not kept.stale
    assert _ask(world) == first  # asked again: the same plan, nothing to compute
