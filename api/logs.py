"""Structured JSON logs (structlog) with no personal data.

A request is logged by its route template (`/api/v1/offers/{offer_id}/accept`), never by its
URL, query string, body, client address or token; log events carry ids and counts only.
"""

from __future__ import annotations

import logging
import time
import uuid
from typing import Any

import structlog
from fastapi import FastAPI
from starlette.types import ASGIApp, Message, Receive, Scope, Send

_configured = False


def configure_logging(level: int = logging.INFO) -> None:
    global _configured
    if _configured:
        return
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.processors.JSONRenderer(sort_keys=True),
        ],
        wrapper_class=structlog.make_filtering_bound_logger(level),
        cache_logger_on_first_use=True,
    )
    _configured = True


log = structlog.get_logger("api")


class RequestLog:
    """Pure ASGI middleware: one log line per request, and an X-Request-ID header."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = uuid.uuid4().hex[:16]
        started = time.perf_counter()
        status: dict[str, Any] = {"code": 500}

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
                headers = list(message.get("headers", []))
                headers.append((b"x-request-id", request_id.encode()))
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            if scope.get("path") != "/health":
                route = scope.get("route")
                log.info(
                    "request",
                    request_id=request_id,
                    method=scope.get("method"),
                    route=getattr(route, "path", None) or "unmatched",
                    status=status["code"],
                    ms=round((time.perf_counter() - started) * 1000, 1),
                )


def install_request_logging(app: FastAPI) -> None:
    app.add_middleware(RequestLog)
