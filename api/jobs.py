"""Background jobs of `waitlist serve`: offer expiry, deadline notices, the outbox, clean-up
(rate-limit windows, log-in records, idempotency keys, and finished recommendation, term-plan
and what-if jobs older than `job_keep_days`).

Every worker process runs this loop, but each tick's singleton work (expiring offers) runs in
one process at a time: on PostgreSQL it is guarded by a session-level advisory lock taken with
`pg_try_advisory_lock` (a worker that does not get it skips the tick). On SQLite there is one
writer at a time anyway. Either way the expiry itself is a guarded update, so a parent's accept
and the expiry can race: exactly one of them changes the offer.

These jobs run in a child process of each worker (api.jobs_worker, at a lower priority than
the pages), never in the web process: sending a thousand notices takes seconds of CPU. The
outbox is drained by every worker's child: rows are claimed with `FOR UPDATE SKIP LOCKED`, so
two workers never send the same notice.

Group-start recommendations asked for by pages and the API are solved by a loop of their own
in a child process of every worker (api.recommend_worker; a solve takes seconds and must not
hold up the other jobs): each claims the
oldest queued job, so several processes solve different jobs, and a job is solved once.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import date, datetime, timedelta

import structlog
from sqlalchemy import Engine, delete, text, update

from api import ratelimit
from waitlist import bootstrap
from waitlist.config import Settings, public_url
from waitlist.services import outbox, recommendation_jobs, simulation_jobs, term_plan_jobs
from waitlist.storage.columns import utcnow
from waitlist.storage.idempotency import IdempotencyRecord

log = structlog.get_logger("api.jobs")

# Any fixed 64-bit number, the same in every worker: "waitlist offer expiry".
EXPIRY_LOCK_KEY = 0x5741_4954_4C49_5354 & 0x7FFF_FFFF_FFFF_FFFF
IDEMPOTENCY_KEEP = timedelta(hours=24)
DRAIN_REST = 2.0  # the outbox drain pauses twice as long as each batch took
CHILD_STOP_SECONDS = 10.0  # a job child asked to end is killed after this
JOB_KEEP = timedelta(days=Settings.model_fields["job_keep_days"].default)


@contextlib.contextmanager
def singleton(engine: Engine, key: int = EXPIRY_LOCK_KEY) -> Iterator[bool]:
    """Yield True in the one process that holds the lock (always True on SQLite)."""
    if engine.dialect.name != "postgresql":
        yield True
        return
    with engine.connect() as conn:
        got = bool(conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": key}).scalar())
        conn.commit()
        try:
            yield got
        finally:
            if got:
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": key})
                conn.commit()


def expire_offers(engine: Engine, settings: Settings, today: date | None = None) -> int:
    """Expire overdue offers through the offers service (one guarded update per offer)."""
    from waitlist.services import expiry

    return expiry.run(bootstrap.uow_factory(engine, settings, actor="system:expiry", today=today))


def purge(engine: Engine, job_keep: timedelta = JOB_KEEP) -> None:
    ratelimit.purge_old(engine)
    purge_jobs(engine, job_keep)
    from waitlist.services import logins
    from waitlist.storage.uow import UnitOfWork

    logins.purge_old(lambda **options: UnitOfWork(engine, **options))
    from sqlmodel import Session, col

    old = col(IdempotencyRecord.created_at) < utcnow() - IDEMPOTENCY_KEEP
    made = col(IdempotencyRecord.application_id).is_not(None) & (
        col(IdempotencyRecord.scope) == "apply"
    )
    with Session(engine) as session:
        # A key that made an application stays known without its answer, so a retry after
        # the purge is refused instead of applying a second time.
        session.execute(
            update(IdempotencyRecord)
            .where(old, made)
            .values(state="expired", response=None, status_code=None)
        )
        session.execute(delete(IdempotencyRecord).where(old, ~made))
        session.commit()


def purge_jobs(engine: Engine, keep: timedelta) -> None:
    """Forget finished recommendation, term-plan and what-if jobs asked for longer than `keep`
    ago, except the newest results the pages show (each service knows which)."""
    recommendation_jobs.purge(engine, keep)
    term_plan_jobs.purge(engine, keep)
    simulation_jobs.purge(engine, keep)


def tick(
    engine: Engine,
    settings: Settings,
    sender: outbox.NoticeSender | None = None,
    stop: threading.Event | None = None,
) -> None:
    """One run of every job; each job's failure is logged and does not stop the others.
    `sender` defaults to the one the settings configure (e-mail, SMS or the demo's view);
    `stop`, once set, ends the outbox's paced drain after its current batch."""
    sender = sender or bootstrap.notice_sender(settings)
    stop = stop or threading.Event()
    with singleton(engine) as mine:
        if mine:
            _safely("expire_offers", lambda: expire_offers(engine, settings))
            _safely("purge", lambda: purge(engine, timedelta(days=settings.job_keep_days)))
    _safely(
        "outbox",
        # At most a third of the worker's time: its pages come first.
        lambda: outbox.drain(
            engine, sender, base_url=public_url(settings), rest=DRAIN_REST, stop=stop
        ),
    )


def _safely(name: str, job: Callable[[], object]) -> None:
    try:
        result = job()
        if result:
            log.info("job_done", job=name, result=str(result))
    except Exception as exc:
        log.error("job_failed", job=name, error=type(exc).__name__)


@contextlib.asynccontextmanager
async def running(engine: Engine, settings: Settings) -> AsyncIterator[None]:
    """While the app serves, run `tick` every `jobs_interval_seconds` in a child process
    (api.jobs_worker), and the queued recommendations in another (api.recommend_worker):
    neither takes the interpreter from the pages, and both run at a lower priority.
    `jobs_interval_seconds` 0: neither runs."""
    if settings.jobs_interval_seconds <= 0:
        yield
        return
    bootstrap.notice_sender(settings)  # a bad SMTP or SMS setting stops the start
    env = child_env(engine, settings)
    tasks = [
        asyncio.create_task(_scheduled(settings, env)),
        asyncio.create_task(_recommendations(engine, settings, env)),
    ]
    try:
        yield
    finally:
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task


def child_env(engine: Engine, settings: Settings) -> dict[str, str]:
    """The environment of a job child: the server's own settings (WAITLIST_*), whether they
    came from the environment, a file or the code that made the app."""
    env = dict(os.environ)
    for name, value in settings.model_dump().items():
        if value is not None:
            shown = value.isoformat() if isinstance(value, datetime) else str(value)
            env[f"WAITLIST_{name.upper()}"] = shown
    env["WAITLIST_DATABASE_URL"] = engine.url.render_as_string(hide_password=False)
    return env


async def _child(module: str, env: dict[str, str]) -> int:
    """Run `python -m module` until it exits; a server that stops asks it to end (SIGTERM:
    it finishes the batch of notices it is sending) and kills it if it does not."""
    child = await asyncio.create_subprocess_exec(sys.executable, "-m", module, env=env)
    try:
        return await child.wait()
    finally:
        if child.returncode is None:
            child.terminate()
            try:
                await asyncio.wait_for(child.wait(), CHILD_STOP_SECONDS)
            except TimeoutError:
                child.kill()
                await child.wait()


async def _scheduled(settings: Settings, env: dict[str, str]) -> None:
    """Keep the jobs child running; one that ends is started again after an interval."""
    while True:
        code = await _child("api.jobs_worker", env)
        log.error("job_failed", job="scheduled", error=f"exit {code}")
        await asyncio.sleep(settings.jobs_interval_seconds)


def _any_queued(engine: Engine) -> bool:
    return (
        recommendation_jobs.queued(engine)
        or term_plan_jobs.queued(engine)
        or simulation_jobs.queued(engine)
    )


async def _recommendations(engine: Engine, settings: Settings, env: dict[str, str]) -> None:
    """Whenever a recommendation, term-plan or simulation job is queued, run it (and any queued
    meanwhile) in a child process (api.recommend_worker); look again every
    `recommend_poll_seconds`."""
    while True:
        try:
            queued = await asyncio.to_thread(_any_queued, engine)
        except Exception as exc:  # the database was away: try again later
            log.error("job_failed", job="recommendations", error=type(exc).__name__)
            queued = False
        if not queued:
            await asyncio.sleep(settings.recommend_poll_seconds)
            continue
        if await _child("api.recommend_worker", env) != 0:
            log.error("job_failed", job="recommendations", error="exit")
            await asyncio.sleep(settings.recommend_poll_seconds)
