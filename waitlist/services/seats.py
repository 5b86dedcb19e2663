"""Seats: taken and released with one guarded UPDATE each, never read-modify-write.

    UPDATE programme_group SET taken = taken + 1 WHERE id = :g AND taken < capacity

The database evaluates the guard and the increment atomically (SQLite under its write lock,
PostgreSQL under the row lock the UPDATE takes), so no interleaving of callers can push
`taken` above `capacity` (rule 3). A zero row count means the group was full.
"""

from __future__ import annotations

from sqlalchemy import update

from waitlist.domain.errors import NoSeatLeft
from waitlist.storage.tables import Group
from waitlist.storage.uow import UnitOfWork


def take_seat(uow: UnitOfWork, group_id: int) -> None:
    result = uow.session.execute(
        update(Group)
        .where(Group.id == group_id, Group.taken < Group.capacity)  # type: ignore[arg-type]
        .values(taken=Group.taken + 1, updated_at=uow.now())
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
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
