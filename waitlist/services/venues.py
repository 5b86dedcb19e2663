"""Venues: a room at an address in a district, where groups meet. Coordinators list, create
and edit their district's venues; a group names one (waitlist.services.groups).

    list_venues(uow, district=None)         -> VenuesPublic
    create_venue(uow, actor, data)          -> VenuePublic   (a coordinator of that district)
    update_venue(uow, actor, venue_id, data) -> VenuePublic
    check_venue(uow, venue_id, district, ...) -> Venue (in the district, active, room free)
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import col, select

from waitlist.domain.errors import Conflict, InvalidInput, NotFound
from waitlist.domain.group import GroupStatus
from waitlist.domain.room import room_refusal
from waitlist.domain.schedule import meeting_dates
from waitlist.domain.values import Slot, Weekday
from waitlist.holidays import holidays
from waitlist.services import access, lookups
from waitlist.services.access import Actor
from waitlist.services.inputs import apply_changes, parse
from waitlist.storage.tables import (
    Group,
    Venue,
    VenueCreate,
    VenuePublic,
    VenuesPublic,
    VenueUpdate,
)
from waitlist.storage.uow import UnitOfWork

_HOLDING = [GroupStatus.PLANNED, GroupStatus.RECRUITING, GroupStatus.RUNNING]


def to_public(row: Venue) -> VenuePublic:
    return VenuePublic.model_validate(row, from_attributes=True)


def _state(row: Venue) -> dict[str, Any]:
    return to_public(row).model_dump(mode="json")


def list_venues(uow: UnitOfWork, district: str | None = None) -> VenuesPublic:
    """Venues (not personal: any staff member), by district and name."""
    with uow:
        query = select(Venue).order_by(col(Venue.district), col(Venue.name), col(Venue.id))
        if district is not None:
            lookups.district(uow, district)
            query = query.where(Venue.district == district)
        rows = [to_public(v) for v in uow.session.exec(query).all()]
        return VenuesPublic(data=rows, count=len(rows))


def get_venue(uow: UnitOfWork, venue_id: int) -> VenuePublic:
    with uow:
        return to_public(_venue(uow, venue_id))


def _venue(uow: UnitOfWork, venue_id: int, field: str = "venue") -> Venue:
    row = lookups.by_id(uow, Venue, venue_id)
    if row is None:
        raise NotFound(f"There is no venue {venue_id}.", field=field)
    return row


def _ordered(data: dict[str, Any]) -> dict[str, Any]:
    """Weekdays and slots each once, in the week's and the day's order."""
    for name, order in (("weekdays", list(Weekday)), ("slots", list(Slot))):
        if data.get(name) is not None:
            data[name] = [str(v) for v in order if v in data[name]]
    return data


def create_venue(uow: UnitOfWork, actor: Actor, data: VenueCreate | dict[str, Any]) -> VenuePublic:
    cmd = parse(VenueCreate, data)
    with uow:
        lookups.district(uow, cmd.district)
        access.require_coordinator_of(actor, cmd.district)
        row = Venue.model_validate(_ordered(cmd.model_dump(mode="json")))
        row.created_at = row.updated_at = uow.now()
        uow.session.add(row)
        uow.session.flush()
        uow.record("venue", row.id, "venue_created", after=_state(row), district=row.district)
        uow.commit()
        return to_public(row)


def update_venue(
    uow: UnitOfWork, actor: Actor, venue_id: int, data: VenueUpdate | dict[str, Any]
) -> VenuePublic:
    cmd = parse(VenueUpdate, data)
    with uow:
        row = _venue(uow, venue_id)
        access.require_coordinator_of(actor, row.district)
        before = _state(row)
        changes = _ordered(cmd.model_dump(mode="json", exclude_unset=True))
        apply_changes(row, changes, may_be_empty=("capacity",))  # no capacity: no limit
        row.updated_at = uow.now()
        uow.changed("venue", row, before, _state(row))
        uow.commit()
        return to_public(row)


def check_venue(
    uow: UnitOfWork,
    venue_id: int,
    district: str,
    *,
    weekday: str,
    slot: str,
    first: date,
    last: date,
    group_id: int | None = None,
    capacity: int = 1,
) -> Venue:
    """The venue a group may meet in: of the group's district, in use, able to host a group of
    `capacity` on that weekday and slot (waitlist.domain.room), and not holding another group
    on the same weekday and slot while this one runs (first to last meeting)."""
    row = _venue(uow, venue_id, "venue_id")
    if row.district != district:
        raise InvalidInput(
            f"Venue {venue_id} is in {row.district}, not in {district}.", field="venue_id"
        )
    if not row.active:
        raise InvalidInput(f"Venue {venue_id} is no longer in use.", field="venue_id")
    refusal = room_refusal(
        row.capacity, row.weekdays, row.slots, weekday=weekday, slot=slot, size=capacity
    )
    if refusal == "capacity":
        raise InvalidInput(
            f"{row.name} takes at most {row.capacity} parents, not {capacity}.", field="venue_id"
        )
    if refusal is not None:
        raise InvalidInput(
            f"{row.name} cannot be booked on {weekday} in the {slot}.", field="venue_id"
        )
    others = uow.session.exec(
        select(Group).where(
            Group.venue_id == venue_id,
            Group.weekday == weekday,
            Group.slot == slot,
            col(Group.status).in_(_HOLDING),
            Group.start <= last,
            Group.id != (group_id or 0),
        )
    ).all()
    for other in others:
        other_last = meeting_dates(other.start, other.weekday, other.meetings or 1, holidays())[-1]
        if other_last >= first:
            raise Conflict(
                f"{row.name} already hosts group {other.id} on that weekday and time slot "
                f"from {other.start.isoformat()}.",
                field="venue_id",
            )
    return row
