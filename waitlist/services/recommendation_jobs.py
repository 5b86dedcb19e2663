"""Group-start recommendations as background jobs: asked for by a page or the API, solved by
any worker of any process, kept per fingerprint of the solver's input.

- `ask` returns at once (a few queries): the job for the database as it is now, found by its
  mark (the day, the latest audit event, the rules), queued when there is none. With it come
  the recommendations to show: the job's result when done, else the latest older result,
  marked stale.
- `run_next` claims the oldest queued job (a guarded update, so of several workers exactly one
  gets it; on PostgreSQL the candidate row is read `FOR UPDATE SKIP LOCKED`), builds the
  recommender's input from the database and hashes it (the fingerprint). A result already kept
  for that fingerprint is copied; otherwise it solves, writing a progress row for every
  improving solution (CP-SAT's best objective and bound, seconds since the start; each also a
  heartbeat). A job whose worker stopped beating for `STALE_AFTER` is claimed again; after
  `MAX_ATTEMPTS` claims it fails, and asking again queues it afresh.
- `progress` reads one job's state and latest progress (the page's live view polls it).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, delete
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from solver.recommend import recommend
from solver.recommend.data import RecommendOptions
from solver.recommend.model import ProgressUpdate
from solver.scenario.files import dumps, scenario_to_dict
from waitlist.domain.policy import Rules
from waitlist.services import job_claims, lookups
from waitlist.services.job_claims import DONE, FAILED, QUEUED, RUNNING
from waitlist.services.recommendation_results import dump_result, fingerprint, load_result
from waitlist.services.recommendations import (
    OPTIONS,
    Recommendations,
    for_district,
    inputs_mark,
    scenario_for,
)
from waitlist.storage.columns import utcnow
from waitlist.storage.job_tables import RecommendationJob, RecommendationProgress
from waitlist.storage.uow import UnitOfWork

# A running job whose worker has not written for this long is claimed again: longer than the
# solver's time limit, as the second stage writes no progress.
STALE_AFTER = job_claims.STALE_AFTER
KEEP = timedelta(days=7)  # the default of the setting job_keep_days


@dataclass(frozen=True)
class Progress:
    seconds: float
    objective: float  # weighted waiting-weeks removed by the best plan so far
    bound: float  # proven upper bound on it


@dataclass(frozen=True)
class JobState:
    id: int
    state: str
    requested_at: datetime
    finished_at: datetime | None
    progress: Progress | None
    elapsed_s: float | None  # since a worker claimed it, while it runs

    @property
    def finished(self) -> bool:
        return self.state in (DONE, FAILED)


@dataclass(frozen=True)
class Asked:
    """The job for the current inputs and the recommendations to show: its result when done,
    else the latest result for older inputs (`stale`), else None."""

    job: JobState
    recommendations: Recommendations | None
    stale: bool
    computed_at: datetime | None


def ask(
    make_uow: Callable[..., UnitOfWork],
    district: str | None = None,
    as_of: date | None = None,
    options: RecommendOptions = OPTIONS,
) -> Asked:
    """The job for the database as it is now, queued if new (or if it failed before).

    `make_uow(readonly=...)` makes units of work: reading is read-only, and only queueing a
    job writes (SQLite then takes its write lock for a moment only)."""
    with make_uow(readonly=True) as uow:
        day = as_of or uow.today()
        if district is not None:
            lookups.district(uow, district)
        mark = inputs_mark(uow, day, options)
        job = _by_mark(uow.session, mark)
    if job is None or job.state == FAILED:
        _queue(make_uow(), mark, day)
    with make_uow(readonly=True) as uow:
        job = _by_mark(uow.session, mark)
        assert job is not None  # queued above, by this request or a concurrent one
        kept = job if job.state == DONE else _latest_done(uow.session)
        state = _state(uow.session, job)
    if kept is None or kept.result is None:
        return Asked(state, None, False, None)
    found = for_district(*load_result(kept.result), district)
    return Asked(state, found, kept.id != job.id, kept.finished_at)


def progress(uow: UnitOfWork, job_id: int) -> JobState | None:
    with uow:
        job = uow.session.get(RecommendationJob, job_id)
        return None if job is None else _state(uow.session, job)


def queued(engine: Engine) -> bool:
    """Whether a job waits for a worker (queued, or left by a worker that stopped)."""
    return job_claims.any_claimable(engine, RecommendationJob)


PROGRESS_EVERY_SECONDS = 0.5


def run_next(
    engine: Engine,
    worker: str,
    rules: Rules | None = None,
    options: RecommendOptions = OPTIONS,
) -> int | None:
    """Claim and compute one job; its id, or None when there was nothing to do."""
    claimed = _claim(engine, worker)
    if claimed is None:
        return None
    job_id, day = claimed

    last = [-PROGRESS_EVERY_SECONDS]

    def report(update_: ProgressUpdate) -> None:
        # At most one write per PROGRESS_EVERY_SECONDS: each takes the database's write lock
        # (SQLite's only one) from a process at low priority, which a loaded machine may
        # leave waiting while it holds it, and every page that counts a visit waits too.
        if update_.seconds - last[0] < PROGRESS_EVERY_SECONDS:
            return
        last[0] = update_.seconds
        with Session(engine) as session:
            session.add(
                RecommendationProgress(
                    job_id=job_id,
                    seconds=update_.seconds,
                    objective=update_.objective,
                    bound=update_.bound,
                )
            )
            session.execute(_mine(job_id, worker).values(heartbeat_at=utcnow()))
            session.commit()

    values: dict[str, Any]
    try:
        with UnitOfWork(engine, actor=worker[:64], rules=rules, readonly=True) as uow:
            scenario = scenario_for(uow, day)
            key = fingerprint(dumps(scenario_to_dict(scenario)), options)
            done = uow.session.exec(
                select(RecommendationJob.result).where(
                    RecommendationJob.fingerprint == key, RecommendationJob.state == DONE
                )
            ).first()
        if done is None:
            _set(engine, job_id, worker, fingerprint=key)
            result = recommend(scenario, progress=report, options=options)
            done = dump_result(scenario, result)
        values = {"state": DONE, "fingerprint": key, "result": done}
    except Exception as exc:  # the job fails visibly; the worker goes on with the next
        values = {"state": FAILED, "error": type(exc).__name__[:200]}
    _set(engine, job_id, worker, finished_at=utcnow(), **values)
    return job_id


def purge(engine: Engine, keep: timedelta = KEEP) -> int:
    """Forget jobs asked for longer than `keep` ago, except the latest result (shown, marked
    stale, until a newer one is ready)."""
    with Session(engine) as session:
        latest = _latest_done(session)
        old = select(RecommendationJob.id).where(
            col(RecommendationJob.requested_at) < utcnow() - keep,
            col(RecommendationJob.state).in_([DONE, FAILED]),
            col(RecommendationJob.id) != (latest.id if latest else -1),
        )
        gone = col(RecommendationProgress.job_id).in_(old)
        session.execute(delete(RecommendationProgress).where(gone))
        removed = session.execute(
            delete(RecommendationJob).where(col(RecommendationJob.id).in_(old))
        )
        session.commit()
        return int(removed.rowcount or 0)  # type: ignore[attr-defined]


def _set(engine: Engine, job_id: int, worker: str, **values: Any) -> None:
    job_claims.set_mine(engine, RecommendationJob, job_id, worker, **values)


def _mine(job_id: int, worker: str):  # noqa: ANN202
    return job_claims.mine(RecommendationJob, job_id, worker)


def _claim(engine: Engine, worker: str) -> tuple[int, date] | None:
    job = job_claims.claim(engine, RecommendationJob, worker)
    return None if job is None else (job.id, job.as_of)


def _by_mark(session: Session, mark: str) -> RecommendationJob | None:
    return session.exec(select(RecommendationJob).where(RecommendationJob.mark == mark)).first()


def _queue(uow: UnitOfWork, mark: str, day: date) -> None:
    """Queue a job for `mark`, or the failed one again; a concurrent request may win."""
    with uow:
        job = _by_mark(uow.session, mark)
        if job is not None and job.state != FAILED:
            return  # queued by someone else meanwhile
        job = job or RecommendationJob(mark=mark, as_of=day, requested_by=uow.actor[:64])
        job.state, job.attempts, job.error = QUEUED, 0, None
        job.requested_at, job.finished_at = uow.now(), None
        uow.session.add(job)
        with contextlib.suppress(IntegrityError):  # another request queued the same inputs first
            uow.commit()


def _latest_done(session: Session) -> RecommendationJob | None:
    return session.exec(
        select(RecommendationJob)
        .where(RecommendationJob.state == DONE)
        .order_by(col(RecommendationJob.finished_at).desc(), col(RecommendationJob.id).desc())
        .limit(1)
    ).first()


def _state(session: Session, job: RecommendationJob) -> JobState:
    last = session.exec(
        select(RecommendationProgress)
        .where(RecommendationProgress.job_id == job.id)
        .order_by(col(RecommendationProgress.id).desc())
        .limit(1)
    ).first()
    running = job.state == RUNNING and job.claimed_at is not None
    return JobState(
        id=job.id or 0,
        state=job.state,
        requested_at=job.requested_at,
        finished_at=job.finished_at,
        progress=Progress(last.seconds, last.objective, last.bound) if last else None,
        elapsed_s=(utcnow() - job.claimed_at).total_seconds() if running else None,  # type: ignore[operator]
    )
