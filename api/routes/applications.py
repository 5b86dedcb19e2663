"""Applications: a parent applies and follows their own; a coordinator lists their district's."""

from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from api.deps import (
    MAX_OFFSET,
    CurrentParent,
    CurrentStaff,
    EngineDep,
    Id,
    IdempotencyKey,
    SettingsDep,
    UowDep,
    parent_rate_limit,
)
from api.idempotency import Sealer, run_idempotent
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
from waitlist.services import applications, parent_tokens, views
from waitlist.storage.tables import ApplicationCreate, ApplicationPublic
from waitlist.storage.uow import UnitOfWork

router = APIRouter(prefix="/api/v1/applications", tags=["applications"])
RATE_LIMITED = [Depends(parent_rate_limit)]  # parent endpoints: per client IP and per token


@router.post(
    "",
    dependencies=RATE_LIMITED,
    status_code=201,
    response_model=Applied,
    responses=problem_responses(404, 409, 422, 429),
    summary="Apply (returns the parent's secret status token once)",
)
def apply(
    body: ApplyRequest,
    request: Request,
    uow: UowDep,
    engine: EngineDep,
    settings: SettingsDep,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    def answer(result: applications.Applied) -> Applied:
        return Applied(application=result.application, status_token=result.token)

    def work(seal: Sealer) -> Applied:
        command = ApplicationCreate.model_validate(body.model_dump())

        def then(unit: UnitOfWork, result: applications.Applied) -> None:
            seal(unit.session, answer(result), result.application.id)

        return answer(applications.apply(uow(actor_override="parent:new"), command, then=then))

    return run_idempotent(
        request,
        engine=engine,
        secret=settings.secret_key,
        key=idempotency_key,
        lease=timedelta(seconds=settings.idempotency_lease_seconds),
        scope="apply",
        body=body,
        work=work,
        status_code=201,
    )


@router.get(
    "/me",
    dependencies=RATE_LIMITED,
    response_model=ParentStatusPublic,
    responses=problem_responses(401, 403, 404, 429),
    summary="My application: queue position, wait estimate, pending offer",
)
def my_status(parent_: CurrentParent, uow: UowDep) -> ParentStatusPublic:
    status = views.parent_status(uow(readonly=True), parent_)
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
    dependencies=RATE_LIMITED,
    response_model=OutlookPublic,
    responses=problem_responses(401, 403, 404, 429),
    summary="My queue position and wait estimate at home and in every district within reach",
)
def my_outlook(parent_: CurrentParent, uow: UowDep) -> OutlookPublic:
    standing = views.parent_outlook(uow(readonly=True), parent_)
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
    dependencies=RATE_LIMITED,
    response_model=DataExport,
    responses=problem_responses(401, 403, 404, 429),
    summary="Download everything kept about my application",
)
def export(parent_: CurrentParent, uow: UowDep) -> DataExport:
    return DataExport.model_validate(views.export_data(uow(readonly=True), parent_))


@router.get(
    "/me/notices",
    dependencies=RATE_LIMITED,
    response_model=list[SentNoticePublic],
    responses=problem_responses(401, 403, 429),
    summary="Notices sent to me (the demo's local outbox view)",
)
def my_notices(parent_: CurrentParent, uow: UowDep) -> list[SentNoticePublic]:
    rows = views.sent_notices(uow(readonly=True), parent_)
    return [SentNoticePublic.model_validate(r, from_attributes=True) for r in rows]


@router.post(
    "/me/withdraw",
    dependencies=RATE_LIMITED,
    response_model=ApplicationPublic,
    responses=problem_responses(401, 403, 404, 409, 429),
    summary="Leave the queue (or my group); a held seat is freed",
)
def withdraw(parent_: CurrentParent, uow: UowDep) -> ApplicationPublic:
    assert parent_.application_id is not None
    return applications.withdraw(uow(), parent_.application_id)


@router.post(
    "/me/resume",
    dependencies=RATE_LIMITED,
    response_model=ApplicationPublic,
    responses=problem_responses(401, 403, 404, 409, 429),
    summary="Confirm I still want a place (after unanswered offers)",
)
def resume(parent_: CurrentParent, uow: UowDep) -> ApplicationPublic:
    assert parent_.application_id is not None
    return applications.resume(uow(), parent_.application_id)


@router.post(
    "/me/token",
    dependencies=RATE_LIMITED,
    response_model=NewStatusToken,
    responses=problem_responses(401, 403, 404, 409, 429),
    summary="Replace my status token (the old one stops working)",
)
def replace_token(parent_: CurrentParent, uow: UowDep) -> NewStatusToken:
    assert parent_.application_id is not None
    return NewStatusToken(status_token=parent_tokens.rotate(uow(), parent_.application_id).token)


@router.delete(
    "/me",
    dependencies=RATE_LIMITED,
    response_model=ApplicationPublic,
    responses=problem_responses(401, 403, 404, 409, 429),
    summary="Erase my data (personal fields removed, anonymous history kept)",
)
def erase(parent_: CurrentParent, uow: UowDep) -> ApplicationPublic:
    assert parent_.application_id is not None
    return applications.erase(uow(), parent_.application_id)


@router.get(
    "",
    response_model=ApplicationsPage,
    responses=problem_responses(401, 403),
    summary="Applications of my district (coordinators)",
)
def list_applications(
    staff: CurrentStaff,
    uow: UowDep,
    programme: str | None = Query(default=None, max_length=64),
    status: str | None = Query(default=None, max_length=16),
    limit: int = Query(default=100, ge=1, le=500),
    offset: int = Query(default=0, ge=0, le=MAX_OFFSET),
) -> ApplicationsPage:
    rows, count = views.list_applications(
        uow(readonly=True), staff, programme=programme, status=status, limit=limit, offset=offset
    )
    return ApplicationsPage(data=rows, count=count)


@router.get(
    "/{application_id}",
    response_model=ApplicationPublic,
    responses=problem_responses(401, 403, 404),
    summary="One application of my district (coordinators)",
)
def get_application(application_id: Id, staff: CurrentStaff, uow: UowDep) -> ApplicationPublic:
    return views.get_application(uow(readonly=True), staff, application_id)
