"""Groups: any staff member reads them; a coordinator creates and runs their district's."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Query

from api.deps import CurrentCoordinator, CurrentStaff, Id, PageDep, ReadUowDep, UowDep
from api.problems import problem_responses
from api.routes.schemas import CancelRequest, GroupCreateRequest, GroupsPage, MakeOfferRequest
from waitlist.services import groups, offers, views
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
    uow: ReadUowDep,
    page: PageDep,
    district: str | None = Query(default=None, max_length=64),
    programme: str | None = Query(default=None, max_length=64),
    status: str | None = Query(default=None, max_length=16),
) -> GroupsPage:
    rows, count = views.list_groups(
        uow,
        district=district,
        programme=programme,
        status=status,
        limit=page.limit,
        offset=page.offset,
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
    command = body.model_dump(exclude={"planned"}) | {
        "status": "planned" if body.planned else "recruiting"
    }
    return groups.create_group(uow, command, actor=coordinator)


@router.get(
    "/{group_id}",
    response_model=GroupPublic,
    responses=problem_responses(401, 403, 404),
    summary="One group",
)
def get_group(group_id: Id, _staff: CurrentStaff, uow: ReadUowDep) -> GroupPublic:
    return views.get_group(uow, group_id)


# Open, start, complete: one change of a group of my district, with the same answers; the use
# case checks that the caller coordinates the group's district, in its own transaction.
CHANGE: dict[str, Any] = {
    "methods": ["POST"],
    "response_model": GroupPublic,
    "responses": problem_responses(401, 403, 404, 409),
}


def _change(use_case: Callable[..., GroupPublic]) -> Callable[..., GroupPublic]:
    def change(group_id: Id, coordinator: CurrentCoordinator, uow: UowDep) -> GroupPublic:
        return use_case(uow, group_id, actor=coordinator)

    return change


for _action, _use_case, _summary in (
    ("open", groups.open_group, "Open a planned group for recruiting"),
    ("start", groups.start_group, "Start a group (needs its minimum size enrolled)"),
    ("complete", groups.complete_group, "Mark a running group completed"),
):
    router.add_api_route(
        f"/{{group_id}}/{_action}",
        _change(_use_case),
        name=f"{_action}_group",
        summary=_summary,
        **CHANGE,
    )


@router.post(
    "/{group_id}/cancel",
    response_model=GroupPublic,
    responses=problem_responses(401, 403, 404, 409, 422),
    summary="Cancel a group: its parents return to the queue with their queue date",
)
def cancel_group(
    group_id: Id, coordinator: CurrentCoordinator, uow: UowDep, body: CancelRequest | None = None
) -> GroupPublic:
    reason = body.reason if body else ""
    return groups.cancel_group(uow, group_id, reason, actor=coordinator)


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
        uow, coordinator, body.application_id, group_id, reason=body.reason
    )
