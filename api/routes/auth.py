"""Staff log-in and log-out: a short-lived bearer token and the same token as a session cookie."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from api import ratelimit
from api.deps import EngineDep, OptionalPrincipal, SettingsDep, client_ip
from api.problems import LoginBusy, LoginPaused, ProblemError, problem_responses
from api.security import SESSION_COOKIE, read_access_token
from api.web.staff_session import log_in
from waitlist.config import secure_cookies
from waitlist.services import staff as staff_accounts
from waitlist.storage.uow import UnitOfWork

router = APIRouter(prefix="/api/v1/auth", tags=["auth"])


class LoginRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    # No control characters: PostgreSQL refuses a NUL in a query (422, not a 500).
    username: str = Field(min_length=1, max_length=64, pattern=r"^[^\x00-\x1f\x7f]+$")
    password: str = Field(min_length=1, max_length=128)


class TokenPublic(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_at: datetime
    role: str
    district: str | None


class PrincipalPublic(BaseModel):
    kind: str
    role: str | None
    district: str | None
    application_id: int | None


class LoggedOut(BaseModel):
    logged_out: bool = True


@router.post(
    "/login",
    response_model=TokenPublic,
    responses=problem_responses(401, 422, 429, 503),
    summary="Log in as district staff",
)
def login(
    body: LoginRequest,
    request: Request,
    engine: EngineDep,
    settings: SettingsDep,
    response: Response,
) -> TokenPublic:
    # Throttled per account and per address, with growing pauses (waitlist.services.logins).
    result = ratelimit.staff_login(
        engine, settings, body.username, body.password, client_ip(request)
    )
    if result.busy:
        raise LoginBusy(result.retry_after)
    if result.throttled:
        raise LoginPaused(result.retry_after)
    staff = result.staff
    if staff is None:
        raise ProblemError(401, "Wrong username or password.", code="login_failed")
    token, expires = log_in(request, response, staff)
    return TokenPublic(
        access_token=token, expires_at=expires, role=staff.role, district=staff.district
    )


@router.post(
    "/logout",
    response_model=LoggedOut,
    summary="Log out: every token of the account stops working; clears the session cookie",
)
def logout(
    request: Request, response: Response, engine: EngineDep, settings: SettingsDep
) -> LoggedOut:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    token = value.strip() if scheme.lower() == "bearer" else request.cookies.get(SESSION_COOKIE)
    claims = read_access_token(token, keys=settings.verification_keys()) if token else None
    if claims is not None and claims[0].staff_id is not None:
        uow = UnitOfWork(engine, actor=claims[0].actor)
        staff_accounts.log_out_everywhere(uow, claims[0].staff_id)
    response.delete_cookie(
        SESSION_COOKIE,
        httponly=True,
        secure=secure_cookies(settings, request.url.hostname),
        samesite="lax",
        path="/",
    )
    return LoggedOut()


@router.get(
    "/me",
    response_model=PrincipalPublic,
    responses=problem_responses(401),
    summary="Who am I (staff or parent)",
)
def me(principal: OptionalPrincipal) -> PrincipalPublic:
    if principal is None:
        raise ProblemError(401, "Not logged in.", headers={"WWW-Authenticate": "Bearer"})
    return PrincipalPublic(
        kind=principal.kind,
        role=principal.role,
        district=principal.district,
        application_id=principal.application_id,
    )
