"""Staff sessions on the pages (coordinators, management): the same signed session cookie as
the API's login, and the log-in form both kinds of page share."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import Request
from starlette.datastructures import FormData
from starlette.responses import RedirectResponse, Response

from api import ratelimit
from api.problems import LoginPaused
from api.security import SESSION_COOKIE, Principal, issue_access_token, read_access_token
from api.web import sources
from api.web.forms import Form
from api.web.i18n import gettext_for, language_of
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


def principal_of(request: Request) -> Principal | None:
    """Whoever the session cookie names, or None without a valid one."""
    token = request.cookies.get(SESSION_COOKIE)
    return read_access_token(token, secret=settings_of(request).secret_key) if token else None


def coordinator(request: Request) -> Actor:
    """The logged-in coordinator, or LoginRequired."""
    principal = principal_of(request)
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


def staff_login(
    request: Request,
    posted: FormData,
    role: str,
    refusal: str,
    target: str,
    again: Callable[[dict], Response],
) -> Response:
    """The posted log-in form of an account of `role`: a redirect to `target` with the session
    cookie, or `again` given the form's values (never the password) and errors, `refusal` the
    error when the username, password or role is wrong."""
    form = Form(posted, gettext_for(language_of(request)))
    username = form.text("username", max_length=64)
    password = form.text("password", max_length=128)
    form.values.pop("password", None)  # never echoed back
    if form.ok:
        settings = settings_of(request)
        client = request.client.host if request.client else "unknown"
        engine = sources.engine_of(request)
        result = ratelimit.staff_login(engine, settings, username, password, client)
        who = result.staff
        if result.throttled:
            raise LoginPaused(result.retry_after)  # a page saying when (api.web.errors)
        if who is None or who.role != role:
            form.fail("username", refusal)
        else:
            response = RedirectResponse(target, status_code=303)
            log_in(request, response, who)
            return response
    return again({"values": form.values, "errors": form.errors})


def logged_out(login_path: str) -> Response:
    """A redirect to the log-in form at `login_path` that ends the session."""
    response = RedirectResponse(login_path, status_code=303)
    log_out(response)
    return response
