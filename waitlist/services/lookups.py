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
        select(model)
        .where(model.id == key)  # type: ignore[attr-defined]
        .with_for_update()
        .execution_options(populate_existing=True)  # the locked row wins over a cached one
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


def offer_and_application(
    uow: UnitOfWork, offer_id: int, field: str = "offer"
) -> tuple[Offer, Application]:
    """An offer and its application, both locked, the application first: every use case takes
    row locks in the order application, offer, group, so two of them never wait on each
    other in a circle."""
    application_id = uow.session.exec(
        select(Offer.application_id).where(Offer.id == offer_id)
    ).first()
    if application_id is None:
        raise NotFound(f"There is no offer {offer_id}.", field=field)
    app = application(uow, application_id)
    return offer(uow, offer_id, field), app


def leader(uow: UnitOfWork, leader_id: int, field: str = "leader") -> Leader:
    return _locked(uow, Leader, leader_id, "leader", field)


def travel_minutes(uow: UnitOfWork, origin: str, destination: str) -> int | None:
    if origin == destination:
        return 0
    row = uow.session.get(Travel, (origin, destination))
    return None if row is None else row.minutes
