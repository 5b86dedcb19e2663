"""The FastAPI application: a thin layer over the waitlist services."""

from __future__ import annotations

from fastapi import FastAPI


def create_app() -> FastAPI:
    app = FastAPI(
        title="Waitlist",
        version="1.0",
        description="Waitlist and cross-district placement for parenting-support programmes.",
    )

    @app.get("/health", tags=["health"])
    def health() -> dict[str, str]:
        return {"status": "ok"}

    from api import web

    web.install(app)  # server-rendered pages for parents and coordinators

    return app


app = create_app()
