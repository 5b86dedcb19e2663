"""State changes that both applications and offers need, in one place (no cycle between them).

set_status(uow, app, target, action)   an application moves on its state machine, audited
record_status(uow, kind, row, ...)     a checked move stored and audited (applications, groups)
pending_offer(uow, app_id)             the application's open offer, locked, or None
close_offer(uow, offer, status, action) an offer ends other than by accepting: seat back,
                                       parent back to waiting with the queue date kept
take_seat(uow, group_id)               a seat held for a new offer (NoSeatLeft if full)
release_seat(uow, group_id)            the seat back (an offer closed, a parent left a group)

Seats are taken and released with one guarded UPDATE each, never read-modify-write:

    UPDATE programme_group SET taken = taken + 1
     WHERE id = :g AND taken < capacity AND status IN ('planned', 'recruiting')

The database evaluates the guard and the increment atomically (SQLite under its write lock,
PostgreSQL under the row lock the UPDATE takes), so no interleaving of callers can push
`taken` above `capacity` (rule 3). A zero row count means the group was full.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import update
from sqlmodel import col, select

from waitlist.domain.application import ApplicationStatus as S
from waitlist.domain.application import check_application_transition
from waitlist.domain.errors import IllegalTransition, NoSeatLeft
from waitlist.domain.group import OFFERABLE_STATUSES
from waitlist.domain.offer import OfferStatus, check_offer_transition
from waitlist.services import lookups
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
    release_seat(uow, offer.group_id)
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


def take_seat(uow: UnitOfWork, group_id: int) -> None:
    """Take one seat in a group still taking offers, or raise (nothing changed then).

    The guard also checks the status, so a seat can never be taken in a group that was
    cancelled or started by a concurrent transaction after the caller read it.
    """
    result = uow.session.execute(
        update(Group)
        .where(
            Group.id == group_id,  # type: ignore[arg-type]
            Group.taken < Group.capacity,  # type: ignore[arg-type]
            col(Group.status).in_([s.value for s in OFFERABLE_STATUSES]),
        )
        .values(taken=Group.taken + 1, updated_at=uow.now())
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        _refresh(uow, group_id)
        group = uow.session.get(Group, group_id)
        if group is not None and group.status not in OFFERABLE_STATUSES:
            raise IllegalTransition(f"A {group.status} group takes no new offers.", field="group")
        raise NoSeatLeft("The group has no free seat left.", field="group")
    _refresh(uow, group_id)


def release_seat(uow: UnitOfWork, group_id: int) -> None:
    uow.session.execute(
        update(Group)
        .where(Group.id == group_id, Group.taken > 0)  # type: ignore[arg-type]
        .values(taken=Group.taken - 1, updated_at=uow.now())
        .execution_options(synchronize_session=False)
    )
    _refresh(uow, group_id)


def _refresh(uow: UnitOfWork, group_id: int) -> None:
    # Only rows already loaded in this session need refreshing; others load fresh anyway.
    key = uow.session.identity_key(Group, group_id)
    cached = uow.session.identity_map.get(key)
    if cached is not None:
        uow.session.refresh(cached)
