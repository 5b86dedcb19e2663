"""What a parent who applies today can expect: the wait range at home and in every district
within a travel time, so the apply form can show what opting in to other districts gains.

    outlook(uow, programme, home, max_minutes) -> list[DistrictOutlook], home first

A newcomer joins the end of each queue (every waiting parent has an earlier or equal queue
date). In another district they also come after that district's own waiting residents and the
incoming parents already queued there, which is the same under both home-priority policies for
someone who joins today. The estimate uses waitlist.domain.queue.estimate_wait with the open
groups' free seats (any language or time slot: the form does not know the parent's yet) and
the queue's placements over the last year.

Working it out reads every queue within reach and their histories (about 100 ms of CPU on the
demo city), so the result is kept per process for each programme, home and travel time, with
a fingerprint of what it was worked out from: the applications, groups, offers and travel
times, read with three aggregate statements (about a millisecond). Any change to those (by
any process: the fingerprint is read from the database) makes the next visit work it out
afresh; so does a new day. The districts' names are read afresh at each visit.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import func
from sqlmodel import col, select

from waitlist.domain.application import ApplicationStatus
from waitlist.domain.errors import InvalidInput
from waitlist.domain.group import OFFERABLE_STATUSES
from waitlist.domain.queue import SeatBatch, WaitEstimate, estimate_wait
from waitlist.services import lookups
from waitlist.services.queues import _incoming, _placements, _waiting
from waitlist.services.wait_history import queue_history
from waitlist.storage.tables import Application, District, Group, Offer, Travel
from waitlist.storage.uow import UnitOfWork


@dataclass(frozen=True)
class DistrictOutlook:
    district: str
    name: str
    travel_minutes: int
    queue_length: int
    estimate: WaitEstimate
    home: bool


def _free_seats(uow: UnitOfWork, district: str, programme: str) -> list[SeatBatch]:
    groups = uow.session.exec(
        select(Group).where(
            Group.district == district,
            Group.programme == programme,
            col(Group.status).in_([str(s) for s in OFFERABLE_STATUSES]),
            Group.start >= uow.today(),
            Group.taken < Group.capacity,
        )
    ).all()
    return [SeatBatch(start=g.start, free=g.capacity - g.taken) for g in groups]


def _one(
    uow: UnitOfWork, district: str, programme: str, minutes: int, home: bool
) -> DistrictOutlook:
    ahead = len(_waiting(uow, district, programme))
    if not home:
        ahead += len(_incoming(uow, district, programme))
    return DistrictOutlook(
        district=district,
        name=lookups.district(uow, district).name,
        travel_minutes=minutes,
        queue_length=ahead,
        estimate=estimate_wait(
            position=ahead + 1,
            today=uow.today(),
            seats=_free_seats(uow, district, programme),
            placements_in_window=_placements(uow, district, programme),
            history=queue_history(uow, district, programme),
        ),
        home=home,
    )


def outlook(uow: UnitOfWork, programme: str, home: str, max_minutes: int) -> list[DistrictOutlook]:
    """Home district first, then districts within `max_minutes` by travel time."""
    if max_minutes < 0:
        raise InvalidInput(
            f"max_travel_minutes must be 0 or more, got {max_minutes}.",
            field="max_travel_minutes",
        )
    with uow:
        lookups.programme(uow, programme)
        lookups.district(uow, home)
        key = (str(uow.engine.url), programme, home, max_minutes, uow.today(), *_fingerprint(uow))
        kept = _KEPT.get(key)
        if kept is None:
            if len(_KEPT) >= _KEPT_MAX:
                _KEPT.clear()
            kept = _KEPT[key] = tuple(_work_out(uow, programme, home, max_minutes))
        names = dict(uow.session.exec(select(District.slug, District.name)).all())
        return [replace(row, name=names.get(row.district, row.name)) for row in kept]


_KEPT: dict[tuple[Any, ...], tuple[DistrictOutlook, ...]] = {}
_KEPT_MAX = 1024


def _fingerprint(uow: UnitOfWork) -> tuple[Any, ...]:
    """What every outlook is worked out from, in a few numbers: any application, group, offer
    or travel time added, moved or changed changes one of them (sums of ids catch a parent
    leaving the queue as another joins at the same moment)."""
    waiting = (col(Application.status) == ApplicationStatus.WAITING) & (
        col(Application.paused) == False  # noqa: E712
    )
    incoming = waiting & (col(Application.cross_district) == True)  # noqa: E712
    applications = uow.session.exec(
        select(  # type: ignore[call-overload]
            func.count(),
            func.max(Application.updated_at),
            func.sum(Application.id).filter(waiting),
            func.sum(Application.id).filter(incoming),
            func.sum(Application.max_travel_minutes).filter(incoming),
        )
    ).one()
    groups = uow.session.exec(
        select(  # type: ignore[call-overload]
            func.count(),
            func.max(Group.updated_at),
            func.sum(Group.taken),
            func.sum(Group.capacity),
            func.sum(Group.id).filter(col(Group.status).in_([str(s) for s in OFFERABLE_STATUSES])),
        )
    ).one()
    offers = uow.session.exec(
        select(  # type: ignore[call-overload]
            func.count(),
            func.max(Offer.id),
            func.max(Offer.answered_at),
            func.sum(Offer.id).filter(col(Offer.answered_at).is_not(None)),
        )
    ).one()
    travel = uow.session.exec(
        select(func.count(), func.sum(Travel.minutes))  # type: ignore[call-overload]
    ).one()
    return (*applications, *groups, *offers, *travel)


def _work_out(
    uow: UnitOfWork, programme: str, home: str, max_minutes: int
) -> list[DistrictOutlook]:
    result = [_one(uow, home, programme, 0, True)]
    reachable = uow.session.exec(
        select(Travel)
        .where(Travel.origin == home, Travel.minutes <= max_minutes)
        .order_by(col(Travel.minutes), col(Travel.destination))
    ).all()
    for travel in reachable:
        if travel.destination != home:
            result.append(_one(uow, travel.destination, programme, travel.minutes, False))
    return result
