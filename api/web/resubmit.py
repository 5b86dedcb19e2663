"""A second identical application from the same browser within minutes shows the first.

After an application the browser keeps a cookie (HttpOnly, only sent to /apply, ten minutes)
with a keyed fingerprint of what was submitted and the status link's token. The same answers
again within that time lead to the first application's status page instead of a second
application; different answers, another browser or a later time apply as usual. The token is
the parent's own (their browser has just been sent to it) and never goes into a URL here.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from waitlist.config import get_settings, secure_cookies

COOKIE = "recent_application"
WINDOW_SECONDS = 10 * 60


def fingerprint(command: dict[str, Any]) -> str:
    data = json.dumps(command, sort_keys=True, ensure_ascii=False, default=str).encode()
    key = get_settings().secret_key.encode()
    return hmac.new(key, b"apply:" + data, hashlib.sha256).hexdigest()[:32]


def earlier_token(request: Request, command: dict[str, Any]) -> str | None:
    """The status token of the same application made from this browser within the window."""
    raw = request.cookies.get(COOKIE, "")
    parts = raw.split(".", 2)
    if len(parts) != 3 or not parts[1].isdigit():
        return None
    mark, when, token = parts
    if not hmac.compare_digest(mark, fingerprint(command)):
        return None
    if not 0 <= time.time() - int(when) <= WINDOW_SECONDS:
        return None
    return token or None


def remember(request: Request, response: Response, command: dict[str, Any], token: str) -> None:
    value = f"{fingerprint(command)}.{int(time.time())}.{token}"
    settings = getattr(request.app.state, "settings", None) or get_settings()
    response.set_cookie(
        COOKIE,
        value,
        max_age=WINDOW_SECONDS,
        httponly=True,
        secure=secure_cookies(settings, request.url.hostname),
        samesite="strict",
        path="/apply",
    )
