"""Friendly HTML pages for a refused form (CSRF) and unknown links."""

from __future__ import annotations

from fastapi import FastAPI, Request
from starlette.responses import RedirectResponse, Response

from api.web.csrf import CsrfError
from api.web.render import render
from api.web.staff_session import LoginRequired


def install(app: FastAPI) -> None:
    @app.exception_handler(CsrfError)
    async def csrf_refused(request: Request, exc: CsrfError) -> Response:
        return render(request, "error.html", {"kind": "csrf"}, status=403)

    @app.exception_handler(LoginRequired)
    async def login_required(request: Request, exc: LoginRequired) -> Response:
        return RedirectResponse(f"/coordinator/login?next={exc.next_path}", status_code=303)


def not_found(request: Request) -> Response:
    return render(request, "error.html", {"kind": "not_found"}, status=404)
