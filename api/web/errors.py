"""Friendly HTML pages for a refused form (CSRF) and unknown links."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import RedirectResponse, Response

from api.problems import LoginPaused, hold_back
from api.web.csrf import CsrfError
from api.web.limits import TooManyRequests
from api.web.render import render
from api.web.staff_session import LoginRequired


def _wants_html(request: Request) -> bool:
    path = request.url.path
    if path.startswith(("/api/", "/docs", "/redoc", "/openapi", "/static/")):
        return False
    return "text/html" in request.headers.get("accept", "")


def install(app: FastAPI) -> None:
    api_handler = app.exception_handlers.get(StarletteHTTPException)

    @app.exception_handler(StarletteHTTPException)
    async def page_not_found(request: Request, exc: StarletteHTTPException) -> Response:
        # A browser asking for a page that does not exist gets a page; the API keeps its
        # problem+json answers.
        if exc.status_code == 404 and _wants_html(request):
            return not_found(request)
        if api_handler is not None:
            result = api_handler(request, exc)
            return await result if hasattr(result, "__await__") else result
        return await http_exception_handler(request, exc)

    @app.exception_handler(CsrfError)
    async def csrf_refused(request: Request, exc: CsrfError) -> Response:
        return render(request, "error.html", {"kind": "csrf"}, status=403)

    @app.exception_handler(TooManyRequests)
    async def too_many(request: Request, exc: TooManyRequests) -> Response:
        response = render(request, "error.html", {"kind": "busy"}, status=429)
        response.headers["Retry-After"] = exc.retry_after
        return response

    api_paused = app.exception_handlers.get(LoginPaused)

    @app.exception_handler(LoginPaused)
    async def login_paused(request: Request, exc: LoginPaused) -> Response:
        # The log-in forms get a page saying when to try again; the API its problem answer.
        if request.url.path.startswith("/api/") and api_paused is not None:
            return await api_paused(request, exc)  # type: ignore[no-any-return,misc]
        await hold_back(exc)
        page = render(
            request, "error.html", {"kind": "login_paused", "seconds": exc.retry_after}, status=429
        )
        page.headers["Retry-After"] = str(exc.retry_after)
        return page

    @app.exception_handler(LoginRequired)
    async def login_required(request: Request, exc: LoginRequired) -> Response:
        return RedirectResponse(f"/coordinator/login?next={exc.next_path}", status_code=303)


def not_found(request: Request) -> Response:
    return render(request, "error.html", {"kind": "not_found"}, status=404)
