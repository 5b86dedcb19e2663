"""Loading rows by key inside a unit of work, with NotFound errors that name the field."""

from __future__ import annotations

from typing import Any

from sqlmodel import select

from waitlist.domain.errors import NotFound
from waitlist.storage.tables import Application, District, Group, Leader, Offer, Programme, Travel
from waitlist.storage.uow import UnitOfWork

# Identifiers in a database fit a signed 32-bit integer; a larger (or non-positive) id names
# nothing, and PostgreSQL would refuse to even compare it.
MAX_ID = 2**31 - 1


def valid_id(key: Any) -> bool:
    """True if `key` can be a stored row's id (a positive 32-bit integer)."""
    return isinstance(key, int) and not isinstance(key, bool) and 0 < key <= MAX_ID


def _slug_row(uow: UnitOfWork, model: type, slug: str):  # type: ignore[no-untyped-def]
    # A slug that is not text names nothing, nor does one with a NUL, which PostgreSQL would
    # refuse in the query itself (other text that names no row finds none).
    if not isinstance(slug, str) or "\x00" in slug:
        return None
    row = uow.session.get(model, slug)
    if row is not None:
        # The session's identity map holds rows weakly: kept here, the next lookup of the same
        # slug in this session is answered from it instead of the database (it still reloads
        # a row expired by a commit or rollback).
        uow.session.info.setdefault("reference_rows", {})[(model, slug)] = row
    return row


def district(uow: UnitOfWork, slug: str, field: str = "district") -> District:
    row = _slug_row(uow, District, slug)
    if row is None:
        raise NotFound(f"Unknown district {slug!r}.", field=field)
    return row


def programme(uow: UnitOfWork, slug: str, field: str = "programme") -> Programme:
    row = _slug_row(uow, Programme, slug)
    if row is None:
        raise NotFound(f"Unknown programme {slug!r}.", field=field)
    return row


def check_id(key: int, what: str, field: str) -> None:
    """NotFound for an id no row can have (zero, negative, beyond 32 bits)."""
    if not valid_id(key):
        raise NotFound(f"There is no {what} {key}.", field=field)


def _locked(uow: UnitOfWork, model: type, key: int, what: str, field: str):  # type: ignore[no-untyped-def]
    check_id(key, what, field)
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
    check_id(offer_id, "offer", field)
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


def by_id(uow: UnitOfWork, model: type, key: int):  # type: ignore[no-untyped-def]
    """The row with this id, or None (also for an id no row can have)."""
    return uow.session.get(model, key) if valid_id(key) else None


def application_read(uow: UnitOfWork, app_id: int) -> Application:
    """The application, read without a lock (for answers, not changes), or NotFound."""
    app: Application | None = by_id(uow, Application, app_id)
    if app is None:
        raise NotFound(f"There is no application {app_id}.", field="application")
    return app
