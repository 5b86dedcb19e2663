"""Groups: any staff member reads them; a coordinator creates and runs their district's."""

from __future__ import annotations

from fastapi import APIRouter, Query

from api.deps import MAX_OFFSET, CurrentCoordinator, CurrentStaff, Id, UowDep
from api.problems import problem_responses
from api.routes.schemas import CancelRequest, GroupCreateRequest, GroupsPage, MakeOfferRequest
from waitlist.services import access, groups, offers, views
from waitlist.storage.tables import GroupPublic, OfferPublic

router = APIRouter(prefix="/api/v1/groups", tags=["groups"])


@router.get(
    "",
    response_model=GroupsPage,
    responses=problem_responses(401, 403),
    summary="Groups (filter by district, programme, status)",
)
def list_groups(
    _staff: CurrentStaff,
    uow: UowDep,
    district: str | None = Query(default=None, max_length=64),
    programme: str | None = Query(default=None, max_length=64),
    status: str | None = Query(default=None, max_length=16),
    limit: int = Query(default=100, ge=1, le=500),
    offset: int = Query(default=0, ge=0, le=MAX_OFFSET),
) -> GroupsPage:
    rows, count = views.list_groups(
        uow(readonly=True),
        district=district,
        programme=programme,
        status=status,
        limit=limit,
        offset=offset,
    )
    return GroupsPage(data=rows, count=count)


@router.post(
    "",
    status_code=201,
    response_model=GroupPublic,
    responses=problem_responses(401, 403, 404, 409, 422),
    summary="Create a group in my district",
)
def create_group(
    body: GroupCreateRequest, coordinator: CurrentCoordinator, uow: UowDep
) -> GroupPublic:
    access.require_coordinator_of(coordinator, body.district)
    command = body.model_dump(exclude={"planned"}) | {
        "status": "planned" if body.planned else "recruiting"
    }
    return groups.create_group(uow(), command)


@router.get(
    "/{group_id}",
    response_model=GroupPublic,
    responses=problem_responses(401, 403, 404),
    summary="One group",
)
def get_group(group_id: Id, _staff: CurrentStaff, uow: UowDep) -> GroupPublic:
    return views.get_group(uow(readonly=True), group_id)


def _checked(uow: UowDep, coordinator: CurrentCoordinator, group_id: Id) -> None:
    with uow(readonly=True) as check:
        access.check_group_change(check, coordinator, group_id)


@router.post(
    "/{group_id}/open",
    response_model=GroupPublic,
    responses=problem_responses(401, 403, 404, 409),
    summary="Open a planned group for recruiting",
)
def open_group(group_id: Id, coordinator: CurrentCoordinator, uow: UowDep) -> GroupPublic:
    _checked(uow, coordinator, group_id)
    return groups.open_group(uow(), group_id)


@router.post(
    "/{group_id}/start",
    response_model=GroupPublic,
    responses=problem_responses(401, 403, 404, 409),
    summary="Start a group (needs its minimum size enrolled)",
)
def start_group(group_id: Id, coordinator: CurrentCoordinator, uow: UowDep) -> GroupPublic:
    _checked(uow, coordinator, group_id)
    return groups.start_group(uow(), group_id)


@router.post(
    "/{group_id}/cancel",
    response_model=GroupPublic,
    responses=problem_responses(401, 403, 404, 409, 422),
    summary="Cancel a group: its parents return to the queue with their queue date",
)
def cancel_group(
    group_id: Id, coordinator: CurrentCoordinator, uow: UowDep, body: CancelRequest | None = None
) -> GroupPublic:
    _checked(uow, coordinator, group_id)
    return groups.cancel_group(uow(), group_id, body.reason if body else "")


@router.post(
    "/{group_id}/complete",
    response_model=GroupPublic,
    responses=problem_responses(401, 403, 404, 409),
    summary="Mark a running group completed",
)
def complete_group(group_id: Id, coordinator: CurrentCoordinator, uow: UowDep) -> GroupPublic:
    _checked(uow, coordinator, group_id)
    return groups.complete_group(uow(), group_id)


@router.post(
    "/{group_id}/offers",
    status_code=201,
    response_model=OfferPublic,
    responses=problem_responses(401, 403, 404, 409, 422),
    summary="Offer a seat in my group to one waiting application of my district (with a reason)",
)
def make_offer(
    group_id: Id, body: MakeOfferRequest, coordinator: CurrentCoordinator, uow: UowDep
) -> OfferPublic:
    return offers.offer_directly(
        uow(), coordinator, body.application_id, group_id, reason=body.reason
    )
