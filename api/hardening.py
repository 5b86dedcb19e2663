"""Answers that keep secrets: no caching, HSTS behind https, demo mode on loopback only, and
the interactive API docs served from packaged files under the pages' CSP (no CDN).

One pure ASGI middleware adds the headers (a few microseconds a request): `Cache-Control:
no-store` on every answer that has not chosen its own (status tokens, staff tokens, personal
links and idempotent replays among them; static files keep their caching), and
`Strict-Transport-Security` when the public URL is https.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.responses import HTMLResponse, PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from waitlist import signing_key
from waitlist.config import Settings

HSTS = b"max-age=31536000; includeSubDomains"
# The same policy as the pages (api/web/render.py): scripts and styles from this server only.
DOCS_CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
)
_CACHED_PREFIXES = ("/static/", "/docs/assets/", "/management/assets/")


class SecureHeaders:
    """Pure ASGI middleware: no-store by default, HSTS behind https, and (demo mode with a
    weak key) answers only to connections that arrived on the loopback interface."""

    def __init__(self, app: ASGIApp, *, hsts: bool, loopback_only: bool) -> None:
        self.app = app
        self.hsts = hsts
        self.loopback_only = loopback_only

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self.loopback_only:
            server = scope.get("server") or ("", None)
            if not signing_key.is_loopback(str(server[0])):
                refusal = PlainTextResponse("Demo mode answers on 127.0.0.1 only.", 403)
                await refusal(scope, receive, send)
                return
        cacheable = str(scope.get("path", "")).startswith(_CACHED_PREFIXES)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {name.lower() for name, _ in headers}
                if not cacheable and b"cache-control" not in names:
                    headers.append((b"cache-control", b"no-store"))
                if self.hsts:
                    headers.append((b"strict-transport-security", HSTS))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def install(app: FastAPI, settings: Settings) -> None:
    weak = signing_key.weakness(settings.signing_secret()) is not None
    app.add_middleware(
        SecureHeaders,
        hsts=settings.public_url.lower().startswith("https://"),
        loopback_only=settings.demo_mode and weak,
    )
    _install_docs(app)


_DOCS_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title} - API docs</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css">
</head>
<body>
<div id="swagger-ui" data-openapi-url="{openapi_url}"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/static/docs.js"></script>
</body>
</html>
"""


def _install_docs(app: FastAPI) -> None:
    """Swagger UI 5 from the `fastapi-offline` package's files at /docs; its start-up script is
    a file (/static/docs.js), so the page needs no inline script and no CDN. (ReDoc is left
    out: it writes inline styles the CSP refuses.)"""
    import fastapi_offline

    assets = Path(fastapi_offline.__file__).resolve().parent / "static"
    app.mount("/docs/assets", StaticFiles(directory=assets), name="docs-assets")
    page = _DOCS_PAGE.format(title=app.title, openapi_url=app.openapi_url or "/openapi.json")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return HTMLResponse(
            page,
            headers={
                "Content-Security-Policy": DOCS_CSP,
                "X-Content-Type-Options": "nosniff",
                "Referrer-Policy": "no-referrer",
            },
        )
