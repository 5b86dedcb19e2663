"""Dependencies, in one place, as `Annotated` aliases the routes declare.

Dependencies that only compute are `async def`, so FastAPI does not hand each of them to
the thread pool; those that touch the database stay plain functions (run in the pool).

The app keeps no state of its own: the engine (a connection pool) and the settings hang on
`app.state`; identity comes from each request's token or cookie; counters live in the database.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Header, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.security import APIKeyCookie, HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Engine
from sqlmodel import Session

from api import ratelimit
from api.idempotency import Idempotent
from api.problems import ProblemError
from api.security import (
    SESSION_COOKIE,
    Principal,
    looks_like_parent_token,
    parent_identity,
    read_access_token,
    token_is_current,
)
from waitlist import bootstrap
from waitlist.bootstrap import UowFactory
from waitlist.config import Settings
from waitlist.services import lookups
from waitlist.storage.db import lone_statement
from waitlist.storage.uow import UnitOfWork

_UNAUTHORISED = {"WWW-Authenticate": "Bearer"}


async def get_settings_dep(request: Request) -> Settings:
    return request.app.state.settings  # type: ignore[no-any-return]


async def get_engine(request: Request) -> Engine:
    return request.app.state.engine  # type: ignore[no-any-return]


SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
EngineDep = Annotated[Engine, Depends(get_engine)]


def get_session(engine: EngineDep) -> Iterator[Session]:
    with Session(engine, expire_on_commit=False) as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return None


bearer_scheme = HTTPBearer(
    auto_error=False,
    description="Staff: the access token from /api/v1/auth/login. "
    "Parents: the status token they got when they applied.",
)
cookie_scheme = APIKeyCookie(
    name=SESSION_COOKIE, auto_error=False, description="Staff session cookie (web pages)."
)


async def get_principal(
    request: Request,
    _bearer_doc: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)],
    _cookie_doc: Annotated[str | None, Depends(cookie_scheme)],
) -> Principal | None:
    """The caller, or None when anonymous. A bad credential is a 401, never anonymous."""
    state = request.app.state
    token = _bearer(request)
    if token is not None and looks_like_parent_token(token):
        looked_up = getattr(request.state, _PARENT_LOOKUP, None)
        if looked_up is not None and looked_up[0] == token:  # by parent_rate_limit, just now
            application_id = looked_up[1]
        else:
            application_id = await run_in_threadpool(_resolve_parent, state.engine, token)
        if application_id is None:
            raise ProblemError(
                401, "This status link is not valid (any more).", headers=_UNAUTHORISED
            )
        return Principal(kind="parent", application_id=application_id)
    from_cookie = token is None
    token = token or request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    claims = read_access_token(token, keys=state.settings.verification_keys())
    if claims is None or not await run_in_threadpool(_staff_current, state.engine, *claims):
        raise ProblemError(
            401, "Your session has expired; please log in again.", headers=_UNAUTHORISED
        )
    principal = claims[0]
    if from_cookie and request.method not in {"GET", "HEAD", "OPTIONS"}:
        _same_origin(request)
    return principal


def _staff_current(engine: Engine, principal: Principal, version: int) -> bool:
    """Not logged out, deactivated or given a new password since the token was issued."""
    assert principal.staff_id is not None
    with lone_statement(engine, write=False) as conn:
        return token_is_current(conn, principal.staff_id, version)


def _resolve_parent(engine: Engine, token: str) -> int | None:
    with lone_statement(engine, write=False) as conn:
        return parent_identity.resolve(conn, token)


def _same_origin(request: Request) -> None:
    # The cookie is SameSite=Lax; an Origin from elsewhere on a write is refused as well.
    origin = request.headers.get("origin")
    if origin and origin.split("://", 1)[-1] != request.headers.get("host"):
        raise ProblemError(403, "Cross-site request refused.", code="cross_site")


OptionalPrincipal = Annotated[Principal | None, Depends(get_principal)]


async def _require_staff(principal: OptionalPrincipal) -> Principal:
    if principal is None:
        raise ProblemError(401, "Please log in.", headers=_UNAUTHORISED)
    if principal.kind != "staff":
        raise ProblemError(403, "This is for district staff only.")
    return principal


CurrentStaff = Annotated[Principal, Depends(_require_staff)]


async def _require_coordinator(staff: CurrentStaff) -> Principal:
    if staff.role != "coordinator":
        raise ProblemError(403, "This is for district coordinators only.")
    return staff


async def _require_manager(staff: CurrentStaff) -> Principal:
    if staff.role != "management":
        raise ProblemError(403, "This is for management only.")
    return staff


CurrentCoordinator = Annotated[Principal, Depends(_require_coordinator)]
CurrentManager = Annotated[Principal, Depends(_require_manager)]


def client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"


async def parent_rate_limit(request: Request) -> None:
    """Count the request per client IP and, when a parent token is sent, per token.
    Staff (a JWT as bearer or cookie) are not limited here: they logged in."""
    token = _bearer(request)
    if token is not None and not looks_like_parent_token(token):
        return
    if token is None and request.cookies.get(SESSION_COOKIE):
        return
    settings: Settings = request.app.state.settings
    limits = {f"ip:{client_ip(request)}": ratelimit.Limit(settings.rate_limit_ip_per_minute, 60)}
    if token is not None:
        limits[ratelimit.bucket_for_token(token)] = ratelimit.Limit(
            settings.rate_limit_token_per_minute, 60
        )
    if any(limit.requests > 0 for limit in limits.values()):
        engine = request.app.state.engine
        looked_up = await run_in_threadpool(_count_then_look_up, engine, limits, token)
        if token is not None:
            setattr(request.state, _PARENT_LOOKUP, (token, looked_up))


# A rate-limited parent request looks its token up on the same trip to the thread pool as the
# counting (after it: a refused request reads nothing); get_principal then uses the answer.
_PARENT_LOOKUP = "parent_lookup"


def _count_then_look_up(
    engine: Engine, limits: dict[str, ratelimit.Limit], token: str | None
) -> int | None:
    ratelimit.check(engine, limits)
    return _resolve_parent(engine, token) if token is not None else None


ParentRateLimit = Depends(parent_rate_limit)


async def _require_parent(principal: OptionalPrincipal) -> Principal:
    if principal is None:
        raise ProblemError(
            401, "Use the status link you got when you applied.", headers=_UNAUTHORISED
        )
    if principal.kind != "parent":
        raise ProblemError(403, "This is for the parent who applied.")
    return principal


CurrentParent = Annotated[Principal, Depends(_require_parent)]


def _actor(principal: Principal | None) -> str:
    return principal.actor if principal is not None else "anonymous"


def _uow(request: Request, actor: str, *, readonly: bool = False) -> UnitOfWork:
    state = request.app.state
    return bootstrap.unit_of_work(state.engine, state.settings, actor=actor, readonly=readonly)


async def get_uow_factory(request: Request, principal: OptionalPrincipal) -> UowFactory:
    state = request.app.state
    return bootstrap.uow_factory(state.engine, state.settings, actor=_actor(principal))


UowFactoryDep = Annotated[UowFactory, Depends(get_uow_factory)]
"""Units of work acting as the caller, made on demand: for a use case that decides itself
which transactions it opens (read-only or not)."""


async def get_uow(request: Request, principal: OptionalPrincipal) -> UnitOfWork:
    return _uow(request, _actor(principal))


async def get_read_uow(request: Request, principal: OptionalPrincipal) -> UnitOfWork:
    return _uow(request, _actor(principal), readonly=True)


async def get_new_parent_uow(request: Request) -> UnitOfWork:
    return _uow(request, "parent:new")


UowDep = Annotated[UnitOfWork, Depends(get_uow)]
"""The caller's unit of work, handed to one use case: it opens its transaction with it (and
again, when it runs once more after a deadlock)."""
ReadUowDep = Annotated[UnitOfWork, Depends(get_read_uow)]
"""The caller's read-only unit of work, for a view."""
NewParentUowDep = Annotated[UnitOfWork, Depends(get_new_parent_uow)]
"""The unit of work of a parent who applies: the audit log names them `parent:new` (they
have no application, and so no name, before it)."""

IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        description="Any unique string (a UUID); a retry with the same key and body is safe.",
        max_length=255,
    ),
]


def _idempotent(
    request: Request, engine: EngineDep, settings: SettingsDep, key: IdempotencyKey = None
) -> Idempotent:
    return Idempotent(request, engine, settings, key)


IdempotentDep = Annotated[Idempotent, Depends(_idempotent)]

MAX_OFFSET = 1_000_000


@dataclass(frozen=True)
class Page:
    """Which slice of a long list to answer: at most `limit` rows after the first `offset`."""

    limit: int
    offset: int


def paging(default_limit: int = 100) -> Callable[..., Page]:
    """The `limit` and `offset` query parameters of a list."""

    def page(
        limit: int = Query(default=default_limit, ge=1, le=500),
        offset: int = Query(default=0, ge=0, le=MAX_OFFSET),
    ) -> Page:
        return Page(limit, offset)

    return page


PageDep = Annotated[Page, Depends(paging())]
Id = Annotated[int, Path(ge=1, le=lookups.MAX_ID, description="A record id")]
