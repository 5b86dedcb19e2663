"""Group-start recommendations for my district: which group to start, where, when, with whom
(as counts per district, never names), and what it would do to waiting times; accept one.

Recommendations are computed in the background and kept per state of the queues and groups:
GET answers at once, 200 with the kept result, or 202 with the job computing it (ask again to
follow its progress) and the latest older result, if any, marked `stale`."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from datetime import date

from fastapi import APIRouter, Path, Query, Response
from pydantic import BaseModel, Field

from api.deps import CurrentCoordinator, UowDep, UowFactoryDep
from api.problems import problem_responses
from api.routes.schemas import PlanningDay, Strict
from solver.types import CandidateGroup, GroupRun, Recommendation, candidate_from
from waitlist.services import recommendation_jobs, recommendations
from waitlist.storage.tables import GroupPublic

router = APIRouter(prefix="/api/v1/recommendations", tags=["recommendations"])


# The candidate group as the API shows it: the run every group describes (no docstring: the
# schema's description stays empty).
@dataclass(frozen=True)
class CandidatePublic(GroupRun):
    pass


class RecommendationPublic(BaseModel):
    candidate: CandidatePublic
    leader: str
    serves: dict[str, int] = Field(description="Parents it would serve, counted per district")
    parents: int = Field(description="How many waiting parents it would serve in all")
    reason: str
    reason_sv: str
    effect: dict[str, float] = Field(description="Projected effect on waiting times")


class JobPublic(BaseModel):
    id: int
    state: str = Field(description="queued, running, done or failed")
    elapsed_s: float | None = Field(description="Seconds since a worker started it")
    objective: float | None = Field(description="Weighted waiting-weeks cut by the best plan")
    bound: float | None = Field(description="No plan can cut more than this")


class RecommendationsPublic(BaseModel):
    as_of: date | None
    district: str | None
    status: str | None = Field(description="The solver's status; null while none is kept")
    objective: dict[str, float]
    stale: bool = Field(description="The data are for earlier queues and groups")
    job: JobPublic
    data: list[RecommendationPublic]


class AcceptedPublic(BaseModel):
    recommendation: RecommendationPublic
    group: GroupPublic = Field(description="Recruiting; offered by the next placement round")


class AcceptRequest(Strict):
    as_of: PlanningDay | None = None


def _public(rec: Recommendation, candidate: CandidateGroup) -> RecommendationPublic:
    return RecommendationPublic(
        candidate=CandidatePublic(**{f.name: getattr(candidate, f.name) for f in fields(GroupRun)}),
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
    responses={
        202: {"description": "Being computed: the job's progress"},
        **problem_responses(401, 403, 404),
    },
    summary="Recommended group starts hosted in my district",
)
def list_recommendations(
    coordinator: CurrentCoordinator,
    make_uow: UowFactoryDep,
    response: Response,
    as_of: PlanningDay | None = Query(default=None, description="Day of the plan (default today)"),
) -> RecommendationsPublic:
    asked = recommendation_jobs.ask(make_uow, as_of=as_of, district=coordinator.district)
    found, job = asked.recommendations, asked.job
    if found is None or asked.stale:
        response.status_code = 202
    last = job.progress
    return RecommendationsPublic(
        as_of=found.as_of if found else None,
        district=coordinator.district,
        status=str(found.result.status) if found else None,
        objective=asdict(found.result.objective) if found else {},
        stale=asked.stale,
        job=JobPublic(
            id=job.id,
            state=job.state,
            elapsed_s=job.elapsed_s,
            objective=last.objective if last else None,
            bound=last.bound if last else None,
        ),
        data=[_public(r, found.candidates[r.candidate]) for r in found.result.recommendations]
        if found
        else [],
    )


@router.post(
    "/{candidate}/accept",
    status_code=201,
    response_model=AcceptedPublic,
    responses=problem_responses(401, 403, 404, 409, 422),
    summary="Start a recommended group; its seats are offered by the next placement round",
)
def accept(
    coordinator: CurrentCoordinator,
    uow: UowDep,
    candidate: str = Path(max_length=128),
    body: AcceptRequest | None = None,
) -> AcceptedPublic:
    done = recommendations.accept_recommendation(
        uow, coordinator, candidate, as_of=body.as_of if body else None
    )
    cand = candidate_from(done.group, id=candidate)
    return AcceptedPublic(recommendation=_public(done.recommendation, cand), group=done.group)
