"""Seats: taken and released with one guarded UPDATE each, never read-modify-write.

    UPDATE programme_group SET taken = taken + 1
     WHERE id = :g AND taken < capacity AND status IN ('planned', 'recruiting')

The database evaluates the guard and the increment atomically (SQLite under its write lock,
PostgreSQL under the row lock the UPDATE takes), so no interleaving of callers can push
`taken` above `capacity` (rule 3). A zero row count means the group was full.
"""

from __future__ import annotations

from sqlalchemy import update
from sqlmodel import col

from waitlist.domain.errors import IllegalTransition, NoSeatLeft
from waitlist.domain.group import OFFERABLE_STATUSES
from waitlist.storage.tables import Group
from waitlist.storage.uow import UnitOfWork


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
