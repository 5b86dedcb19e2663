"""Friendly HTML pages for a refused form (CSRF) and unknown links."""

from __future__ import annotations

from fastapi import FastAPI, Request
from starlette.responses import Response

from api.web.csrf import CsrfError
from api.web.render import render


def install(app: FastAPI) -> None:
    @app.exception_handler(CsrfError)
    async def csrf_refused(request: Request, exc: CsrfError) -> Response:
        return render(request, "error.html", {"kind": "csrf"}, status=403)


def not_found(request: Request) -> Response:
    return render(request, "error.html", {"kind": "not_found"}, status=404)
