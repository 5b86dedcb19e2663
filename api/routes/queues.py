"""Queues: one per district x programme, in queue order (queue date, then lottery)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field

from api.deps import CurrentCoordinator, Page, ReadUowDep, paging
from api.problems import problem_responses
from waitlist.services import access, queue_members, queue_needs, queues
from waitlist.services.queue_members import MemberQuery

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
    district: str, programme: str, coordinator: CurrentCoordinator, uow: ReadUowDep
) -> QueuePublic:
    access.require_coordinator_of(coordinator, district)
    entries = queues.queue_of(uow, district, programme)
    return QueuePublic.model_validate(
        {"district": district, "programme": programme, "data": entries, "count": len(entries)},
        from_attributes=True,
    )


class QueueMemberPublic(BaseModel):
    position: int
    application_id: int
    queue_date: date
    weeks_waiting: float
    languages: list[str]
    slots: list[str]
    cross_district: bool
    max_travel_minutes: int
    paused: bool
    age_fit: str
    fits_from: date | None


class QueueMembersPublic(BaseModel):
    district: str
    programme: str
    data: list[QueueMemberPublic]
    count: int = Field(description="How many members match in all (`data` is one page of them)")
    limit: int
    offset: int


@router.get(
    "/{district}/{programme}/members",
    response_model=QueueMembersPublic,
    responses=problem_responses(401, 403, 404, 422),
    summary="My district's queue for one programme with what decides offers, filtered, sorted,"
    " 50 at a time (`limit`, `offset`); each member's `position` is their place in the queue",
)
def members(
    district: str,
    programme: str,
    coordinator: CurrentCoordinator,
    uow: ReadUowDep,
    language: str | None = Query(default=None, max_length=8),
    slot: str | None = Query(default=None, max_length=16),
    cross_district: bool | None = Query(default=None),
    age_fit: Literal["fits", "too_young", "too_old"] | None = Query(default=None),
    sort: Literal["position", "newest", "travel"] = Query(default="position"),
    page: Annotated[Page, Depends(paging(50))] = Page(50, 0),
) -> QueueMembersPublic:
    query = MemberQuery(
        language=language, slot=slot, cross_district=cross_district, age_fit=age_fit, sort=sort
    )
    found = queue_members.members_page(
        uow,
        coordinator,
        programme,
        query,
        limit=page.limit,
        offset=page.offset,
        district=district,
    )
    return QueueMembersPublic.model_validate(
        {
            "district": district,
            "programme": programme,
            "data": found.members,
            "count": found.total,
            "limit": page.limit,
            "offset": page.offset,
        },
        from_attributes=True,
    )


class NextGroupPublic(BaseModel):
    district: str
    programme: str
    waiting: int = Field(description="Waiting parents, not paused")
    unseated: int = Field(description="Of them, those with no free seat in sight")
    can_come: dict[str, int] = Field(
        description="Time of day -> parents with no seat in sight, who take `language`, who "
        "can come then"
    )
    slot: str | None = Field(description="The time of day the most of them can come at")
    only: dict[str, int] = Field(
        description="Language -> parents with no seat in sight who can take only that one"
    )
    language: str = Field(description="The language to run the next group in")
    min_size: int


@router.get(
    "/{district}/{programme}/next-group",
    response_model=NextGroupPublic,
    responses=problem_responses(401, 403, 404),
    summary="What my district's queue needs of its next group: time of day and language",
)
def next_group(
    district: str, programme: str, coordinator: CurrentCoordinator, uow: ReadUowDep
) -> NextGroupPublic:
    (need,) = queue_needs.queue_needs(uow, coordinator, district, programme)
    return NextGroupPublic.model_validate({"district": district, **asdict(need)})
