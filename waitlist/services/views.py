"""Read models for the API and pages, each scoped by the caller (`access.Actor`).

parent_status(uow, actor)            -> ParentStatus: standing + pending offer + notices
export_data(uow, actor)              -> everything kept about the parent's application
list_applications(uow, actor, ...)   -> a coordinator's applications (own district, or
                                        offered a seat there)
list_offers(uow, actor, ...)         -> a coordinator's offers (groups or applicants there)
list_groups(uow, ...)                -> groups (not personal: any staff member)
audit_events(uow, actor, ...)        -> a coordinator's district audit trail
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import and_, func, or_
from sqlmodel import col, select

from waitlist.domain.application import ApplicationStatus
from waitlist.domain.errors import Forbidden
from waitlist.domain.offer import OfferStatus
from waitlist.services import access, link_notice, lookups, queues
from waitlist.services.access import Actor
from waitlist.services.applications import to_public as application_public
from waitlist.services.groups import to_public as group_public
from waitlist.services.offers import to_public as offer_public
from waitlist.services.outbox import without_secrets
from waitlist.storage.notices import SentNotice
from waitlist.storage.tables import (
    Application,
    ApplicationPublic,
    Event,
    EventPublic,
    Group,
    GroupPublic,
    Offer,
    OfferPublic,
    Outbox,
    PlacementRound,
    PlacementRoundPublic,
)
from waitlist.storage.uow import UnitOfWork

MAX_PAGE = 500


@dataclass(frozen=True)
class ParentStatus:
    application: ApplicationPublic
    standing: queues.Standing
    pending_offer: OfferPublic | None
    pending_group: GroupPublic | None
    # The contact a notice could not be delivered to for good, masked (link_notice).
    unreachable: str | None = None


def _own_application(actor: Actor) -> int:
    if actor.kind != "parent" or actor.application_id is None:
        raise Forbidden("This is for the parent who applied.", field="application")
    return actor.application_id


def _notices(uow: UnitOfWork, application_id: int) -> list[dict[str, Any]]:
    rows = uow.session.exec(
        select(Outbox)
        .where(Outbox.recipient == f"application:{application_id}")
        .order_by(col(Outbox.id).desc())
        .limit(50)
    ).all()
    return [
        {
            "kind": r.kind,
            "created_at": r.created_at,
            "sent": r.sent_at is not None,
            **without_secrets(r.payload or {}),
        }
        for r in rows
    ]


def parent_status(uow: UnitOfWork, actor: Actor, *, elsewhere: bool = False) -> ParentStatus:
    """The parent's own status; the standing in other districts only with `elsewhere` (it
    costs a few queries per reachable district, so the status itself leaves it out)."""
    app_id = _own_application(actor)
    with uow:
        app = access.check_application(uow, actor, app_id)
        standing = queues._standing(uow, app, elsewhere_too=elsewhere)
        offer = None
        if app.status == ApplicationStatus.OFFERED:  # a pending offer exists only then
            offer = uow.session.exec(
                select(Offer).where(
                    Offer.application_id == app_id, Offer.status == OfferStatus.PENDING
                )
            ).first()
        group = uow.session.get(Group, offer.group_id) if offer is not None else None
        return ParentStatus(
            application=application_public(app),
            standing=standing,
            pending_offer=offer_public(offer) if offer is not None else None,
            pending_group=group_public(uow, group) if group is not None else None,
            unreachable=link_notice.unreachable_of(app),
        )


def parent_outlook(uow: UnitOfWork, actor: Actor) -> queues.Standing:
    app_id = _own_application(actor)
    with uow:
        app = access.check_application(uow, actor, app_id)
        return queues._standing(uow, app, elsewhere_too=True)


def export_data(uow: UnitOfWork, actor: Actor) -> dict[str, Any]:
    """Everything kept about the parent's application, for download (GDPR art. 15)."""
    app_id = _own_application(actor)
    with uow:
        app = access.check_application(uow, actor, app_id)
        offers = uow.session.exec(
            select(Offer).where(Offer.application_id == app_id).order_by(col(Offer.id))
        ).all()
        offer_ids = [str(o.id) for o in offers]
        events = uow.session.exec(
            select(Event)
            .where(
                or_(
                    and_(col(Event.entity) == "application", col(Event.entity_id) == str(app_id)),
                    and_(col(Event.entity) == "offer", col(Event.entity_id).in_(offer_ids)),
                )
            )
            .order_by(col(Event.id))
        ).all()
        return {
            "application": application_public(app).model_dump(mode="json")
            | {"contact": app.contact, "created_at": app.created_at.isoformat()},
            "offers": [offer_public(o).model_dump(mode="json") for o in offers],
            "history": [
                EventPublic.model_validate(e, from_attributes=True).model_dump(mode="json")
                for e in events
            ],
            "notices": [
                {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in n.items()}
                for n in _notices(uow, app_id)
            ],
        }


def _coordinator_district(actor: Actor) -> str:
    access.require_individual_access(actor)
    if not actor.is_coordinator or actor.district is None:
        raise Forbidden("Only district coordinators see individual applications.")
    return actor.district


def _page(limit: int, offset: int) -> tuple[int, int]:
    return max(1, min(limit, MAX_PAGE)), max(0, offset)


def list_applications(
    uow: UnitOfWork,
    actor: Actor,
    *,
    programme: str | None = None,
    status: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> tuple[list[ApplicationPublic], int]:
    district = _coordinator_district(actor)
    limit, offset = _page(limit, offset)
    offered_here = (
        select(Offer.application_id)
        .join(Group, col(Group.id) == col(Offer.group_id))
        .where(
            Group.district == district,
            col(Offer.status).in_([OfferStatus.PENDING, OfferStatus.ACCEPTED]),
        )
    )
    where: list[Any] = [
        or_(col(Application.district) == district, col(Application.id).in_(offered_here))
    ]
    if programme:
        where.append(col(Application.programme) == programme)
    if status:
        where.append(col(Application.status) == status)
    with uow:
        total = uow.session.exec(select(func.count()).select_from(Application).where(*where)).one()
        rows = uow.session.exec(
            select(Application)
            .where(*where)
            .order_by(col(Application.queue_date), col(Application.lottery), col(Application.id))
            .offset(offset)
            .limit(limit)
        ).all()
        return [application_public(a) for a in rows], int(total)


def get_application(uow: UnitOfWork, actor: Actor, application_id: int) -> ApplicationPublic:
    access.require_individual_access(actor)
    with uow:
        return application_public(access.check_application(uow, actor, application_id))


def get_offer(uow: UnitOfWork, actor: Actor, offer_id: int) -> OfferPublic:
    access.require_individual_access(actor)
    with uow:
        return offer_public(access.check_offer(uow, actor, offer_id, to_answer=False))


def list_offers(
    uow: UnitOfWork,
    actor: Actor,
    *,
    status: str | None = None,
    due_by: date | None = None,
    limit: int = 100,
    offset: int = 0,
) -> tuple[list[OfferPublic], int]:
    """Offers in the coordinator's groups or to their district's parents; `due_by` lists the
    pending ones whose answer deadline is on or before that day (offers about to expire)."""
    district = _coordinator_district(actor)
    limit, offset = _page(limit, offset)
    where: list[Any] = [
        or_(
            col(Offer.group_id).in_(select(Group.id).where(Group.district == district)),
            col(Offer.application_id).in_(
                select(Application.id).where(Application.district == district)
            ),
        )
    ]
    if status:
        where.append(Offer.status == status)
    if due_by is not None:
        where += [Offer.status == OfferStatus.PENDING, Offer.respond_by <= due_by]
    with uow:
        total = uow.session.exec(select(func.count()).select_from(Offer).where(*where)).one()
        rows = uow.session.exec(
            select(Offer)
            .where(*where)
            .order_by(col(Offer.respond_by), col(Offer.id))
            .offset(offset)
            .limit(limit)
        ).all()
        return [offer_public(o) for o in rows], int(total)


def list_groups(
    uow: UnitOfWork,
    *,
    district: str | None = None,
    programme: str | None = None,
    status: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> tuple[list[GroupPublic], int]:
    limit, offset = _page(limit, offset)
    where: list[Any] = []
    if district:
        where.append(Group.district == district)
    if programme:
        where.append(Group.programme == programme)
    if status:
        where.append(Group.status == status)
    with uow:
        total = uow.session.exec(select(func.count()).select_from(Group).where(*where)).one()
        rows = uow.session.exec(
            select(Group)
            .where(*where)
            .order_by(col(Group.start), col(Group.id))
            .offset(offset)
            .limit(limit)
        ).all()
        return [group_public(uow, g) for g in rows], int(total)


def get_group(uow: UnitOfWork, group_id: int) -> GroupPublic:
    with uow:
        return group_public(uow, lookups.group(uow, group_id))


def audit_events(
    uow: UnitOfWork,
    actor: Actor,
    *,
    entity: str | None = None,
    entity_id: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> tuple[list[EventPublic], int]:
    """The audit trail of the coordinator's district: who, when, what, before -> after."""
    district = _coordinator_district(actor)
    limit, offset = _page(limit, offset)
    where: list[Any] = [Event.district == district]
    if entity:
        where.append(Event.entity == entity)
    if entity_id:
        where.append(Event.entity_id == entity_id)
    with uow:
        total = uow.session.exec(select(func.count()).select_from(Event).where(*where)).one()
        rows = uow.session.exec(
            select(Event).where(*where).order_by(col(Event.id).desc()).offset(offset).limit(limit)
        ).all()
        return [EventPublic.model_validate(e, from_attributes=True) for e in rows], int(total)


def sent_notices(uow: UnitOfWork, actor: Actor, *, limit: int = 50) -> list[SentNotice]:
    """The demo's local outbox view, for the parent it concerns."""
    app_id = _own_application(actor)
    with uow:
        return list(
            uow.session.exec(
                select(SentNotice)
                .where(SentNotice.recipient == f"application:{app_id}")
                .order_by(col(SentNotice.id).desc())
                .limit(max(1, min(limit, MAX_PAGE)))
            ).all()
        )


def list_rounds(
    uow: UnitOfWork, actor: Actor, *, limit: int = 50, offset: int = 0
) -> tuple[list[PlacementRoundPublic], int]:
    """The placement rounds run for the coordinator's district, newest first."""
    district = _coordinator_district(actor)
    limit, offset = _page(limit, offset)
    where = [PlacementRound.district == district]
    with uow:
        total = uow.session.exec(
            select(func.count()).select_from(PlacementRound).where(*where)
        ).one()
        rows = uow.session.exec(
            select(PlacementRound)
            .where(*where)
            .order_by(col(PlacementRound.id).desc())
            .offset(offset)
            .limit(limit)
        ).all()
        return [PlacementRoundPublic.model_validate(r, from_attributes=True) for r in rows], int(
            total
        )


def get_round(uow: UnitOfWork, actor: Actor, round_id: int) -> PlacementRoundPublic:
    with uow:
        row = access.check_round(actor, lookups.by_id(uow, PlacementRound, round_id), round_id)
        return PlacementRoundPublic.model_validate(row, from_attributes=True)
