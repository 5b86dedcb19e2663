"""Placement rounds: preview the solver's offers for my district, then commit them (or not)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from api.deps import CurrentCoordinator, Id, Page, ReadUowDep, UowDep, paging
from api.problems import problem_responses
from api.routes.schemas import MAX_ID, PlanningDay, Strict
from waitlist.services import round_edits, rounds, views
from waitlist.storage.tables import PlacementRoundPublic

router = APIRouter(prefix="/api/v1/rounds", tags=["rounds"])


class PreviewRequest(Strict):
    as_of: PlanningDay | None = Field(default=None, description="Day of the round (default today)")


class DropRequest(Strict):
    application_id: int = Field(ge=1, le=MAX_ID, strict=True, description="An offered parent")


class RoundsPage(BaseModel):
    data: list[PlacementRoundPublic]
    count: int


@router.post(
    "/preview",
    status_code=201,
    response_model=PlacementRoundPublic,
    responses=problem_responses(401, 403, 422),
    summary="Preview a placement round for my district's waiting parents (nothing is offered)",
)
def preview(
    coordinator: CurrentCoordinator, uow: UowDep, body: PreviewRequest | None = None
) -> PlacementRoundPublic:
    as_of = body.as_of if body is not None else None
    return rounds.preview_round(uow, as_of=as_of, district=coordinator.district)


def _decide(use_case: Callable[..., PlacementRoundPublic]) -> Callable[..., PlacementRoundPublic]:
    """Commit or discard a preview of my district (the use case checks that, in its own
    transaction)."""

    def decide(round_id: Id, coordinator: CurrentCoordinator, uow: UowDep) -> PlacementRoundPublic:
        return use_case(uow, round_id, actor=coordinator)

    return decide


for _action, _use_case, _summary in (
    (
        "commit",
        rounds.commit_round,
        "Make every offer of a preview at once; 409 if anything changed since",
    ),
    ("discard", rounds.discard_round, "Discard a preview"),
):
    router.add_api_route(
        f"/{{round_id}}/{_action}",
        _decide(_use_case),
        methods=["POST"],
        name=_action,
        response_model=PlacementRoundPublic,
        responses=problem_responses(401, 403, 404, 409),
        summary=_summary,
    )


@router.post(
    "/{round_id}/drop",
    status_code=201,
    response_model=PlacementRoundPublic,
    responses=problem_responses(401, 403, 404, 409, 422),
    summary="Remove one proposed offer: a new preview without that parent (the old is discarded)",
)
def drop(
    round_id: Id, body: DropRequest, coordinator: CurrentCoordinator, uow: UowDep
) -> PlacementRoundPublic:
    return round_edits.drop_offer(uow, coordinator, round_id, body.application_id)


@router.get(
    "",
    response_model=RoundsPage,
    responses=problem_responses(401, 403),
    summary="Placement rounds of my district, newest first",
)
def list_rounds(
    coordinator: CurrentCoordinator,
    uow: ReadUowDep,
    page: Annotated[Page, Depends(paging(50))],
) -> RoundsPage:
    rows, count = views.list_rounds(uow, coordinator, limit=page.limit, offset=page.offset)
    return RoundsPage(data=rows, count=count)


@router.get(
    "/{round_id}",
    response_model=PlacementRoundPublic,
    responses=problem_responses(401, 403, 404),
    summary="One placement round: inputs hash, objective, offers and their reasons",
)
def get_round(
    round_id: Id, coordinator: CurrentCoordinator, uow: ReadUowDep
) -> PlacementRoundPublic:
    return views.get_round(uow, coordinator, round_id)
