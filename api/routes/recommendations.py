"""Group-start recommendations for my district: which group to start, where, when, with whom
(as counts per district, never names), and what it would do to waiting times; accept one."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, Field

from api.deps import CurrentCoordinator, UowDep
from api.problems import problem_responses
from api.routes.schemas import PlanningDay, Strict
from solver.types import CandidateGroup, Recommendation, candidate_from
from waitlist.services import recommendations
from waitlist.storage.tables import GroupPublic, PlacementRoundPublic

router = APIRouter(prefix="/api/v1/recommendations", tags=["recommendations"])


class CandidatePublic(BaseModel):
    id: str
    programme: str
    district: str
    start: date
    weekday: str
    slot: str
    language: str
    capacity: int
    min_size: int


class RecommendationPublic(BaseModel):
    candidate: CandidatePublic
    leader: str
    serves: dict[str, int] = Field(description="Parents it would serve, counted per district")
    parents: int = Field(description="How many waiting parents it would serve in all")
    reason: str
    reason_sv: str
    effect: dict[str, float] = Field(description="Projected effect on waiting times")


class RecommendationsPublic(BaseModel):
    as_of: date
    district: str | None
    status: str
    objective: dict[str, float]
    data: list[RecommendationPublic]


class AcceptedPublic(BaseModel):
    recommendation: RecommendationPublic
    group: GroupPublic
    round: PlacementRoundPublic


class AcceptRequest(Strict):
    as_of: PlanningDay | None = None


def _public(rec: Recommendation, candidate: CandidateGroup) -> RecommendationPublic:
    return RecommendationPublic(
        candidate=CandidatePublic.model_validate(candidate, from_attributes=True),
        leader=rec.leader,
        serves=dict(rec.serves),
        parents=len(rec.applications) or sum(rec.serves.values()),
        reason=rec.reason,
        reason_sv=rec.reason_sv,
        effect=dict(rec.effect),
    )


@router.get(
    "",
    response_model=RecommendationsPublic,
    responses=problem_responses(401, 403, 404),
    summary="Recommended group starts hosted in my district",
)
def list_recommendations(
    coordinator: CurrentCoordinator,
    uow: UowDep,
    as_of: PlanningDay | None = Query(default=None, description="Day of the plan (default today)"),
) -> RecommendationsPublic:
    found = recommendations.recommend_for(
        uow(readonly=True), as_of=as_of, district=coordinator.district
    )
    return RecommendationsPublic(
        as_of=found.as_of,
        district=found.district,
        status=str(found.result.status),
        objective={k: float(v) for k, v in found.result.objective.items()},
        data=[_public(r, found.candidates[r.candidate]) for r in found.result.recommendations],
    )


@router.post(
    "/{candidate}/accept",
    status_code=201,
    response_model=AcceptedPublic,
    responses=problem_responses(401, 403, 404, 409, 422),
    summary="Start a recommended group and offer its seats through a placement round",
)
def accept(
    coordinator: CurrentCoordinator,
    uow: UowDep,
    candidate: str = Path(max_length=128),
    body: AcceptRequest | None = None,
) -> AcceptedPublic:
    done = recommendations.accept_recommendation(
        uow(), coordinator, candidate, as_of=body.as_of if body else None
    )
    cand = candidate_from(done.group, id=candidate)
    return AcceptedPublic(
        recommendation=_public(done.recommendation, cand), group=done.group, round=done.round
    )
