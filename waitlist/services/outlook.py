"""What a parent who applies today can expect: the wait range at home and in every district
within a travel time, so the apply form can show what opting in to other districts gains.

    outlook(uow, programme, home, max_minutes, languages=None, slots=())
        -> list[DistrictOutlook], home first

A newcomer joins the end of each queue (every waiting parent has an earlier or equal queue
date). In another district they also come after that district's own waiting residents and the
incoming parents already queued there, which is the same under both home-priority policies for
someone who joins today. The estimate uses waitlist.domain.queue.estimate_wait with the
queue's history, its open groups' free seats and its placements over the last year. With the
languages (and times) the parent ticked, the range is that of parents who, like them, do or
do not speak a language of the queue's groups, and only the free seats of groups run in
their languages at their times count; without them, every parent in their place and every
free seat.

Working it out reads every queue within reach and their histories (about 100 ms of CPU on the
demo city), so the result is kept per process for each programme, home and travel time, with
a fingerprint of what it was worked out from: the applications, groups, offers and travel
times, read with three aggregate statements (about a millisecond). Any change to those (by
any process: the fingerprint is read from the database) makes the next visit work it out
afresh; so does a new day. The districts' names are read afresh at each visit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import func
from sqlmodel import col, select

from waitlist.domain.application import ApplicationStatus
from waitlist.domain.eligibility import meeting_misfit
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


@dataclass(frozen=True)
class _Parent:
    """What the form knows of the parent: languages (None: not ticked yet) and times."""

    languages: tuple[str, ...] | None
    slots: tuple[str, ...]


def _free_seats(uow: UnitOfWork, district: str, programme: str, parent: _Parent) -> list[SeatBatch]:
    groups = uow.session.exec(
        select(Group).where(
            Group.district == district,
            Group.programme == programme,
            col(Group.status).in_([str(s) for s in OFFERABLE_STATUSES]),
            Group.start >= uow.today(),
            Group.taken < Group.capacity,
        )
    ).all()
    return [
        SeatBatch(start=g.start, free=g.capacity - g.taken)
        for g in groups
        if parent.languages is None
        or meeting_misfit(
            languages=parent.languages, slots=parent.slots, language=g.language, slot=g.slot
        )
        is None
    ]


def _one(
    uow: UnitOfWork, district: str, programme: str, minutes: int, home: bool, parent: _Parent
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
            seats=_free_seats(uow, district, programme, parent),
            placements_in_window=_placements(uow, district, programme),
            history=queue_history(uow, district, programme),
            languages=parent.languages,
        ),
        home=home,
    )


def outlook(
    uow: UnitOfWork,
    programme: str,
    home: str,
    max_minutes: int,
    languages: Sequence[str] | None = None,
    slots: Sequence[str] = (),
) -> list[DistrictOutlook]:
    """Home district first, then districts within `max_minutes` by travel time, for a parent
    who takes part in `languages` at `slots` (None, or none ticked: not known yet; no slots:
    any time)."""
    if max_minutes < 0:
        raise InvalidInput(
            f"max_travel_minutes must be 0 or more, got {max_minutes}.",
            field="max_travel_minutes",
        )
    with uow:
        lookups.programme(uow, programme)
        lookups.district(uow, home)
        parent = _Parent(
            tuple(sorted(set(languages))) if languages else None, tuple(sorted(set(slots)))
        )
        key = (
            str(uow.engine.url),
            programme,
            home,
            max_minutes,
            parent,
            uow.today(),
            *_fingerprint(uow),
        )
        kept = _KEPT.get(key)
        if kept is None:
            if len(_KEPT) >= _KEPT_MAX:
                _KEPT.clear()
            kept = _KEPT[key] = tuple(_work_out(uow, programme, home, max_minutes, parent))
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
    uow: UnitOfWork, programme: str, home: str, max_minutes: int, parent: _Parent
) -> list[DistrictOutlook]:
    result = [_one(uow, home, programme, 0, True, parent)]
    reachable = uow.session.exec(
        select(Travel)
        .where(Travel.origin == home, Travel.minutes <= max_minutes)
        .order_by(col(Travel.minutes), col(Travel.destination))
    ).all()
    for travel in reachable:
        if travel.destination != home:
            result.append(_one(uow, travel.destination, programme, travel.minutes, False, parent))
    return result
