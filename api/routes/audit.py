"""The audit trail: every state change (who, when, what, before -> after), per district."""

from __future__ import annotations

from fastapi import APIRouter, Query

from api.deps import CurrentCoordinator, PageDep, ReadUowDep
from api.problems import problem_responses
from api.routes.schemas import EventsPage
from waitlist.services import views

router = APIRouter(prefix="/api/v1/audit", tags=["audit"])


@router.get(
    "",
    response_model=EventsPage,
    responses=problem_responses(401, 403),
    summary="Audit events of my district, newest first",
)
def audit(
    coordinator: CurrentCoordinator,
    uow: ReadUowDep,
    page: PageDep,
    entity: str | None = Query(default=None, max_length=32),
    entity_id: str | None = Query(default=None, max_length=64),
) -> EventsPage:
    rows, count = views.audit_events(
        uow,
        coordinator,
        entity=entity,
        entity_id=entity_id,
        limit=page.limit,
        offset=page.offset,
    )
    return EventsPage(data=rows, count=count)
