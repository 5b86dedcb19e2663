"""The FastAPI application: a thin layer over the waitlist services.

`create_app()` wires the routers (one per resource, all under /api/v1), the problem+json error
handlers, request logging and, when enabled, the background jobs (offer expiry, outbox).
The app keeps no state in the process beyond the engine's connection pool, so several workers
can serve the same database.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, time, timedelta
from typing import Any

import structlog
from anyio import to_thread
from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from pydantic import BaseModel
from sqlalchemy import Engine
from sqlalchemy.orm import configure_mappers

from api import hardening, web
from api.logs import configure_logging, install_request_logging
from api.problems import document_problems, install_problem_handlers
from api.routes import (
    applications,
    audit,
    auth,
    groups,
    leaders,
    management,
    offers,
    queues,
    recommendations,
    rounds,
    venues,
)
from api.web import render
from waitlist import bootstrap
from waitlist.config import Settings, get_settings
from waitlist.services import staff, wait_history
from waitlist.storage.db import make_engine

# Resource routers under /api/v1, in the order they appear in the docs.
API_ROUTERS = (
    auth,
    applications,
    offers,
    groups,
    queues,
    rounds,
    recommendations,
    audit,
    management,
    venues,
    leaders,
)


class Health(BaseModel):
    status: str


def create_app(settings: Settings | None = None, engine: Engine | None = None) -> FastAPI:
    """The app; raises signing_key.InsecureSecret rather than serve with a key anyone could
    know (see waitlist/signing_key.py)."""
    settings = settings or get_settings()
    settings.check_secret()
    configure_logging()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        from api import jobs

        # Sync endpoints and dependencies run on this process's thread pool (anyio's).
        current: Settings = app.state.settings  # (read at start: the app keeps no state)
        to_thread.current_default_thread_limiter().total_tokens = current.worker_threads
        # Beside the first requests, not before them: a start answers /health at once.
        warming = asyncio.create_task(asyncio.to_thread(warm_up, app))
        levels = (
            asyncio.create_task(_levels_each_day(app))
            if current.jobs_interval_seconds > 0
            else None
        )
        try:
            async with jobs.running(app.state.engine, current):
                yield
        finally:
            if levels is not None:
                levels.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await levels
        await warming

    app = FastAPI(
        title="Waitlist",
        version="1.0",
        description="Waitlist and cross-district placement for parenting-support programmes. "
        "Errors are RFC 9457 problem details (application/problem+json).",
        lifespan=lifespan,
        docs_url=None,  # served by api.hardening from packaged files, under the pages' CSP
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.engine = engine or make_engine(settings.database_url)

    @app.get("/health", tags=["health"], response_model=Health)
    async def health() -> Health:
        # On the event loop: no database, no thread of the pool (taken by pages and log-ins)
        return Health(status="ok")

    install_problem_handlers(app)
    install_request_logging(app)
    for module in API_ROUTERS:
        app.include_router(module.router)
    web.install(app)  # server-rendered pages for parents and coordinators
    hardening.install(app, settings)

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(
                title=app.title,
                version=app.version,
                description=app.description,
                routes=app.routes,
            )
            app.openapi_schema = document_problems(schema)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    return app


def warm_up(app: FastAPI) -> None:
    """Do once at the start what the first visitor would otherwise wait for: templates
    compiled, catalogues and locale data loaded, the table mappings configured, a database
    connection opened and every router's routes prepared (an address no route matches walks
    them all). A failure only leaves that work to the first visitor (a database not up yet
    is waited for by the requests themselves)."""
    try:
        render.warm_up()
        staff.dummy_hash()
        configure_mappers()
        with app.state.engine.connect():
            pass
        nowhere = {"type": "http", "method": "GET", "path": "/-/warm-up", "root_path": ""}
        for route in app.routes:
            route.matches(nowhere | {"headers": [], "query_string": b""})
    except Exception as exc:
        structlog.get_logger("api.main").warning("warm_up_failed", error=type(exc).__name__)


async def _levels_each_day(app: FastAPI) -> None:
    """While the app serves (with its jobs): replay every district's wait-range level at the
    start and again just after each midnight (UTC, the day of the units of work), each in a
    thread of its own, so the first status page or apply form of the day does not pay it
    (waitlist.services.wait_history.warm_levels). A failure leaves it to the pages."""
    while True:
        await asyncio.to_thread(_warm_levels, app)
        now = datetime.now(UTC)
        next_day = datetime.combine(now.date() + timedelta(days=1), time(0, 1), tzinfo=UTC)
        await asyncio.sleep((next_day - now).total_seconds())


def _warm_levels(app: FastAPI) -> None:
    try:
        engine, settings = app.state.engine, app.state.settings
        wait_history.warm_levels(bootstrap.unit_of_work(engine, settings, readonly=True))
    except Exception as exc:
        structlog.get_logger("api.main").warning("warm_levels_failed", error=type(exc).__name__)


app: FastAPI  # built by __getattr__ below


def __getattr__(name: str) -> FastAPI:
    """`api.main:app` for uvicorn, built on first use: importing this module (for
    create_app) never needs a key."""
    if name != "app":
        raise AttributeError(name)
    global app
    app = create_app()
    return app
