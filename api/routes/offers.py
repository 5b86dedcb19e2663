"""Offers: the parent answers; the coordinator lists, makes, revokes and expires them."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response
from sqlmodel import Session

from api.deps import (
    CurrentCoordinator,
    CurrentParent,
    Id,
    IdempotentDep,
    OptionalPrincipal,
    PageDep,
    ReadUowDep,
    UowDep,
    parent_rate_limit,
)
from api.problems import ProblemError, problem_responses
from api.routes.schemas import DeclineRequest, ExpiredOffers, OffersPage
from waitlist.services import offers, views
from waitlist.storage.tables import OfferPublic

router = APIRouter(prefix="/api/v1/offers", tags=["offers"])
RATE_LIMITED = [Depends(parent_rate_limit)]  # parent endpoints: per client IP and per token


@router.post(
    "/{offer_id}/accept",
    dependencies=RATE_LIMITED,
    response_model=OfferPublic,
    responses=problem_responses(401, 403, 404, 409, 422, 429),
    summary="Accept my offer (before its respond-by date)",
)
def accept(
    offer_id: Id, parent_: CurrentParent, uow: UowDep, idempotent: IdempotentDep
) -> Response:
    attempt = idempotent.claim(f"accept:offer/{offer_id}:{parent_.actor}", None)
    if isinstance(attempt, Response):
        return attempt

    def then(session: Session, offer: OfferPublic) -> None:
        attempt.seal(session, offer, parent_.application_id)

    with attempt.running():
        accepted = offers.accept_offer(uow, offer_id, actor=parent_, then=then)
    return attempt.respond(accepted)


@router.post(
    "/{offer_id}/decline",
    dependencies=RATE_LIMITED,
    response_model=OfferPublic,
    responses=problem_responses(401, 403, 404, 409, 422, 429),
    summary="Decline my offer (optional reason); my queue date does not change",
)
def decline(
    offer_id: Id, parent_: CurrentParent, uow: UowDep, body: DeclineRequest | None = None
) -> OfferPublic:
    reason = body.reason.value if body is not None and body.reason is not None else None
    return offers.decline_offer(uow, offer_id, reason, actor=parent_)


@router.get(
    "/{offer_id}",
    dependencies=RATE_LIMITED,
    response_model=OfferPublic,
    responses=problem_responses(401, 403, 404),
    summary="One offer (its parent, or a coordinator of its district)",
)
def get_offer(offer_id: Id, principal: OptionalPrincipal, uow: ReadUowDep) -> OfferPublic:
    if principal is None:
        raise ProblemError(401, "Please log in.", headers={"WWW-Authenticate": "Bearer"})
    return views.get_offer(uow, principal, offer_id)


@router.get(
    "",
    response_model=OffersPage,
    responses=problem_responses(401, 403),
    summary="Offers in my district's groups or to my district's parents (coordinators)",
)
def list_offers(
    coordinator: CurrentCoordinator,
    uow: ReadUowDep,
    page: PageDep,
    status: str | None = Query(default=None, max_length=16),
    due_by: date | None = Query(
        default=None, description="Only pending offers due on or before this day"
    ),
) -> OffersPage:
    rows, count = views.list_offers(
        uow,
        coordinator,
        status=status,
        due_by=due_by,
        limit=page.limit,
        offset=page.offset,
    )
    return OffersPage(data=rows, count=count)


@router.post(
    "/expire",
    response_model=ExpiredOffers,
    responses=problem_responses(401, 403),
    summary="Expire every offer past its respond-by date now (also runs on a schedule)",
)
def expire(_coordinator: CurrentCoordinator, uow: UowDep) -> ExpiredOffers:
    return ExpiredOffers(expired=offers.expire_offers(uow))


@router.post(
    "/{offer_id}/revoke",
    response_model=OfferPublic,
    responses=problem_responses(401, 403, 404, 409),
    summary="Withdraw a pending offer in my district (the parent keeps their place)",
)
def revoke(offer_id: Id, coordinator: CurrentCoordinator, uow: UowDep) -> OfferPublic:
    return offers.revoke_offer(uow, offer_id, actor=coordinator)
