"""Venues: any staff member reads them; a coordinator adds and edits their district's."""

from __future__ import annotations

from fastapi import APIRouter, Query

from api.deps import CurrentCoordinator, CurrentStaff, Id, ReadUowDep, UowDep
from api.problems import problem_responses
from api.routes.schemas import VenueCreateRequest, VenueUpdateRequest
from waitlist.services import venues
from waitlist.storage.tables import VenuePublic, VenuesPublic

router = APIRouter(prefix="/api/v1/venues", tags=["venues"])


@router.get(
    "",
    response_model=VenuesPublic,
    responses=problem_responses(401, 403, 404),
    summary="Venues (filter by district)",
)
def list_venues(
    _staff: CurrentStaff, uow: ReadUowDep, district: str | None = Query(default=None, max_length=64)
) -> VenuesPublic:
    return venues.list_venues(uow, district)


@router.post(
    "",
    status_code=201,
    response_model=VenuePublic,
    responses=problem_responses(401, 403, 404, 422),
    summary="Add a venue in my district",
)
def create_venue(
    body: VenueCreateRequest, coordinator: CurrentCoordinator, uow: UowDep
) -> VenuePublic:
    return venues.create_venue(uow, coordinator, body.model_dump())


@router.get(
    "/{venue_id}",
    response_model=VenuePublic,
    responses=problem_responses(401, 403, 404),
    summary="One venue",
)
def get_venue(venue_id: Id, _staff: CurrentStaff, uow: ReadUowDep) -> VenuePublic:
    return venues.get_venue(uow, venue_id)


@router.patch(
    "/{venue_id}",
    response_model=VenuePublic,
    responses=problem_responses(401, 403, 404, 422),
    summary="Change a venue of my district",
)
def update_venue(
    venue_id: Id, body: VenueUpdateRequest, coordinator: CurrentCoordinator, uow: UowDep
) -> VenuePublic:
    return venues.update_venue(uow, coordinator, venue_id, body.model_dump(exclude_unset=True))
