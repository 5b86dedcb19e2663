"""Errors as RFC 9457 problem details (`application/problem+json`), one shape for every error.

Domain errors map to HTTP statuses here and nowhere else:

| DomainError        | status | why                                                    |
|--------------------|--------|--------------------------------------------------------|
| NotFound           | 404    | the object does not exist (or is not yours to see)     |
| Forbidden          | 403    | authenticated, but not allowed                         |
| Conflict           | 409    | the request collides with the current state            |
| StalePreview       | 409    | seats changed since the preview: preview again         |
| NoSeatLeft         | 409    | the group filled up meanwhile                          |
| IllegalTransition  | 409    | the object is no longer in a state that allows it      |
| NotEligible        | 422    | the input breaks an eligibility rule                   |
| InvalidInput       | 422    | the input is malformed; `field` names it               |
"""

from __future__ import annotations

import asyncio
from http import HTTPStatus
from typing import Any

import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from waitlist.domain.errors import (
    Conflict,
    DomainError,
    Forbidden,
    IllegalTransition,
    InvalidInput,
    NoSeatLeft,
    NotEligible,
    NotFound,
    StalePreview,
)

PROBLEM_MEDIA_TYPE = "application/problem+json"
log = structlog.get_logger("api.problems")

STATUS_BY_ERROR: dict[type[DomainError], int] = {
    NotFound: 404,
    Forbidden: 403,
    Conflict: 409,
    StalePreview: 409,
    NoSeatLeft: 409,
    IllegalTransition: 409,
    NotEligible: 422,
    InvalidInput: 422,
}


class FieldProblem(BaseModel):
    field: str = Field(description="Dotted path of the input at fault, e.g. `body.languages.0`.")
    message: str


class Problem(BaseModel):
    """RFC 9457 problem details, extended with `code`, `field` and `errors`."""

    model_config = ConfigDict(extra="allow")

    type: str = Field(default="about:blank", description="URI reference naming the kind.")
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None
    code: str = Field(description="Stable machine-readable code, e.g. `no_seat_left`.")
    field: str | None = Field(default=None, description="The input at fault, if one.")
    errors: list[FieldProblem] = Field(default_factory=list)


class ProblemError(Exception):
    """Raised by the HTTP layer itself (auth, rate limits, idempotency) to answer a problem."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        code: str | None = None,
        field: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.code = code or _slug(HTTPStatus(status).phrase)
        self.field = field
        self.headers = headers


class RetryLater(ProblemError):
    """A request refused for now, saying in how many seconds to try again (`Retry-After`)."""

    def __init__(self, status: int, detail: str, *, code: str, retry_after: int) -> None:
        super().__init__(status, detail, code=code, headers={"Retry-After": str(retry_after)})
        self.retry_after = retry_after


class LoginPaused(RetryLater):
    """A log-in refused unchecked: this account or address is paused after wrong passwords.

    The answer is held back for up to PAUSED_ANSWER_SECONDS on the event loop (no thread, no
    database): a client guessing in a loop then sends about one attempt a second, not as many
    as the server can refuse."""

    def __init__(self, retry_after: int) -> None:
        detail = f"Too many failed log-ins; try again in {retry_after} seconds."
        super().__init__(429, detail, code="login_throttled", retry_after=retry_after)


PAUSED_ANSWER_SECONDS = 1.0


class LoginBusy(RetryLater):
    """A log-in refused unchecked and uncharged: this server process is already checking as
    many passwords as it takes at once (waitlist.services.logins.PasswordChecks)."""

    def __init__(self, retry_after: int) -> None:
        detail = f"Many log-ins are being checked right now; try again in {retry_after} seconds."
        super().__init__(503, detail, code="login_busy", retry_after=retry_after)


async def hold_back(exc: LoginPaused) -> None:
    await asyncio.sleep(min(PAUSED_ANSWER_SECONDS, exc.retry_after))


def _slug(text: str) -> str:
    return text.lower().replace(" ", "_").replace("-", "_")


def problem_response(
    request: Request,
    status: int,
    detail: str | None,
    *,
    code: str,
    field: str | None = None,
    errors: list[FieldProblem] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body = Problem(
        type=f"/problems/{code}",
        title=HTTPStatus(status).phrase,
        status=status,
        detail=detail,
        instance=request.url.path,
        code=code,
        field=field,
        errors=errors or [],
    )
    return JSONResponse(
        body.model_dump(mode="json", exclude_none=True),
        status_code=status,
        media_type=PROBLEM_MEDIA_TYPE,
        headers=headers,
    )


def status_for(exc: DomainError) -> int:
    for cls in type(exc).__mro__:
        if cls in STATUS_BY_ERROR:
            return STATUS_BY_ERROR[cls]
    return 422


def _loc_to_field(loc: tuple[Any, ...] | list[Any]) -> str:
    return ".".join(str(part) for part in loc)


def domain_problem(request: Request, exc: DomainError) -> JSONResponse:
    errors = [FieldProblem(field=exc.field, message=exc.message)] if exc.field else []
    return problem_response(
        request, status_for(exc), exc.message, code=exc.code, field=exc.field, errors=errors
    )


async def _domain_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DomainError)
    return domain_problem(request, exc)


async def _problem_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ProblemError)
    return problem_response(
        request, exc.status, exc.detail, code=exc.code, field=exc.field, headers=exc.headers
    )


async def _login_paused(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, LoginPaused)
    await hold_back(exc)
    return await _problem_error(request, exc)


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [
        FieldProblem(field=_loc_to_field(err.get("loc", ())), message=str(err.get("msg", "")))
        for err in exc.errors()
    ]
    first = errors[0] if errors else None
    detail = f"{first.field}: {first.message}" if first else "Invalid request."
    return problem_response(
        request,
        422,
        detail,
        code="invalid_input",
        field=first.field if first else None,
        errors=errors,
    )


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    status = exc.status_code
    detail = exc.detail if isinstance(exc.detail, str) else HTTPStatus(status).phrase
    return problem_response(
        request,
        status,
        detail,
        code=_slug(HTTPStatus(status).phrase),
        headers=getattr(exc, "headers", None),
    )


async def _unexpected_error(request: Request, exc: Exception) -> JSONResponse:
    # Never leak internals (or personal data inside them) to the caller; log the type only.
    log.error("unhandled_error", error=type(exc).__name__, path=request.url.path)
    return problem_response(
        request, 500, "Something went wrong on our side.", code="internal_error"
    )


def install_problem_handlers(app: FastAPI) -> None:
    app.add_exception_handler(DomainError, _domain_error)
    app.add_exception_handler(ProblemError, _problem_error)
    app.add_exception_handler(LoginPaused, _login_paused)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected_error)


PROBLEM_SCHEMA_REF = {"$ref": "#/components/schemas/Problem"}


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses=` entries for the error statuses a route can answer."""
    return {
        status: {
            "description": HTTPStatus(status).phrase,
            "content": {PROBLEM_MEDIA_TYPE: {"schema": PROBLEM_SCHEMA_REF}},
        }
        for status in statuses
    }


def document_problems(openapi: dict[str, Any]) -> dict[str, Any]:
    """Make every 4xx/5xx in the schema a problem+json response, and add the shared ones."""
    schemas = openapi.setdefault("components", {}).setdefault("schemas", {})
    schemas.update(
        {
            "Problem": Problem.model_json_schema(ref_template="#/components/schemas/{model}"),
            "FieldProblem": FieldProblem.model_json_schema(),
        }
    )
    schemas["Problem"].pop("$defs", None)
    for name in ("HTTPValidationError", "ValidationError"):
        schemas.pop(name, None)
    for path_item in openapi.get("paths", {}).values():
        for operation in path_item.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses = operation["responses"]
            for status, response in list(responses.items()):
                if status[:1] in {"4", "5"}:
                    responses[status] = {
                        "description": response.get("description") or status,
                        "content": {PROBLEM_MEDIA_TYPE: {"schema": PROBLEM_SCHEMA_REF}},
                    }
            # Any request can fail with malformed input, rate limiting or a server error; one
            # that reads credentials fails with 401 on a bad one and 403 on a cross-site write.
            shared = ("422", "429", "500") + (("401", "403") if operation.get("security") else ())
            for status in shared:
                responses.setdefault(
                    status,
                    {
                        "description": HTTPStatus(int(status)).phrase,
                        "content": {PROBLEM_MEDIA_TYPE: {"schema": PROBLEM_SCHEMA_REF}},
                    },
                )
    return openapi
