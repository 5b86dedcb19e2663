"""Group-start recommendations computed in the background (waitlist.services.recommendation_jobs).

- `recommendation_job`: one request for recommendations on the database as it was (`mark`),
  claimed by one worker of any process (`claimed_by`, `heartbeat_at`), which builds the
  scenario, hashes it (`fingerprint`) and keeps the result in `result`.
- `recommendation_progress`: the search's progress as it runs (CP-SAT's best objective and
  bound, seconds since the solve started), one row per improving solution.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlmodel import Field, SQLModel

from waitlist.storage.columns import json_dict, utcnow


class JobClaim(SQLModel):
    """The columns every background job has: its state, who asked for it and when, and the
    worker's claim on it (waitlist.services.job_claims: claimed by one worker of any process,
    kept alive by its heartbeat, taken over when that stops; `attempts` counts the claims,
    `error` says why the last run failed)."""

    state: str = Field(default="queued", max_length=16, index=True)  # queued|running|done|failed
    requested_at: datetime = Field(default_factory=utcnow)
    requested_by: str = Field(max_length=64)
    claimed_by: str | None = Field(default=None, max_length=128)
    claimed_at: datetime | None = None
    heartbeat_at: datetime | None = None
    attempts: int = 0
    error: str | None = Field(default=None, max_length=200)


class RecommendationJob(JobClaim, table=True):
    __tablename__ = "recommendation_job"
    id: int | None = Field(default=None, primary_key=True)
    # The day, the latest audit event and the rules when asked: while no event is written the
    # inputs are the same, so a page finds the job with one query.
    mark: str = Field(max_length=96, unique=True)
    as_of: date
    # The hash of the scenario the solver got, set by the worker: equal inputs reached by
    # other events share a result (copied, not solved again).
    fingerprint: str | None = Field(default=None, max_length=64, index=True)
    finished_at: datetime | None = Field(default=None, index=True)
    result: dict[str, Any] | None = json_dict(nullable=True)


class RecommendationProgress(SQLModel, table=True):
    __tablename__ = "recommendation_progress"
    id: int | None = Field(default=None, primary_key=True)
    job_id: int = Field(foreign_key="recommendation_job.id", index=True, ondelete="CASCADE")
    seconds: float
    objective: float
    bound: float


class SimulationJob(JobClaim, table=True):
    """A what-if simulation asked for from the management page: the policy (as a policy file
    holds it) against the status quo, run by a worker (claimed like a recommendation job), its
    progress in rounds, and the headline figures of each policy when done."""

    __tablename__ = "simulation_job"
    id: int | None = Field(default=None, primary_key=True)
    policy: dict[str, Any] = json_dict()
    # "demo": generated arrivals on the demo city's calibration; "history": this database's
    # own applications and groups replayed (waitlist.simulation.replay).
    source: str = Field(default="demo", max_length=16)
    weeks: int
    seed: int
    finished_at: datetime | None = None
    rounds_done: int = 0
    rounds_total: int = 0
    figures: dict[str, Any] | None = json_dict(nullable=True)


class TermPlanJob(JobClaim, table=True):
    """A term plan asked for from the management or the coordinators' pages: the budget and
    the term on the database as it was (`mark`), run by a worker (claimed like a
    recommendation job), its progress in steps, and the plan when done (`result`), kept per
    fingerprint of the planner's input."""

    __tablename__ = "term_plan_job"
    id: int | None = Field(default=None, primary_key=True)
    # The day, the latest audit event, the rules and the request: while no event is written
    # the same request finds this job with one query.
    mark: str = Field(max_length=96, unique=True)
    # The request alone (budget and term): the same request on earlier data, shown as stale
    # while this one is worked out.
    request_key: str = Field(max_length=64, index=True)
    as_of: date
    term_start: date
    term_weeks: int
    budget: dict[str, Any] = json_dict()
    # The hash of the planner's input, set by the worker: equal inputs reached by other
    # events share a plan (copied, not solved again).
    fingerprint: str | None = Field(default=None, max_length=64, index=True)
    finished_at: datetime | None = Field(default=None, index=True)
    step: int = 0
    steps: int = 0
    result: dict[str, Any] | None = json_dict(nullable=True)
