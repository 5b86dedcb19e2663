"""Term plans computed in the background, for management and coordinators: asking returns at
once, a worker of any process plans (about half a minute of CPU on a city's queues), and the
plan is kept per fingerprint of the planner's input.

- `ask` checks the request (waitlist.services.term_planning: an error names the field) and
  returns the job for it on the database as it is now, found by its mark (the day, the latest
  audit event, the rules and the request), queued when there is none (or it failed).
- `run_next` claims the oldest queued job (waitlist.services.job_claims, as recommendation
  and what-if jobs are claimed), reads the planner's input and hashes it: a plan already kept
  for that fingerprint is copied, else it plans, writing the step it is at (also a
  heartbeat; a beat every half minute besides, as a step can take long).
- `progress` reads one job's state and step (polled by the page); `view` reads one job with
  the plan to show: its own when done (stale when the queues have
  changed since), else the latest plan for the same request on earlier data, marked stale.
- `recent` lists the plans asked for, newest first, a page at a time: when, by whom as a role
  (a coordinator's district with it, never a member of staff), the state and the request.
- `purge` forgets finished jobs older than the retention period, except the newest plan.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, delete, func
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import defer
from sqlmodel import Session, col, select

from solver.planning import Effect, PlannedCell, TermPlan
from solver.types import SolveStatus
from waitlist.domain.policy import Rules
from waitlist.services import access, job_claims
from waitlist.services.input_events import latest_input_event
from waitlist.services.job_claims import DONE, FAILED, QUEUED, RUNNING
from waitlist.services.term_planning import (
    OPTIONS,
    TERM_WEEKS,
    PlannedTerm,
    TermRequest,
    checked_request,
    planned_term,
    require_planner,
    term_data,
)
from waitlist.storage.columns import utcnow
from waitlist.storage.job_tables import TermPlanJob
from waitlist.storage.uow import UnitOfWork

__all__ = [
    "DONE", "FAILED", "QUEUED", "RUNNING", "AskedPlan", "TermPlanRun", "TermPlanView", "ask",
    "progress", "recent", "view",
]  # fmt: skip


@dataclass(frozen=True)
class TermPlanRun:
    id: int
    state: str
    as_of: date
    term_start: date
    term_weeks: int
    budget: dict[str, int]
    requested_at: datetime
    claimed_at: datetime | None
    finished_at: datetime | None
    step: int
    steps: int

    @property
    def finished(self) -> bool:
        return self.state in (DONE, FAILED)


@dataclass(frozen=True)
class TermPlanView:
    """A job and the plan to show: its own when done, else the latest plan for the same
    request on earlier data (`stale`; None when there is none). `stale` too when the queues
    have changed since the plan shown was made."""

    run: TermPlanRun
    planned: PlannedTerm | None
    planned_at: datetime | None
    stale: bool
    district: str | None  # a coordinator's own district: the effects to show are there


def ask(
    make_uow: Callable[..., UnitOfWork],
    actor: access.Actor,
    budget: dict[str, int],
    *,
    term_start: date | None = None,
    term_weeks: int = TERM_WEEKS,
) -> int:
    """The job for this request on the database as it is now (queued if new); its id.

    Reading is read-only; only queueing a job writes."""
    with make_uow(readonly=True) as uow:
        asked = checked_request(uow, actor, budget, term_start=term_start, term_weeks=term_weeks)
        mark = _mark(uow, asked)
        job = _by_mark(uow.session, mark)
    if job is None or job.state == FAILED:
        _queue(make_uow(), mark, asked)
    with make_uow(readonly=True) as uow:
        job = _by_mark(uow.session, mark)
        assert job is not None and job.id is not None  # queued above, by us or another request
        return job.id


def view(uow: UnitOfWork, actor: access.Actor, job_id: int) -> TermPlanView:
    with uow:
        require_planner(actor)
        job = job_claims.get_job(
            uow.session, TermPlanJob, job_id, f"There is no term plan {job_id}.", "plan"
        )
        asked = _request(job)
        now = TermRequest(uow.today(), job.term_start, job.term_weeks, dict(job.budget))
        current = _mark(uow, now)
        shown = job if job.state == DONE and job.result is not None else _latest_done(uow, job)
        return TermPlanView(
            run=_run(job),
            planned=from_dict(shown.result, asked) if shown and shown.result else None,
            planned_at=shown.finished_at if shown else None,
            stale=shown is not None and shown.mark != current,
            district=actor.district if actor.role == access.COORDINATOR else None,
        )


@dataclass(frozen=True)
class AskedPlan:
    """One term plan in the list of those asked for: who asked as a role only
    (`coordinator`, with their district, or `management`; `other` for anything else, such as
    a command line), never which member of staff."""

    id: int
    requested_at: datetime
    role: str
    district: str | None
    state: str
    term_start: date
    term_weeks: int
    groups: int  # the budget: groups of every programme together


def recent(
    uow: UnitOfWork, actor: access.Actor, *, limit: int, offset: int = 0
) -> tuple[list[AskedPlan], int]:
    """The term plans asked for, newest first: `limit` of them from `offset`, and how many
    there are in all."""
    with uow:
        require_planner(actor)
        total = uow.session.exec(select(func.count()).select_from(TermPlanJob)).one()
        rows = uow.session.exec(
            select(TermPlanJob)
            .options(defer(TermPlanJob.result))  # type: ignore[arg-type]  # no plan is read
            .order_by(col(TermPlanJob.requested_at).desc(), col(TermPlanJob.id).desc())
            .limit(limit)
            .offset(offset)
        ).all()
        return [_asked(job) for job in rows], int(total)


def _asked(job: TermPlanJob) -> AskedPlan:
    role, _, rest = job.requested_by.partition(":")
    district = rest.partition(":")[0] if role == access.COORDINATOR else None
    return AskedPlan(
        id=job.id or 0,
        requested_at=job.requested_at,
        role=role if role in (access.COORDINATOR, access.MANAGEMENT) else "other",
        district=district or None,
        state=job.state,
        term_start=job.term_start,
        term_weeks=job.term_weeks,
        groups=sum(int(n) for n in job.budget.values()),
    )


def progress(uow: UnitOfWork, actor: access.Actor, job_id: int) -> TermPlanRun:
    """One job's state and step, without its plan (what the page's live view polls)."""
    with uow:
        require_planner(actor)
        job = job_claims.get_job(
            uow.session, TermPlanJob, job_id, f"There is no term plan {job_id}.", "plan"
        )
        return _run(job)


def queued(engine: Engine) -> bool:
    """Whether a job waits for a worker (queued, or left by a worker that stopped)."""
    return job_claims.any_claimable(engine, TermPlanJob)


def run_next(engine: Engine, worker: str, rules: Rules | None = None) -> int | None:
    """Claim and plan one job; its id, or None when there was nothing to do."""
    job = job_claims.claim(engine, TermPlanJob, worker)
    if job is None:
        return None
    job_id: int = job.id
    asked = _request(job)

    def progress(step: int, steps: int) -> None:
        job_claims.set_mine(
            engine, TermPlanJob, job_id, worker, step=step, steps=steps, heartbeat_at=utcnow()
        )

    values: dict[str, Any]
    try:
        with UnitOfWork(engine, actor=worker[:64], rules=rules, readonly=True) as uow:
            read = term_data(uow, asked)
            key = _fingerprint(read.data)
            done = uow.session.exec(
                select(TermPlanJob.result).where(
                    TermPlanJob.fingerprint == key, TermPlanJob.state == DONE
                )
            ).first()
        if done is None:
            job_claims.set_mine(engine, TermPlanJob, job_id, worker, fingerprint=key)
            with job_claims.beating(engine, TermPlanJob, job_id, worker):
                done = to_dict(planned_term(asked, read, OPTIONS, progress))
        values = {"state": DONE, "fingerprint": key, "result": done}
    except Exception as exc:  # the job fails visibly; the worker goes on with the next
        values = {"state": FAILED, "error": type(exc).__name__[:200]}
    job_claims.set_mine(engine, TermPlanJob, job_id, worker, finished_at=utcnow(), **values)
    return job_id


def purge(engine: Engine, keep: timedelta) -> int:
    """Forget finished jobs asked for longer than `keep` ago, except the newest plan (its
    page, and the plan shown while a newer one is worked out); how many."""
    with Session(engine) as session:
        newest = session.exec(
            select(func.max(TermPlanJob.id)).where(TermPlanJob.state == DONE)
        ).one()
        gone = session.execute(
            delete(TermPlanJob).where(
                col(TermPlanJob.requested_at) < utcnow() - keep,
                col(TermPlanJob.state).in_([DONE, FAILED]),
                col(TermPlanJob.id) != (newest or -1),
            )
        )
        session.commit()
        return int(gone.rowcount or 0)  # type: ignore[attr-defined]


def to_dict(planned: PlannedTerm) -> dict[str, Any]:
    """A plan as JSON keeps it (the request itself is kept on the job)."""
    return {
        "status": planned.plan.status.value,
        "cells": [asdict(c) for c in planned.plan.cells],
        "effects": [asdict(e) for e in planned.plan.effects],
        "objective": dict(planned.plan.objective),
        "district_names": planned.district_names,
        "programme_names": planned.programme_names,
    }


def from_dict(kept: dict[str, Any], asked: TermRequest) -> PlannedTerm:
    plan = TermPlan(
        status=SolveStatus(kept["status"]),
        cells=tuple(PlannedCell(**c) for c in kept["cells"]),
        effects=tuple(Effect(**e) for e in kept["effects"]),
        objective=dict(kept["objective"]),
    )
    return PlannedTerm(
        as_of=asked.as_of,
        term_start=asked.term_start,
        term_weeks=asked.term_weeks,
        budget=dict(asked.budget),
        plan=plan,
        district_names=dict(kept["district_names"]),
        programme_names=dict(kept["programme_names"]),
    )


def _request(job: TermPlanJob) -> TermRequest:
    return TermRequest(job.as_of, job.term_start, job.term_weeks, dict(job.budget))


def _request_key(asked: TermRequest) -> str:
    """The request without its day: the same budget and term asked again later."""
    text = json.dumps(
        [sorted(asked.budget.items()), asked.term_start.isoformat(), asked.term_weeks]
    )
    return hashlib.sha256(text.encode()).hexdigest()


def _mark(uow: UnitOfWork, asked: TermRequest) -> str:
    """What the plan depends on: the day, the latest audit event that may be about its input
    (a log-in or a notice is not), the rules and the request."""
    setup = hashlib.sha256(f"{uow.rules!r}{OPTIONS!r}{_request_key(asked)}".encode()).hexdigest()
    return f"{asked.as_of.isoformat()}:{latest_input_event(uow)}:{setup[:32]}"


def _fingerprint(data: object) -> str:
    return hashlib.sha256(f"{data!r}{OPTIONS!r}".encode()).hexdigest()


def _by_mark(session: Session, mark: str) -> TermPlanJob | None:
    return session.exec(select(TermPlanJob).where(TermPlanJob.mark == mark)).first()


def _latest_done(uow: UnitOfWork, job: TermPlanJob) -> TermPlanJob | None:
    """The newest plan for the same request (on earlier data)."""
    return uow.session.exec(
        select(TermPlanJob)
        .where(
            TermPlanJob.request_key == job.request_key,
            TermPlanJob.state == DONE,
            col(TermPlanJob.result).is_not(None),
        )
        .order_by(col(TermPlanJob.id).desc())
        .limit(1)
    ).first()


def _queue(uow: UnitOfWork, mark: str, asked: TermRequest) -> None:
    """Queue a job for `mark`, or the failed one again; a concurrent request may win."""
    with uow:
        job = _by_mark(uow.session, mark)
        if job is not None and job.state != FAILED:
            return  # queued by someone else meanwhile
        job = job or TermPlanJob(
            mark=mark,
            request_key=_request_key(asked),
            as_of=asked.as_of,
            term_start=asked.term_start,
            term_weeks=asked.term_weeks,
            budget=dict(asked.budget),
            requested_by=uow.actor[:64],
        )
        job.state, job.attempts, job.error = QUEUED, 0, None
        job.requested_at, job.finished_at = uow.now(), None
        uow.session.add(job)
        with contextlib.suppress(IntegrityError):  # another request queued the same one first
            uow.commit()


def _run(job: TermPlanJob) -> TermPlanRun:
    return TermPlanRun(
        id=job.id or 0,
        state=job.state,
        as_of=job.as_of,
        term_start=job.term_start,
        term_weeks=job.term_weeks,
        budget=dict(job.budget),
        requested_at=job.requested_at,
        claimed_at=job.claimed_at,
        finished_at=job.finished_at,
        step=job.step,
        steps=job.steps,
    )
