"""Group leaders: a coordinator lists, adds, changes and deactivates their district's."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import CurrentCoordinator, Id, ReadUowDep, UowDep
from api.problems import problem_responses
from api.routes.schemas import LeaderCreateRequest, LeaderUpdateRequest
from waitlist.services import leaders
from waitlist.storage.tables import LeaderPublic, LeadersPublic

router = APIRouter(prefix="/api/v1/leaders", tags=["leaders"])


@router.get(
    "",
    response_model=LeadersPublic,
    responses=problem_responses(401, 403),
    summary="The leaders of my district",
)
def list_leaders(coordinator: CurrentCoordinator, uow: ReadUowDep) -> LeadersPublic:
    return leaders.list_leaders(uow, coordinator)


@router.post(
    "",
    status_code=201,
    response_model=LeaderPublic,
    responses=problem_responses(401, 403, 404, 422),
    summary="Add a leader in my district",
)
def create_leader(
    body: LeaderCreateRequest, coordinator: CurrentCoordinator, uow: UowDep
) -> LeaderPublic:
    return leaders.create_leader(uow, coordinator, body.model_dump())


@router.get(
    "/{leader_id}",
    response_model=LeaderPublic,
    responses=problem_responses(401, 403, 404),
    summary="One leader of my district",
)
def get_leader(leader_id: Id, coordinator: CurrentCoordinator, uow: ReadUowDep) -> LeaderPublic:
    return leaders.get_leader(uow, coordinator, leader_id)


@router.patch(
    "/{leader_id}",
    response_model=LeaderPublic,
    responses=problem_responses(401, 403, 404, 422),
    summary="Change or deactivate a leader of my district",
)
def update_leader(
    leader_id: Id, body: LeaderUpdateRequest, coordinator: CurrentCoordinator, uow: UowDep
) -> LeaderPublic:
    return leaders.update_leader(uow, coordinator, leader_id, body.model_dump(exclude_unset=True))
