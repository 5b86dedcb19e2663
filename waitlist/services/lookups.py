"""Loading rows by key inside a unit of work, with NotFound errors that name the field."""

from __future__ import annotations

from sqlmodel import select

from waitlist.domain.errors import NotFound
from waitlist.storage.tables import Application, District, Group, Leader, Offer, Programme, Travel
from waitlist.storage.uow import UnitOfWork


def district(uow: UnitOfWork, slug: str, field: str = "district") -> District:
    row = uow.session.get(District, slug)
    if row is None:
        raise NotFound(f"Unknown district {slug!r}.", field=field)
    return row


def programme(uow: UnitOfWork, slug: str, field: str = "programme") -> Programme:
    row = uow.session.get(Programme, slug)
    if row is None:
        raise NotFound(f"Unknown programme {slug!r}.", field=field)
    return row


def _locked(uow: UnitOfWork, model: type, key: int, what: str, field: str):  # type: ignore[no-untyped-def]
    row = uow.session.exec(
        select(model).where(model.id == key).with_for_update()  # type: ignore[attr-defined]
    ).first()
    if row is None:
        raise NotFound(f"There is no {what} {key}.", field=field)
    return row


def application(uow: UnitOfWork, app_id: int, field: str = "application") -> Application:
    """The application, locked for update (PostgreSQL; SQLite holds the write lock already)."""
    return _locked(uow, Application, app_id, "application", field)


def group(uow: UnitOfWork, group_id: int, field: str = "group") -> Group:
    return _locked(uow, Group, group_id, "group", field)


def offer(uow: UnitOfWork, offer_id: int, field: str = "offer") -> Offer:
    return _locked(uow, Offer, offer_id, "offer", field)


def leader(uow: UnitOfWork, leader_id: int, field: str = "leader") -> Leader:
    return _locked(uow, Leader, leader_id, "leader", field)


def travel_minutes(uow: UnitOfWork, origin: str, destination: str) -> int | None:
    if origin == destination:
        return 0
    row = uow.session.get(Travel, (origin, destination))
    return None if row is None else row.minutes
