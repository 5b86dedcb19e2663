"""Rate limits on the parents' forms and on the pages behind a status link: the same database
counters and settings as the API's parent endpoints (per client address, and per status link),
so a link cannot be read, or guessed at, faster through the pages than through the API."""

from __future__ import annotations

from fastapi import Request

from api import ratelimit
from api.problems import ProblemError
from api.web import sources
from api.web.staff_session import settings_of


class TooManyRequests(Exception):
    def __init__(self, retry_after: str) -> None:
        super().__init__(retry_after)
        self.retry_after = retry_after


def check(request: Request, token: str | None = None) -> None:
    settings = settings_of(request)
    client = request.client.host if request.client else "unknown"
    limits = {f"ip:{client}": ratelimit.Limit(settings.rate_limit_ip_per_minute, 60)}
    if token:
        bucket = ratelimit.bucket_for_token(token)
        limits[bucket] = ratelimit.Limit(settings.rate_limit_token_per_minute, 60)
    try:
        ratelimit.check(sources.engine_of(request), limits)
    except ProblemError as exc:
        if exc.status != 429:
            raise
        raise TooManyRequests((exc.headers or {}).get("Retry-After", "60")) from None


def parent_form(request: Request) -> None:
    """Dependency for the parents' POST forms (plain: it counts in the database)."""
    check(request, request.path_params.get("token"))


def token_page(request: Request) -> None:
    """Dependency for the pages a status link opens (plain: it counts in the database)."""
    check(request, request.path_params.get("token"))
