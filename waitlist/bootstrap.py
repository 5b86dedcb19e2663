"""The one place that wires the product: settings → engine → policy → unit-of-work factory.

Every entry point goes through here: the API and the pages (`api/deps.py`,
`api/web/sources.py`), the command line (`waitlist/cli/`), the background jobs
(`api/jobs.py`) and the demo seed (`waitlist/demo.py`). Use cases in `waitlist/services`
receive a unit of work (or a factory of them) and never read settings themselves.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Protocol

from sqlalchemy.engine import Engine

from waitlist.config import Settings
from waitlist.domain.login_throttle import Backoff
from waitlist.domain.policy import Rules
from waitlist.storage.db import make_engine
from waitlist.storage.uow import UnitOfWork

if TYPE_CHECKING:
    from waitlist.services.logins import LoginPolicy
    from waitlist.services.outbox import NoticeSender

# The log-in policy and the notice senders (SMTP, SMS over HTTP, calendar files) are imported
# by the functions that make them: a command that sends nothing (`waitlist seed --demo`, most
# of the command line) does not load them.


class UowFactory(Protocol):
    """Makes a fresh unit of work; each use case opens one per transaction."""

    def __call__(
        self, *, readonly: bool = False, actor_override: str | None = None
    ) -> UnitOfWork: ...


@lru_cache(maxsize=8)
def engine_for(url: str) -> Engine:
    """One connection pool per database URL for the life of the process."""
    return make_engine(url)


def rules_from(settings: Settings) -> Rules:
    """The placement and offer policy, as plain values for the domain: each rule the setting
    of the same name (WAITLIST_<NAME>), where there is one."""
    configured = {f.name for f in fields(Rules)} & set(type(settings).model_fields)
    return Rules(**{name: getattr(settings, name) for name in configured})


def login_policy(settings: Settings) -> LoginPolicy:
    """The log-in throttle's pauses (one policy for every login route)."""
    from waitlist.services.logins import LoginPolicy

    pauses = {
        "base_seconds": settings.login_backoff_seconds,
        "max_seconds": settings.login_backoff_max_seconds,
    }
    return LoginPolicy(
        account=Backoff(free=settings.login_free_failures, **pauses),
        wide=Backoff(free=settings.login_address_free_failures, **pauses),
    )


def pinned_clock(today: date | None) -> Callable[[], datetime] | None:
    """A clock that says `today` (at the current time of day), for the CLI's --today and tests."""
    if today is None:
        return None
    pinned = datetime.combine(today, datetime.now(UTC).timetz())
    return lambda: pinned


def unit_of_work(
    engine: Engine, settings: Settings, *, actor: str = "system", readonly: bool = False
) -> UnitOfWork:
    """One unit of work on `engine` with the policy from `settings`, acting as `actor` (an
    API request's: `api/deps.py`)."""
    return UnitOfWork(engine, actor=actor, rules=rules_from(settings), readonly=readonly)


def uow_factory(
    engine: Engine,
    settings: Settings,
    *,
    actor: str = "system",
    today: date | None = None,
    clock: Callable[[], datetime] | None = None,
) -> UowFactory:
    """Units of work on `engine` with the policy from `settings`, acting as `actor`."""
    rules = rules_from(settings)
    now = clock or pinned_clock(today)

    def make(*, readonly: bool = False, actor_override: str | None = None) -> UnitOfWork:
        return UnitOfWork(
            engine, actor=actor_override or actor, rules=rules, clock=now, readonly=readonly
        )

    return make


def notice_sender(settings: Settings) -> NoticeSender:
    """The notice sender the settings ask for: e-mail over SMTP (`WAITLIST_SMTP_URL`) and SMS
    (`WAITLIST_SMS_URL`), or the demo's local outbox view when neither is set. A bad setting
    is an InvalidInput naming it."""
    from waitlist.services.delivery import ChannelSender
    from waitlist.services.mail import SmtpSender, parse_smtp_url
    from waitlist.services.outbox import DemoSender
    from waitlist.services.sms import ElksGateway, SmsSender

    if not settings.smtp_url and not settings.sms_url:
        return DemoSender()
    mail = None
    if settings.smtp_url:
        mail = SmtpSender(parse_smtp_url(settings.smtp_url), settings.mail_from)
    sms = None
    if settings.sms_url:
        sms = SmsSender(ElksGateway(settings.sms_url, settings.sms_key, settings.sms_from))
    return ChannelSender(mail, sms)
