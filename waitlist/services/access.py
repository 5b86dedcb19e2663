"""Who may see and change what: object-level checks, in the service layer.

Every use case reached over HTTP runs one of these first, with the caller as an `Actor`:

- a parent reaches only their own application and the offers made to it;
- a coordinator reaches applications of their own district, and those offered a seat in a
  group of their district (a parent from elsewhere who got a cross-district offer); they change
  only groups and offers of their own district;
- management reaches no individual application, offer or audit record at all (aggregates only,
  through the metrics).

A refusal about an object the caller may not even know of is NotFound, not Forbidden, so ids
cannot be probed.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import exists
from sqlmodel import col, select

from waitlist.domain.errors import Forbidden, NotFound
from waitlist.domain.offer import OfferStatus
from waitlist.services import lookups
from waitlist.storage.tables import Application, Group, Offer, PlacementRound
from waitlist.storage.uow import UnitOfWork

COORDINATOR = "coordinator"
MANAGEMENT = "management"


@dataclass(frozen=True)
class Actor:
    """The caller of one request. `kind` is `staff` or `parent`."""

    kind: str
    role: str | None = None  # coordinator | management (staff only)
    district: str | None = None  # a coordinator's district
    staff_id: int | None = None
    application_id: int | None = None  # a parent's own application

    @property
    def actor(self) -> str:
        """A pseudonymous name for audit and logs: never a parent's personal data."""
        if self.kind == "parent":
            return f"parent:application/{self.application_id}"
        return f"{self.role}:{self.district or 'city'}:{self.staff_id}"

    @property
    def is_coordinator(self) -> bool:
        return self.kind == "staff" and self.role == COORDINATOR


def _hidden(what: str, key: int) -> NotFound:
    return NotFound(f"There is no {what} {key}.", field=what)


def require_coordinator_of(actor: Actor, district: str, field: str = "district") -> None:
    """Only a coordinator of `district` may act on it."""
    if not actor.is_coordinator:
        raise Forbidden("Only district coordinators may do this.", field=field)
    if actor.district != district:
        raise Forbidden(f"You coordinate {actor.district}, not {district}.", field=field)


def _offered_in(uow: UnitOfWork, application_id: int, district: str) -> bool:
    query = select(
        exists().where(
            col(Offer.application_id) == application_id,
            col(Offer.group_id) == col(Group.id),
            col(Group.district) == district,
            col(Offer.status).in_([OfferStatus.PENDING, OfferStatus.ACCEPTED]),
        )
    )
    return bool(uow.session.exec(query).one())


def may_see_application(uow: UnitOfWork, actor: Actor, app: Application) -> bool:
    if actor.kind == "parent":
        return app.id == actor.application_id
    if actor.is_coordinator and actor.district is not None and app.id is not None:
        return app.district == actor.district or _offered_in(uow, app.id, actor.district)
    return False


def check_application(uow: UnitOfWork, actor: Actor, application_id: int) -> Application:
    """The application, if the actor may see it (inside the caller's `with uow:`)."""
    app = lookups.by_id(uow, Application, application_id)
    if app is None or not may_see_application(uow, actor, app):
        raise _hidden("application", application_id)
    return app


def check_offer(uow: UnitOfWork, actor: Actor, offer_id: int, *, to_answer: bool) -> Offer:
    """The offer, if the actor may see it; `to_answer`: only its parent may answer it."""
    offer = lookups.by_id(uow, Offer, offer_id)
    if offer is None:
        raise _hidden("offer", offer_id)
    if actor.kind == "parent":
        if offer.application_id != actor.application_id:
            raise _hidden("offer", offer_id)
        return offer
    group = uow.session.get(Group, offer.group_id)
    app = uow.session.get(Application, offer.application_id)
    own = actor.is_coordinator and (
        (group is not None and group.district == actor.district)
        or (app is not None and app.district == actor.district)
    )
    if not own:
        raise _hidden("offer", offer_id)
    if to_answer:
        raise Forbidden("Only the parent who got the offer can answer it.", field="offer")
    return offer


def check_offer_district(uow: UnitOfWork, actor: Actor, offer_id: int) -> Offer:
    """The offer, if the actor coordinates the district of its group (to revoke it)."""
    offer = check_offer(uow, actor, offer_id, to_answer=False)
    group = uow.session.get(Group, offer.group_id)
    require_coordinator_of(actor, group.district if group else "", field="offer")
    return offer


def check_group_change(uow: UnitOfWork, actor: Actor, group_id: int) -> Group:
    """The group, if the actor coordinates its district."""
    group = lookups.by_id(uow, Group, group_id)
    if group is None:
        raise _hidden("group", group_id)
    require_coordinator_of(actor, group.district, field="group")
    return group


def require_staff(actor: Actor | None) -> Actor:
    if actor is None or actor.kind != "staff":
        raise Forbidden("This is for district staff only.")
    return actor


def require_individual_access(actor: Actor) -> None:
    """Individual records are for coordinators (and parents for their own), never management."""
    if actor.kind == "staff" and actor.role != COORDINATOR:
        raise Forbidden("Management sees aggregated figures only.")


def check_application_scope(uow: UnitOfWork, actor: Actor, application_id: int) -> None:
    """Run the application check in a read-only transaction of its own."""
    with uow:
        check_application(uow, actor, application_id)


def check_round(actor: Actor, row: PlacementRound | None, round_id: int) -> PlacementRound:
    """The placement round `round_id` (`row`, as the caller loaded it: None if there is none),
    if the actor coordinates the district it was run for."""
    if row is None or not actor.is_coordinator or row.district != actor.district:
        raise _hidden("round", round_id)
    return row
