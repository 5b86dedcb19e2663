"""The periodic job: expire overdue offers, then queue 'deadline near' and 'group starts
soon' notices.

    run(make_uow) -> number of offers expired

Used by `waitlist offers expire` and the server's job loop, each wiring its units of work
through waitlist.bootstrap. Repeated expiry pauses an application (see
waitlist.services.offers and docs/rules.md).
"""

from __future__ import annotations

from collections.abc import Callable

from waitlist.services import offers, reminders
from waitlist.storage.uow import UnitOfWork


def run(make_uow: Callable[[], UnitOfWork]) -> int:
    expired = offers.expire_offers(make_uow())
    offers.send_deadline_notices(make_uow())
    reminders.send_start_notices(make_uow())
    return len(expired)
