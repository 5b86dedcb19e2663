"""The periodic job: expire overdue offers, then queue 'deadline near' notices.

    run(engine, settings, today=None) -> number of offers expired

Used by `waitlist offers expire` and the server's job loop. Repeated expiry pauses an
application (see waitlist.services.offers and docs/rules.md).
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy.engine import Engine

from waitlist.config import Settings
from waitlist.domain.policy import Rules
from waitlist.services import offers
from waitlist.storage.uow import UnitOfWork


def rules_from(settings: Settings) -> Rules:
    return Rules(
        offer_response_days=settings.offer_response_days,
        min_response_days=settings.min_response_days,
        max_expired_offers=settings.max_expired_offers,
        cross_district_after_weeks=settings.cross_district_after_weeks,
        home_priority=settings.home_priority,
        target_weeks=settings.target_weeks,
    )


def make_uow(
    engine: Engine,
    settings: Settings,
    *,
    actor: str = "system",
    today: date | None = None,
    readonly: bool = False,
) -> UnitOfWork:
    """A unit of work with the policy from settings; `today` pins the clock (tests, CLI)."""
    clock = None
    if today is not None:
        now = datetime.now(UTC)
        pinned = datetime.combine(today, now.timetz())
        clock = lambda: pinned  # noqa: E731
    return UnitOfWork(
        engine, actor=actor, rules=rules_from(settings), clock=clock, readonly=readonly
    )


def run(engine: Engine, settings: Settings, today: date | None = None) -> int:
    expired = offers.expire_offers(make_uow(engine, settings, actor="system:expiry", today=today))
    offers.send_deadline_notices(make_uow(engine, settings, actor="system:expiry", today=today))
    return len(expired)
