"""Group leaders: coordinators keep their district's leaders (programmes certified for,
languages, groups at once, weeks away); the recommender reads them (scenario_export).

    list_leaders(uow, actor)                  -> LeadersPublic  (the actor's district)
    get_leader(uow, actor, leader_id)         -> LeaderPublic
    create_leader(uow, actor, data)           -> LeaderPublic   (a coordinator of that district)
    update_leader(uow, actor, leader_id, data) -> LeaderPublic  (also deactivate: active=false)
    add_leader(uow, data)                     -> LeaderPublic   (setup and demo, no actor)
"""

from __future__ import annotations

from typing import Any

from sqlmodel import col, select

from waitlist.domain.errors import InvalidInput, NotFound
from waitlist.domain.leader import parse_weeks, validate_leader
from waitlist.services import access, lookups
from waitlist.services.access import Actor
from waitlist.services.inputs import apply_changes, parse
from waitlist.services.retry import retrying
from waitlist.storage.tables import Leader, LeaderCreate, LeaderPublic, LeadersPublic, LeaderUpdate
from waitlist.storage.uow import UnitOfWork


def to_public(row: Leader) -> LeaderPublic:
    return LeaderPublic.model_validate(row, from_attributes=True)


def _state(row: Leader) -> dict[str, Any]:
    # No name in the audit trail's state: the label is enough to tell leaders apart.
    return to_public(row).model_dump(mode="json", exclude={"label"})


def _checked(uow: UnitOfWork, row: Leader) -> None:
    """The rules of a leader, on the row as it will be stored."""
    validate_leader(row.max_groups, tuple(row.programmes), tuple(row.languages))
    for slug in row.programmes:
        lookups.programme(uow, slug, field="programmes")
    for lang in row.languages:
        if not (2 <= len(lang) <= 8 and lang.isascii() and lang.isalpha()):
            raise InvalidInput(f"{lang!r} is not a language code such as sv.", field="languages")
    row.programmes = sorted(set(row.programmes))
    row.languages = sorted({lang.lower() for lang in row.languages})
    row.unavailable_weeks = parse_weeks(row.unavailable_weeks)


def _insert(uow: UnitOfWork, cmd: LeaderCreate) -> Leader:
    lookups.district(uow, cmd.district)
    row = Leader.model_validate(cmd.model_dump())
    _checked(uow, row)
    uow.session.add(row)
    uow.session.flush()
    uow.record("leader", row.id, "leader_created", after=_state(row), district=row.district)
    return row


@retrying
def add_leader(uow: UnitOfWork, data: LeaderCreate | dict[str, Any]) -> LeaderPublic:
    """A leader stored without an actor (setting up a city, the demo)."""
    cmd = parse(LeaderCreate, data)
    with uow:
        row = _insert(uow, cmd)
        uow.commit()
        return to_public(row)


def list_leaders(uow: UnitOfWork, actor: Actor) -> LeadersPublic:
    """The leaders of the coordinator's district, active first, by name."""
    with uow:
        access.require_coordinator_of(actor, actor.district or "")
        rows = uow.session.exec(
            select(Leader)
            .where(Leader.district == actor.district)
            .order_by(col(Leader.active).desc(), col(Leader.label), col(Leader.id))
        ).all()
        data = [to_public(r) for r in rows]
        return LeadersPublic(data=data, count=len(data))


def _mine(uow: UnitOfWork, actor: Actor, leader_id: int, lock: bool = False) -> Leader:
    row = lookups.leader(uow, leader_id) if lock else lookups.by_id(uow, Leader, leader_id)
    if row is None:
        raise NotFound(f"There is no leader {leader_id}.", field="leader")
    access.require_coordinator_of(actor, row.district, field="leader")
    return row


def get_leader(uow: UnitOfWork, actor: Actor, leader_id: int) -> LeaderPublic:
    with uow:
        return to_public(_mine(uow, actor, leader_id))


@retrying
def create_leader(
    uow: UnitOfWork, actor: Actor, data: LeaderCreate | dict[str, Any]
) -> LeaderPublic:
    cmd = parse(LeaderCreate, data)
    with uow:
        access.require_coordinator_of(actor, cmd.district)
        row = _insert(uow, cmd)
        uow.commit()
        return to_public(row)


@retrying
def update_leader(
    uow: UnitOfWork, actor: Actor, leader_id: int, data: LeaderUpdate | dict[str, Any]
) -> LeaderPublic:
    """Change what is given; `active: false` takes the leader out of recommendations (the
    groups they lead keep them)."""
    cmd = parse(LeaderUpdate, data)
    with uow:
        row = _mine(uow, actor, leader_id, lock=True)
        before = _state(row)
        apply_changes(row, cmd.model_dump(exclude_unset=True))
        _checked(uow, row)
        uow.changed("leader", row, before, _state(row))
        uow.commit()
        return to_public(row)
