"""Server-rendered pages for parents (`/`) and coordinators (`/coordinator`).

Thin like the API routes: parse the form, call a service in waitlist/services, render the
result or the error next to the field it concerns. No business rule lives here.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

STATIC_DIR = Path(__file__).resolve().parents[1] / "static"


def install(app: FastAPI) -> None:
    """Add the pages, their static files and the CSRF error page to the app."""
    from api.web import (
        coordinator,
        coordinator_import,
        coordinator_leaders,
        coordinator_notices,
        coordinator_queues,
        coordinator_rounds,
        coordinator_term_plan,
        coordinator_venues,
        errors,
        parents,
        status,
    )

    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.include_router(parents.router)
    app.include_router(status.router)
    app.include_router(coordinator.router)
    app.include_router(coordinator_rounds.router)
    app.include_router(coordinator_import.router)
    app.include_router(coordinator_notices.router)
    app.include_router(coordinator_venues.router)
    app.include_router(coordinator_queues.router)
    app.include_router(coordinator_leaders.router)
    app.include_router(coordinator_term_plan.router)
    errors.install(app)
