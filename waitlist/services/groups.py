"""Groups and leaders: create, open for recruiting, start, cancel, complete; assign leaders.

Cancelling returns every parent (pending offer or enrolled) to the queue with their original
queue date (rule 7) and queues a 'group_cancelled' notice for each. Starting needs at least
`min_size` enrolled parents.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import func
from sqlmodel import col, select

from waitlist.domain.application import ApplicationStatus as S
from waitlist.domain.errors import InvalidInput
from waitlist.domain.group import (
    GroupStatus,
    allowed_actions,
    check_group_transition,
    check_start,
    free_seats,
    start_refusal,
    validate_group_size,
)
from waitlist.domain.leader import check_leader_free, free_for
from waitlist.domain.offer import OfferStatus
from waitlist.domain.schedule import check_meetings, group_times, meeting_dates
from waitlist.holidays import holidays
from waitlist.services import access, leaders, lookups, venues
from waitlist.services.access import Actor
from waitlist.services.inputs import check_text, parse
from waitlist.services.lifecycle import close_offer, record_status, set_status
from waitlist.services.retry import retrying
from waitlist.services.snapshots import group_state
from waitlist.storage.tables import (
    Application,
    Group,
    GroupCreate,
    GroupLeaderLink,
    GroupPublic,
    Leader,
    LeaderCreate,
    LeaderPublic,
    Offer,
)
from waitlist.storage.uow import UnitOfWork


def to_public(uow: UnitOfWork, group: Group) -> GroupPublic:
    leaders = uow.session.exec(
        select(GroupLeaderLink.leader_id).where(GroupLeaderLink.group_id == group.id)
    ).all()
    enrolled = enrolled_count(uow, group.id or 0)
    rule = {"enrolled": enrolled, "min_size": group.min_size}
    refused = start_refusal(group.status, **rule)
    data = group.model_dump()
    data.update(
        free=free_seats(group.capacity, group.taken),
        leaders=sorted(leaders),
        enrolled=enrolled,
        actions=list(allowed_actions(group.status, **rule)),
        start_refused=refused.value if refused else None,
    )
    return GroupPublic.model_validate(data)


def enrolled_count(uow: UnitOfWork, group_id: int) -> int:
    return uow.session.exec(
        select(func.count())
        .select_from(Application)
        .where(
            Application.group_id == group_id,
            col(Application.status).in_([S.ENROLLED, S.COMPLETED]),
        )
    ).one()


def _create(uow: UnitOfWork, cmd: GroupCreate) -> Group:
    lookups.district(uow, cmd.district)
    prog = lookups.programme(uow, cmd.programme)
    validate_group_size(cmd.capacity, cmd.min_size, prog.capacity)
    weekday = check_start(cmd.start, cmd.weekday, uow.today())
    if cmd.language not in prog.languages:
        raise InvalidInput(
            f"{prog.name} is not run in {cmd.language!r} (runs in {', '.join(prog.languages)}).",
            field="language",
        )
    if cmd.status not in (GroupStatus.PLANNED, GroupStatus.RECRUITING):
        raise InvalidInput("A new group is planned or recruiting.", field="status")
    time_start, time_end = group_times(str(cmd.slot), cmd.time_start, cmd.time_end)
    meetings = check_meetings(cmd.meetings or prog.sessions or prog.weeks or 1)
    if cmd.venue_id is not None:
        dates = meeting_dates(cmd.start, weekday, meetings, holidays())
        venues.check_venue(
            uow,
            cmd.venue_id,
            cmd.district,
            weekday=weekday,
            slot=str(cmd.slot),
            first=dates[0],
            last=dates[-1],
            capacity=cmd.capacity,
        )
    first_name = (cmd.leader_first_name or "").strip() or None
    group = Group.model_validate(
        cmd.model_dump()
        | {
            "weekday": weekday,
            "slot": str(cmd.slot),
            "time_start": time_start,
            "time_end": time_end,
            "meetings": meetings,
            "leader_first_name": first_name,
        }
    )
    group.created_at = group.updated_at = uow.now()
    uow.session.add(group)
    uow.session.flush()
    uow.record_row("group", group, "group_created", after=group_state(group))
    return group


@retrying
def create_group(
    uow: UnitOfWork, cmd: GroupCreate | dict[str, Any], *, actor: Actor | None = None
) -> GroupPublic:
    """A new planned or recruiting group. `actor` (a request's caller) must coordinate its
    district; without one the caller is trusted (the command line, jobs, the demo)."""
    command = parse(GroupCreate, cmd)
    if actor is not None:
        access.require_coordinator_of(actor, command.district)
    with uow:
        group = _create(uow, command)
        uow.commit()
        return to_public(uow, group)


def _move(
    uow: UnitOfWork,
    group: Group,
    target: GroupStatus,
    action: str,
    before: dict[str, Any] | None = None,
) -> None:
    before = before or group_state(group)
    check_group_transition(
        group.status, target, enrolled=enrolled_count(uow, group.id or 0), min_size=group.min_size
    )
    record_status(uow, "group", group, target, action, before, group_state)


def _may_change(uow: UnitOfWork, actor: Actor | None, group_id: int) -> None:
    """Inside the change's own transaction: `actor`, when given, coordinates the group's
    district (None: a trusted caller, such as the command line or a job)."""
    if actor is not None:
        access.check_group_change(uow, actor, group_id)


@retrying
def _transition(
    uow: UnitOfWork, group_id: int, target: GroupStatus, action: str, actor: Actor | None
) -> GroupPublic:
    with uow:
        _may_change(uow, actor, group_id)
        group = lookups.group(uow, group_id)
        _move(uow, group, target, action)
        uow.commit()
        return to_public(uow, group)


def open_group(uow: UnitOfWork, group_id: int, *, actor: Actor | None = None) -> GroupPublic:
    """planned -> recruiting."""
    return _transition(uow, group_id, GroupStatus.RECRUITING, "group_opened", actor)


def start_group(uow: UnitOfWork, group_id: int, *, actor: Actor | None = None) -> GroupPublic:
    """recruiting -> running; refused unless waitlist.domain.group.start_refusal allows it."""
    return _transition(uow, group_id, GroupStatus.RUNNING, "group_started", actor)


def _pending(uow: UnitOfWork, group_id: int) -> list[Offer]:
    return list(
        uow.session.exec(
            select(Offer)
            .where(Offer.group_id == group_id, Offer.status == OfferStatus.PENDING)
            .order_by(col(Offer.id))
            .with_for_update()  # type: ignore[arg-type]
        ).all()
    )


def _members(uow: UnitOfWork, group_id: int, status: str) -> list[Application]:
    return list(
        uow.session.exec(
            select(Application)
            .where(Application.group_id == group_id, Application.status == status)
            .order_by(col(Application.id))
            .with_for_update()  # type: ignore[arg-type]
        ).all()
    )


def _lock_people_first(uow: UnitOfWork, group_id: int) -> None:
    """Lock the group's parents (pending offers, enrolled) before the group itself, keeping
    the lock order every use case follows: application, offer, group."""
    offered = select(Offer.application_id).where(
        Offer.group_id == group_id, Offer.status == OfferStatus.PENDING
    )
    members = select(Application.id).where(
        Application.group_id == group_id, Application.status == S.ENROLLED
    )
    ids = set(uow.session.exec(offered).all()) | set(uow.session.exec(members).all())
    if ids:
        uow.session.exec(
            select(Application.id)
            .where(col(Application.id).in_(sorted(i for i in ids if i is not None)))
            .order_by(col(Application.id))
            .with_for_update()
        ).all()


def _cancel(uow: UnitOfWork, group: Group, reason: str = "") -> None:
    gid = group.id or 0
    check_group_transition(group.status, GroupStatus.CANCELLED, enrolled=0, min_size=0)
    # The event shows the group as it was (seats taken vs minimum size), not emptied.
    before = group_state(group)
    notify: list[int] = []
    for offer in _pending(uow, gid):
        close_offer(uow, offer, OfferStatus.REVOKED, "revoked")
        notify.append(offer.application_id)
    for app in _members(uow, gid, S.ENROLLED):
        app.group_id = None  # back to the queue; queue date and lottery untouched
        set_status(uow, app, S.WAITING, "returned_to_queue")
        notify.append(app.id or 0)
    uow.session.refresh(group)
    group.taken = 0
    _move(uow, group, GroupStatus.CANCELLED, "group_cancelled", before)
    for app_id in notify:
        uow.notify(
            "group_cancelled",
            f"application:{app_id}",
            {
                "group_id": gid,
                "programme": group.programme,
                "district": group.district,
                "start": group.start.isoformat(),
                "reason": reason,
            },
        )


@retrying
def cancel_group(
    uow: UnitOfWork, group_id: int, reason: str = "", *, actor: Actor | None = None
) -> GroupPublic:
    """Cancel a planned or recruiting group; its parents go back to the queue, dates kept."""
    check_text(reason, "reason")
    return _close(uow, group_id, actor, lambda group: _cancel(uow, group, reason))


def _complete(uow: UnitOfWork, group: Group) -> None:
    gid = group.id or 0
    check_group_transition(group.status, GroupStatus.COMPLETED, enrolled=0, min_size=0)
    for offer in _pending(uow, gid):
        close_offer(uow, offer, OfferStatus.REVOKED, "revoked")
    for app in _members(uow, gid, S.ENROLLED):
        set_status(uow, app, S.COMPLETED, "completed")
    uow.session.refresh(group)
    _move(uow, group, GroupStatus.COMPLETED, "group_completed")


@retrying
def complete_group(uow: UnitOfWork, group_id: int, *, actor: Actor | None = None) -> GroupPublic:
    """running -> completed; enrolled parents complete too."""
    return _close(uow, group_id, actor, lambda group: _complete(uow, group))


def _close(
    uow: UnitOfWork, group_id: int, actor: Actor | None, close: Callable[[Group], None]
) -> GroupPublic:
    """Cancel or complete: the group's parents are locked before the group itself."""
    with uow:
        _may_change(uow, actor, group_id)
        _lock_people_first(uow, group_id)
        group = lookups.group(uow, group_id)
        close(group)
        uow.commit()
        return to_public(uow, group)


def create_leader(uow: UnitOfWork, cmd: LeaderCreate | dict[str, Any]) -> LeaderPublic:
    """A leader stored without an actor (waitlist.services.leaders.add_leader)."""
    return leaders.add_leader(uow, cmd)


def _assign(uow: UnitOfWork, group: Group, leader: Leader) -> None:
    if group.programme not in leader.programmes:
        raise InvalidInput("The leader is not certified for this programme.", field="leader")
    if group.language not in leader.languages:
        raise InvalidInput("The leader does not lead groups in this language.", field="leader")
    meetings = meeting_dates(group.start, group.weekday, group.meetings or 1, holidays())
    if not free_for(leader.unavailable_weeks, meetings):
        raise InvalidInput("The leader is away in a week the group meets.", field="leader")
    busy = uow.session.exec(
        select(func.count())
        .select_from(GroupLeaderLink)
        .join(
            Group,
            Group.id == GroupLeaderLink.group_id,  # type: ignore[arg-type]
        )
        .where(
            GroupLeaderLink.leader_id == leader.id,
            col(Group.status).in_(
                [GroupStatus.PLANNED, GroupStatus.RECRUITING, GroupStatus.RUNNING]
            ),
        )
    ).one()
    check_leader_free(busy, leader.max_groups)
    uow.session.add(GroupLeaderLink(group_id=group.id or 0, leader_id=leader.id or 0))
    uow.record_row("group", group, "leader_assigned", after={"leader_id": leader.id})


@retrying
def assign_leader(uow: UnitOfWork, group_id: int, leader_id: int) -> GroupPublic:
    with uow:
        group = lookups.group(uow, group_id)
        _assign(uow, group, lookups.leader(uow, leader_id))
        uow.commit()
        return to_public(uow, group)
