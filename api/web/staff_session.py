"""Staff sessions on the pages (coordinators, management): the same signed session cookie as
the API's login, and the log-in form both kinds of page share."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from fastapi import Request
from starlette.datastructures import FormData
from starlette.responses import RedirectResponse, Response

from api import ratelimit
from api.problems import LoginPaused
from api.security import (
    SESSION_COOKIE,
    Principal,
    issue_access_token,
    read_access_token,
    token_is_current,
)
from api.web import sources
from api.web.forms import Form
from api.web.i18n import gettext_for, language_of
from waitlist.config import Settings, get_settings, secure_cookies
from waitlist.services import staff as staff_accounts
from waitlist.services.access import Actor
from waitlist.storage.db import lone_statement
from waitlist.storage.staff_tables import StaffPublic


class LoginRequired(Exception):
    """No valid coordinator session: the page sends the browser to the log-in form."""

    def __init__(self, next_path: str) -> None:
        super().__init__(next_path)
        self.next_path = next_path


def settings_of(request: Request) -> Settings:
    return getattr(request.app.state, "settings", None) or get_settings()


def principal_of(request: Request) -> Principal | None:
    """Whoever the session cookie names, or None without a valid one (also once its account
    logged out, was deactivated or changed its password)."""
    token = request.cookies.get(SESSION_COOKIE)
    keys = settings_of(request).verification_keys()
    claims = read_access_token(token, keys=keys) if token else None
    if claims is None:
        return None
    principal, version = claims
    assert principal.staff_id is not None
    with lone_statement(sources.engine_of(request), write=False) as conn:
        return principal if token_is_current(conn, principal.staff_id, version) else None


def coordinator(request: Request) -> Actor:
    """The logged-in coordinator, or LoginRequired."""
    principal = principal_of(request)
    if principal is None or principal.role != "coordinator" or not principal.district:
        raise LoginRequired(request.url.path)
    return principal


def log_in(request: Request, response: Response, staff: StaffPublic) -> tuple[str, datetime]:
    """Issue the account's access token and set it as the session cookie; the token and when
    it expires (the API also answers them in its body)."""
    settings = settings_of(request)
    token, expires = issue_access_token(
        secret=settings.signing_secret(),
        staff_id=staff.id,
        role=staff.role,
        district=staff.district,
        minutes=settings.access_token_minutes,
        version=staff.token_version,
    )
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=settings.access_token_minutes * 60,
        httponly=True,
        secure=secure_cookies(settings, request.url.hostname),
        samesite="lax",
        path="/",
    )
    return token, expires


def log_out(request: Request, response: Response) -> None:
    """End the session: every token of the account is refused from now on (all its browsers
    and API clients), and the cookie is cleared."""
    principal = principal_of(request)
    if principal is not None and principal.staff_id is not None:
        uow = sources.uow_factory(request, principal.actor)()
        staff_accounts.log_out_everywhere(uow, principal.staff_id)
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
    _ = gettext_for(language_of(request))
    form = Form(posted, _)
    username = form.text("username", max_length=64)
    password = form.text("password", max_length=128)
    form.values.pop("password", None)  # never echoed back
    if form.ok:
        settings = settings_of(request)
        client = request.client.host if request.client else "unknown"
        engine = sources.engine_of(request)
        result = ratelimit.staff_login(engine, settings, username, password, client)
        who = result.staff
        if result.busy:  # the form again, the password unchecked: try again in a moment
            form.fail(
                "password",
                _(
                    "Many log-ins are being checked right now, so yours was not. "
                    "Try again in a moment."
                ),
            )
            page = again({"values": form.values, "errors": form.errors})
            page.status_code = 503
            page.headers["Retry-After"] = str(result.retry_after)
            return page
        if result.throttled:
            raise LoginPaused(result.retry_after)  # a page saying when (api.web.errors)
        if who is None or who.role != role:
            form.fail("username", refusal)
        else:
            response = RedirectResponse(target, status_code=303)
            log_in(request, response, who)
            return response
    return again({"values": form.values, "errors": form.errors})


def logged_out(request: Request, login_path: str) -> Response:
    """A redirect to the log-in form at `login_path` that ends the session."""
    response = RedirectResponse(login_path, status_code=303)
    log_out(request, response)
    return response
