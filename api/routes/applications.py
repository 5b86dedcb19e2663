"""Applications: a parent applies and follows their own; a coordinator lists their district's."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response
from sqlmodel import Session

from api.deps import (
    CurrentParent,
    CurrentStaff,
    Id,
    IdempotentDep,
    NewParentUowDep,
    PageDep,
    ReadUowDep,
    UowDep,
    parent_rate_limit,
)
from api.problems import problem_responses
from api.routes.schemas import (
    ApplicationsPage,
    Applied,
    ApplyRequest,
    DataExport,
    NewStatusToken,
    OutlookPublic,
    ParentStatusPublic,
    SentNoticePublic,
)
from api.security import Principal
from waitlist.services import applications, parent_tokens, views
from waitlist.storage.tables import ApplicationPublic
from waitlist.storage.uow import UnitOfWork

router = APIRouter(prefix="/api/v1/applications", tags=["applications"])
RATE_LIMITED = [Depends(parent_rate_limit)]  # parent endpoints: per client IP and per token
MY_READ: dict[str, Any] = {
    "dependencies": RATE_LIMITED,
    "responses": problem_responses(401, 403, 404, 429),
}
"""What a parent's reading of their own application shares."""
MY_CHANGE: dict[str, Any] = {
    "dependencies": RATE_LIMITED,
    "responses": problem_responses(401, 403, 404, 409, 429),
}
"""What a parent's change of their own application shares."""


def _mine(parent_: Principal) -> int:
    assert parent_.application_id is not None  # CurrentParent has one
    return parent_.application_id


@router.post(
    "",
    dependencies=RATE_LIMITED,
    status_code=201,
    response_model=Applied,
    responses=problem_responses(404, 409, 422, 429),
    summary="Apply (returns the parent's secret status token once)",
)
def apply(body: ApplyRequest, uow: NewParentUowDep, idempotent: IdempotentDep) -> Response:
    attempt = idempotent.claim("apply", body, status_code=201)
    if isinstance(attempt, Response):
        return attempt

    def answer(result: applications.Applied) -> Applied:
        return Applied(application=result.application, status_token=result.token)

    def then(session: Session, result: applications.Applied) -> None:
        attempt.seal(session, answer(result), result.application.id)

    with attempt.running():
        result = applications.apply(uow, body.model_dump(), then=then)
    return attempt.respond(answer(result))


@router.get(
    "/me",
    response_model=ParentStatusPublic,
    summary="My application: queue position, wait estimate, pending offer",
    **MY_READ,
)
def my_status(parent_: CurrentParent, uow: ReadUowDep) -> ParentStatusPublic:
    status = views.parent_status(uow, parent_)
    standing = status.standing
    return ParentStatusPublic.model_validate(
        {
            "application": status.application,
            "status": standing.status,
            "home": standing.home,
            "pending_offer": status.pending_offer,
            "pending_group": status.pending_group,
            "can_start_from": standing.can_start_from,
        },
        from_attributes=True,
    )


@router.get(
    "/me/outlook",
    response_model=OutlookPublic,
    summary="My queue position and wait estimate at home and in every district within reach",
    **MY_READ,
)
def my_outlook(parent_: CurrentParent, uow: ReadUowDep) -> OutlookPublic:
    standing = views.parent_outlook(uow, parent_)
    return OutlookPublic.model_validate(
        {
            "status": standing.status,
            "home": standing.home,
            "elsewhere": list(standing.elsewhere),
        },
        from_attributes=True,
    )


@router.get(
    "/me/export",
    response_model=DataExport,
    summary="Download everything kept about my application",
    **MY_READ,
)
def export(parent_: CurrentParent, uow: ReadUowDep) -> DataExport:
    return DataExport.model_validate(views.export_data(uow, parent_))


@router.get(
    "/me/notices",
    dependencies=RATE_LIMITED,
    response_model=list[SentNoticePublic],
    responses=problem_responses(401, 403, 429),
    summary="Notices sent to me (the demo's local outbox view)",
)
def my_notices(parent_: CurrentParent, uow: ReadUowDep) -> list[SentNoticePublic]:
    rows = views.sent_notices(uow, parent_)
    return [SentNoticePublic.model_validate(r, from_attributes=True) for r in rows]


def _own_change(use_case: Callable[[UnitOfWork, int], ApplicationPublic]) -> Callable[..., Any]:
    def change(parent_: CurrentParent, uow: UowDep) -> ApplicationPublic:
        return use_case(uow, _mine(parent_))

    return change


for _method, _path, _name, _use_case, _summary in (
    ("POST", "/me/withdraw", "withdraw", applications.withdraw,
     "Leave the queue (or my group); a held seat is freed"),
    ("POST", "/me/resume", "resume", applications.resume,
     "Confirm I still want a place (after unanswered offers)"),
    ("DELETE", "/me", "erase", applications.erase,
     "Erase my data (personal fields removed, anonymous history kept)"),
):  # fmt: skip
    router.add_api_route(
        _path,
        _own_change(_use_case),
        methods=[_method],
        name=_name,
        response_model=ApplicationPublic,
        summary=_summary,
        **MY_CHANGE,
    )


@router.post(
    "/me/token",
    response_model=NewStatusToken,
    summary="Replace my status token (the old one stops working)",
    **MY_CHANGE,
)
def replace_token(parent_: CurrentParent, uow: UowDep) -> NewStatusToken:
    return NewStatusToken(status_token=parent_tokens.rotate(uow, _mine(parent_)).token)


@router.get(
    "",
    response_model=ApplicationsPage,
    responses=problem_responses(401, 403),
    summary="Applications of my district (coordinators)",
)
def list_applications(
    staff: CurrentStaff,
    uow: ReadUowDep,
    page: PageDep,
    programme: str | None = Query(default=None, max_length=64),
    status: str | None = Query(default=None, max_length=16),
) -> ApplicationsPage:
    rows, count = views.list_applications(
        uow,
        staff,
        programme=programme,
        status=status,
        limit=page.limit,
        offset=page.offset,
    )
    return ApplicationsPage(data=rows, count=count)


@router.get(
    "/{application_id}",
    response_model=ApplicationPublic,
    responses=problem_responses(401, 403, 404),
    summary="One application of my district (coordinators)",
)
def get_application(application_id: Id, staff: CurrentStaff, uow: ReadUowDep) -> ApplicationPublic:
    return views.get_application(uow, staff, application_id)
