"""A what-if on the database's own history (the management page's "Your own applications"),
run by the background worker on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlmodel import Session

from tests.support.api import City, application_body
from waitlist.domain.errors import Forbidden, InvalidInput
from waitlist.services import applications, simulation_jobs
from waitlist.services.access import Actor
from waitlist.storage.tables import Application, SimulationJob

MANAGER = Actor(kind="staff", role="management", staff_id=3)


@pytest.mark.slow  # two replayed policies
def test_the_worker_replays_the_history_the_database_holds(city: City) -> None:
    ids = [applications.apply(city.uow(), application_body()).application.id for _ in range(4)]
    with Session(city.engine) as session:
        for weeks_ago, app_id in enumerate(ids, start=1):
            app = session.get(Application, app_id)
            assert app is not None
            app.queue_date = date.today() - timedelta(weeks=weeks_ago)
            session.add(app)
        session.commit()
    spec = simulation_jobs.builtin("queue-starts")
    job_id = simulation_jobs.start(city.uow(), MANAGER, spec, source="history")
    assert simulation_jobs.run_next(city.engine, "worker-1") == job_id
    run = simulation_jobs.job(city.uow(), MANAGER, job_id)
    assert (run.state, run.source) == ("done", "history")
    assert run.weeks in (5, 6)  # from the Monday before the oldest queue date to today
    assert [f["name"] for f in run.figures] == ["status-quo", "queue-starts"]
    assert all(f["placed"] + f["waiting"] == 4 for f in run.figures)
    with Session(city.engine) as session:
        row = session.get(SimulationJob, job_id)
        assert row is not None and row.policy["name"] == "queue-starts"


def test_a_history_run_needs_applications_a_manager_and_a_known_source(city: City) -> None:
    spec = simulation_jobs.builtin("queue-starts")
    with pytest.raises(InvalidInput) as empty:
        simulation_jobs.start(city.uow(), MANAGER, spec, source="history")
    assert empty.value.field == "source"
    with pytest.raises(InvalidInput) as odd:
        simulation_jobs.start(city.uow(), MANAGER, spec, source="stockholm")
    assert odd.value.field == "source"
    coordinator = Actor(kind="staff", role="coordinator", district="farsta", staff_id=1)
    with pytest.raises(Forbidden):
        simulation_jobs.start(city.uow(), coordinator, spec, source="demo")
