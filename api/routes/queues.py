"""Queues: one per district x programme, in queue order (queue date, then lottery)."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter
from pydantic import BaseModel

from api.deps import CurrentCoordinator, UowDep
from api.problems import problem_responses
from waitlist.services import access, queues

router = APIRouter(prefix="/api/v1/queues", tags=["queues"])


class QueueEntryPublic(BaseModel):
    position: int
    application_id: int
    queue_date: date
    lottery: int
    weeks_waiting: float
    paused: bool
    cross_district: bool


class QueuePublic(BaseModel):
    district: str
    programme: str
    data: list[QueueEntryPublic]
    count: int


@router.get(
    "/{district}/{programme}",
    response_model=QueuePublic,
    responses=problem_responses(401, 403, 404),
    summary="My district's queue for one programme, in order",
)
def queue(
    district: str, programme: str, coordinator: CurrentCoordinator, uow: UowDep
) -> QueuePublic:
    access.require_coordinator_of(coordinator, district)
    entries = queues.queue_of(uow(readonly=True), district, programme)
    return QueuePublic.model_validate(
        {"district": district, "programme": programme, "data": entries, "count": len(entries)},
        from_attributes=True,
    )
