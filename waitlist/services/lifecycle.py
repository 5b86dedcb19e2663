"""State changes that both applications and offers need, in one place (no cycle between them).

set_status(uow, app, target, action)   an application moves on its state machine, audited
record_status(uow, kind, row, ...)     a checked move stored and audited (applications, groups)
pending_offer(uow, app_id)             the application's open offer, locked, or None
close_offer(uow, offer, status, action) an offer ends other than by accepting: seat back,
                                       parent back to waiting with the queue date kept
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from sqlmodel import select

from waitlist.domain.application import ApplicationStatus as S
from waitlist.domain.application import check_application_transition
from waitlist.domain.offer import OfferStatus, check_offer_transition
from waitlist.services import lookups, seats
from waitlist.services.snapshots import application_state, offer_state
from waitlist.storage.tables import Application, Group, Offer
from waitlist.storage.uow import UnitOfWork

Row = TypeVar("Row", Application, Group)


def set_status(uow: UnitOfWork, app: Application, target: str, action: str) -> None:
    """Move an application through its state machine and record the change."""
    before = application_state(app)
    check_application_transition(app.status, target)
    record_status(uow, "application", app, target, action, before, application_state)


def record_status(
    uow: UnitOfWork,
    kind: str,
    row: Row,
    target: str,
    action: str,
    before: dict[str, Any],
    state: Callable[[Row], dict[str, Any]],
) -> None:
    """Give an application or group the status its state machine allowed (checked by the
    caller) and record the change, `before` and `state(row)` after, in the audit log."""
    row.status = target
    row.updated_at = uow.now()
    uow.session.add(row)
    uow.record_row(kind, row, action, before=before, after=state(row))


def pending_offer(uow: UnitOfWork, app_id: int) -> Offer | None:
    return uow.session.exec(
        select(Offer)
        .where(Offer.application_id == app_id, Offer.status == OfferStatus.PENDING)
        .with_for_update()
    ).first()


def close_offer(
    uow: UnitOfWork,
    offer: Offer,
    status: OfferStatus,
    action: str,
    *,
    application: Application | None = None,
    decline_reason: str | None = None,
) -> None:
    """End a pending offer other than by accepting: the seat goes back, the parent to waiting
    (their queue date untouched)."""
    before = offer_state(offer)
    check_offer_transition(offer.status, status)
    offer.status = status
    offer.answered_at = uow.now()
    offer.decline_reason = decline_reason
    uow.session.add(offer)
    seats.release_seat(uow, offer.group_id)
    group = uow.session.get(Group, offer.group_id)
    uow.record(
        "offer",
        offer.id,
        action,
        before=before,
        after=offer_state(offer),
        district=group.district if group else None,
        programme=group.programme if group else None,
    )
    app = application or lookups.application(uow, offer.application_id)
    if app.status == S.OFFERED:
        set_status(uow, app, S.WAITING, f"offer_{action}")
