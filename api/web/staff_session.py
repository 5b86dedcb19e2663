"""Coordinators' session on the pages: the same signed session cookie as the API's login."""

from __future__ import annotations

from fastapi import Request
from starlette.responses import Response

from api.security import SESSION_COOKIE, issue_access_token, read_access_token
from waitlist.config import Settings, get_settings
from waitlist.services.access import Actor
from waitlist.storage.staff_tables import StaffPublic

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


class LoginRequired(Exception):
    """No valid coordinator session: the page sends the browser to the log-in form."""

    def __init__(self, next_path: str) -> None:
        super().__init__(next_path)
        self.next_path = next_path


def settings_of(request: Request) -> Settings:
    return getattr(request.app.state, "settings", None) or get_settings()


def coordinator(request: Request) -> Actor:
    """The logged-in coordinator, or LoginRequired."""
    token = request.cookies.get(SESSION_COOKIE)
    principal = read_access_token(token, secret=settings_of(request).secret_key) if token else None
    if principal is None or principal.role != "coordinator" or not principal.district:
        raise LoginRequired(request.url.path)
    return principal


def log_in(request: Request, response: Response, staff: StaffPublic) -> None:
    settings = settings_of(request)
    token, _expires = issue_access_token(
        secret=settings.secret_key,
        staff_id=staff.id,
        role=staff.role,
        district=staff.district,
        minutes=settings.access_token_minutes,
    )
    # On the loopback interface (the demo) there is no TLS; the cookie never leaves the machine.
    secure = settings.cookie_secure and request.url.hostname not in LOOPBACK
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=settings.access_token_minutes * 60,
        httponly=True,
        secure=secure,
        samesite="lax",
        path="/",
    )


def log_out(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, httponly=True, samesite="lax", path="/")
