"""The scheduled clean-up removes finished recommendation, term-plan and what-if jobs asked
for longer ago than `job_keep_days` (SQLite and PostgreSQL), and keeps what the pages still
show: the newest recommendations, the newest term plan, the last what-if runs compared on the
management page, and every job not finished."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from pydantic import ValidationError
from sqlmodel import Session, col, select

from api import jobs
from tests.support.api import build_city, settings_for
from waitlist.services.simulation_jobs import RECENT
from waitlist.storage.columns import utcnow
from waitlist.storage.job_tables import (
    RecommendationJob,
    RecommendationProgress,
    SimulationJob,
    TermPlanJob,
)


@pytest.fixture
def city(database_url):
    built = build_city(database_url)
    yield built
    built.engine.dispose()


def _ago(days: float):  # noqa: ANN202
    return utcnow() - timedelta(days=days)


def _recommendation(session: Session, n: int, days: float, state: str = "done") -> int:
    row = RecommendationJob(
        mark=f"r{n}", as_of=date.today(), state=state, requested_by="test",
        requested_at=_ago(days), finished_at=_ago(days) if state == "done" else None,
        result={"n": n} if state == "done" else None,
    )  # fmt: skip
    session.add(row)
    session.flush()
    session.add(RecommendationProgress(job_id=row.id, seconds=1.0, objective=1.0, bound=2.0))
    return row.id or 0


def _term_plan(session: Session, n: int, days: float, state: str = "done") -> int:
    row = TermPlanJob(
        mark=f"t{n}", request_key="k", as_of=date.today(), term_start=date.today(),
        term_weeks=20, budget={"komet": 1}, state=state, requested_by="test",
        requested_at=_ago(days), finished_at=_ago(days) if state == "done" else None,
        result={"n": n} if state == "done" else None,
    )  # fmt: skip
    session.add(row)
    session.flush()
    return row.id or 0


def _what_if(session: Session, days: float, state: str = "done") -> int:
    row = SimulationJob(
        policy={"name": "cross-district"}, weeks=1, seed=1, state=state, requested_by="test",
        requested_at=_ago(days),
    )  # fmt: skip
    session.add(row)
    session.flush()
    return row.id or 0


def _ids(session: Session, table) -> set[int]:  # noqa: ANN001
    return set(session.exec(select(col(table.id))).all())


def test_old_finished_jobs_go_and_what_the_pages_show_stays(city):
    with Session(city.engine) as session:
        old_recs = [_recommendation(session, n, days=30) for n in range(3)]
        fresh_rec = _recommendation(session, 3, days=1, state="failed")
        old_plans = [_term_plan(session, n, days=20) for n in range(3)]
        waiting_plan = _term_plan(session, 9, days=20, state="queued")
        old_runs = [_what_if(session, days=40) for _ in range(RECENT + 3)]
        running_run = _what_if(session, days=40, state="running")
        session.commit()
    jobs.tick(city.engine, settings_for(city.url), sender=_Silent())  # the default: 7 days
    with Session(city.engine) as session:
        # the newest recommendations (shown, marked stale, until new ones are ready)
        assert _ids(session, RecommendationJob) == {old_recs[-1], fresh_rec}
        assert {p.job_id for p in session.exec(select(RecommendationProgress))} == {
            old_recs[-1],
            fresh_rec,
        }
        # the newest plan, and a plan still waiting for a worker
        assert _ids(session, TermPlanJob) == {old_plans[-1], waiting_plan}
        # the last RECENT runs the management page compares, and one still running
        newest = sorted([*old_runs, running_run])[-RECENT:]
        assert _ids(session, SimulationJob) == set(newest) | {running_run}


def test_the_retention_is_a_setting(city):
    with Session(city.engine) as session:
        plans = [_term_plan(session, n, days=10) for n in range(2)]
        session.commit()
    jobs.tick(city.engine, settings_for(city.url, job_keep_days=30), sender=_Silent())
    with Session(city.engine) as session:
        assert _ids(session, TermPlanJob) == set(plans)  # 10 days old, kept for 30
    jobs.tick(city.engine, settings_for(city.url, job_keep_days=5), sender=_Silent())
    with Session(city.engine) as session:
        assert _ids(session, TermPlanJob) == {plans[-1]}
    for bad in (0, -1, "a week"):
        with pytest.raises(ValidationError, match="job_keep_days"):
            settings_for(city.url, job_keep_days=bad)


class _Silent:
    """A notice sender for ticks with nothing to send."""

    def send(self, notice, session) -> None:  # noqa: ANN001
        raise AssertionError("no notice is due in these tests")
