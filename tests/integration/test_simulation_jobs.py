"""What-if simulation jobs on SQLite and PostgreSQL: management queues a run, exactly one of
two workers claims it, the run keeps its figures beside the status quo, and a worker that
stopped is taken over."""

from __future__ import annotations

import pytest

from tests.support.foundation import World, new_world
from tests.support.jobs import abandon, race_two_workers
from waitlist.domain.errors import Forbidden
from waitlist.services import access, simulation_jobs
from waitlist.storage.tables import SimulationJob

MANAGER = access.Actor(kind="staff", role=access.MANAGEMENT, staff_id=1)


@pytest.fixture
def world(database_url) -> World:
    w = new_world(database_url)
    yield w
    w.engine.dispose()


@pytest.mark.slow  # two workers race, each a whole simulation
def test_one_of_two_workers_runs_a_queued_what_if_and_keeps_its_figures(world):
    spec = simulation_jobs.builtin("cross-district")
    job_id = simulation_jobs.start(world.uow(), MANAGER, spec, weeks=1, seed=4)
    assert race_two_workers(simulation_jobs.run_next, world.engine) == [job_id, None]
    run = simulation_jobs.job(world.uow(readonly=True), MANAGER, job_id)
    assert run.state == simulation_jobs.DONE and run.rounds_done == run.rounds_total == 2
    assert [p["name"] for p in run.figures] == ["status-quo", "cross-district"]
    assert all(p["max_min_ratio"] is None or p["max_min_ratio"] >= 1 for p in run.figures)


@pytest.mark.slow  # a whole what-if simulation
def test_a_run_whose_worker_stopped_is_taken_over(world):
    spec = simulation_jobs.builtin("queue-starts")  # the page's first choice, every lever on
    job_id = simulation_jobs.start(world.uow(), MANAGER, spec, weeks=1, seed=4)
    abandon(world.engine, SimulationJob, job_id)
    assert simulation_jobs.run_next(world.engine, "worker-new") == job_id
    run = simulation_jobs.job(world.uow(readonly=True), MANAGER, job_id)
    assert run.state == "done"
    assert [p["name"] for p in run.figures] == ["status-quo", "queue-starts"]


def test_only_management_starts_what_ifs(world):
    coordinator = access.Actor(kind="staff", role=access.COORDINATOR, district="farsta")
    with pytest.raises(Forbidden):
        simulation_jobs.start(world.uow(), coordinator, simulation_jobs.builtin("term-plan"))
