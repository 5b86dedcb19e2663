"""What-if simulations started from the management page, run as background jobs.

- `start` checks the policy (a built-in one by name, or an uploaded policy file, with the
  checks of `waitlist simulate --policy`: an error names the field) and queues a job.
- `run_next` claims the oldest queued job (waitlist.services.job_claims, as recommendation
  jobs are claimed) and simulates the status quo and the policy, on the demo city's
  calibration or (`source="history"`) on this database's own applications and groups
  replayed week by week (waitlist.simulation.replay, as `waitlist simulate --from-db`),
  writing the rounds done after every round (also a heartbeat); when done it keeps each
  policy's headline figures.
- `job` and `recent` read one job, or the latest ones to compare.
- `purge` forgets finished runs older than the retention period, except the latest ones.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, delete
from sqlmodel import Session, col, select

from waitlist.domain.errors import Forbidden, InvalidInput
from waitlist.services import access, job_claims
from waitlist.services.job_claims import DONE, FAILED, QUEUED, RUNNING
from waitlist.simulation import builtin_policies, load_calibration, simulate
from waitlist.simulation.policies import PolicySpec, page_policies, parse_policy
from waitlist.simulation.replay import load_history
from waitlist.storage.columns import utcnow
from waitlist.storage.job_tables import SimulationJob
from waitlist.storage.tables import Application
from waitlist.storage.uow import UnitOfWork

__all__ = ["DONE", "FAILED", "QUEUED", "RUNNING", "SimulationRun", "job", "recent", "start"]

RECENT = 10
MAX_WEEKS = 104
SOURCES = ("demo", "history")  # generated arrivals on the demo calibration, or this database
MAX_UPLOAD_BYTES = 20_000
HEADLINE = (
    "max_min_ratio",
    "median_wait_weeks",
    "groups_cancelled",
    "mean_cross_district_travel_minutes",
    "placed",
    "waiting",
)


@dataclass(frozen=True)
class SimulationRun:
    id: int
    state: str
    label: str
    name: str
    source: str
    weeks: int
    seed: int
    requested_at: datetime
    finished_at: datetime | None
    rounds_done: int
    rounds_total: int
    figures: list[dict[str, Any]]  # per policy: name, label and the HEADLINE figures

    @property
    def finished(self) -> bool:
        return self.state in (DONE, FAILED)


def builtin(name: str) -> PolicySpec:
    """A built-in policy, or one the what-if page offers, by name; InvalidInput naming the
    field `policy` otherwise."""
    for spec in builtin_policies()[:1] + page_policies():
        if spec.name == name:
            return spec
    raise InvalidInput(f"policy: there is no built-in policy {name!r}", field="policy")


def read_upload(data: bytes) -> PolicySpec:
    """An uploaded policy file (docs/simulation.md), checked like `--policy FILE`."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise InvalidInput("policy_file: the file is larger than 20 kB", field="policy_file")
    try:
        raw = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        reason = exc.msg if isinstance(exc, json.JSONDecodeError) else "not UTF-8 text"
        raise InvalidInput(
            f"policy_file: the file is not JSON ({reason})", field="policy_file"
        ) from exc
    programmes = {p["slug"] for p in load_calibration().programmes}
    return parse_policy(raw, programmes=programmes)


def start(
    uow: UnitOfWork,
    actor: access.Actor,
    spec: PolicySpec,
    *,
    weeks: int = 52,
    seed: int = 2026,
    source: str = "demo",
) -> int:
    """Queue a simulation of `spec` against the status quo; the job's id. With `source`
    "history" the run replays this database from its first queue date to today (`weeks` is
    then the number of weeks that covers)."""
    with uow:
        _require_management(actor)
        if source not in SOURCES:
            raise InvalidInput("source: must be 'demo' or 'history'", field="source")
        if not 1 <= weeks <= MAX_WEEKS:
            raise InvalidInput(f"weeks: must be from 1 to {MAX_WEEKS}", field="weeks")
        if not 0 <= seed < 2**31:
            raise InvalidInput("seed: must be a whole number from 0", field="seed")
        if (
            source == "history"
            and uow.session.exec(select(Application.id).limit(1)).first() is None
        ):
            raise InvalidInput(
                "source: the database holds no applications to replay", field="source"
            )
        row = SimulationJob(
            policy=spec.describe(),
            source=source,
            weeks=weeks,
            seed=seed,
            requested_by=uow.actor[:64],
        )
        uow.session.add(row)
        uow.commit()
        return row.id or 0


def job(uow: UnitOfWork, actor: access.Actor, job_id: int) -> SimulationRun:
    with uow:
        _require_management(actor)
        row = job_claims.get_job(
            uow.session, SimulationJob, job_id, f"There is no simulation {job_id}.", "run"
        )
        return _run(row)


def recent(uow: UnitOfWork, actor: access.Actor, limit: int = RECENT) -> list[SimulationRun]:
    """The latest runs, newest first."""
    with uow:
        _require_management(actor)
        rows = uow.session.exec(
            select(SimulationJob).order_by(col(SimulationJob.id).desc()).limit(limit)
        ).all()
        return [_run(r) for r in rows]


def queued(engine: Engine) -> bool:
    return job_claims.any_claimable(engine, SimulationJob)


def run_next(engine: Engine, worker: str) -> int | None:
    """Claim and run one simulation; its id, or None when there was nothing to do."""
    row = job_claims.claim(engine, SimulationJob, worker)
    if row is None:
        return None
    job_id = row.id

    def progress(_name: str, done: int, total: int) -> None:
        job_claims.set_mine(
            engine, SimulationJob, job_id, worker,
            rounds_done=done, rounds_total=total, heartbeat_at=utcnow(),
        )  # fmt: skip

    values: dict[str, Any]
    try:
        cal = load_calibration()
        spec = parse_policy(row.policy, programmes={p["slug"] for p in cal.programmes})
        policies = [builtin_policies()[0], spec]
        weeks, history = row.weeks, None
        if row.source == "history":
            replay = load_history(UnitOfWork(engine, actor=worker[:64], readonly=True), cal)
            cal, weeks, history = replay.calibration, replay.weeks, (replay.arrivals, replay.plan)
            job_claims.set_mine(engine, SimulationJob, job_id, worker, weeks=weeks)
        run = simulate(
            cal, weeks=weeks, seed=row.seed, policies=policies, progress=progress, history=history
        )
        figures = [
            {
                "name": o.spec.name,
                "label": o.spec.label,
                **{k: o.summary.get(k) for k in HEADLINE},
            }
            for o in run.outcomes
        ]
        values = {"state": DONE, "figures": {"policies": figures}}
    except Exception as exc:  # the job fails visibly; the worker goes on with the next
        values = {"state": FAILED, "error": type(exc).__name__[:200]}
    job_claims.set_mine(engine, SimulationJob, job_id, worker, finished_at=utcnow(), **values)
    return job_id


def purge(engine: Engine, keep: timedelta) -> int:
    """Forget finished runs asked for longer than `keep` ago, except the newest RECENT (the
    runs the management page compares); how many."""
    with Session(engine) as session:
        shown = select(SimulationJob.id).order_by(col(SimulationJob.id).desc()).limit(RECENT)
        kept = list(session.exec(shown).all())
        gone = session.execute(
            delete(SimulationJob).where(
                col(SimulationJob.requested_at) < utcnow() - keep,
                col(SimulationJob.state).in_([DONE, FAILED]),
                col(SimulationJob.id).not_in(kept),
            )
        )
        session.commit()
        return int(gone.rowcount or 0)  # type: ignore[attr-defined]


def _require_management(actor: access.Actor) -> None:
    if actor.kind != "staff" or actor.role != access.MANAGEMENT:
        raise Forbidden("Only management runs what-if simulations.", field="actor")


def _run(row: SimulationJob) -> SimulationRun:
    policy = row.policy or {}
    return SimulationRun(
        id=row.id or 0,
        state=row.state,
        label=str(policy.get("label") or policy.get("name") or ""),
        name=str(policy.get("name") or ""),
        source=row.source,
        weeks=row.weeks,
        seed=row.seed,
        requested_at=row.requested_at,
        finished_at=row.finished_at,
        rounds_done=row.rounds_done,
        rounds_total=row.rounds_total,
        figures=list((row.figures or {}).get("policies", [])),
    )
