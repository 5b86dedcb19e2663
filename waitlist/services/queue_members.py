"""A coordinator's view of who waits: one application by its number, a queue's members in
order with what decides their offers, and the district's whole queue for a download.

    find_application(uow, actor, number)          -> Found: the application, its place, its offer
    members(uow, actor, programme, MemberQuery)   -> list[QueueMember] (filtered and sorted)
    members_page(..., limit=, offset=)            -> MemberPage: one page of them and how many
    district_queue(uow, actor)                    -> list[QueueMember], every programme

Each checks access inside its own transaction: a coordinator reaches their own district's
queues, and an application number they may not see is "not found", exactly as one that does
not exist (waitlist.services.access). Nothing here carries the contact or the status link.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from sqlmodel import col, select

from waitlist.domain.application import ApplicationStatus as S
from waitlist.domain.eligibility import can_start_from, child_age_on
from waitlist.domain.errors import Forbidden, InvalidInput
from waitlist.domain.offer import OfferStatus
from waitlist.domain.queue import in_queue_order
from waitlist.services import access, lookups
from waitlist.services.access import Actor
from waitlist.services.offers import to_public as offer_public
from waitlist.storage.tables import Application, Offer, OfferPublic, Programme
from waitlist.storage.uow import UnitOfWork


class AgeFit(StrEnum):
    """The child's age today against the programme's range."""

    FITS = "fits"
    TOO_YOUNG = "too_young"  # may queue; offers come from `fits_from`
    TOO_OLD = "too_old"


class Sort(StrEnum):
    POSITION = "position"  # queue order: queue date, then lottery
    NEWEST = "newest"  # the most recent first
    TRAVEL = "travel"  # willing to travel furthest first (for seats in other districts)


@dataclass(frozen=True)
class QueueMember:
    position: int  # paused members keep their place and do not push those behind them back
    application_id: int
    programme: str
    district: str
    queue_date: date
    weeks_waiting: float
    languages: tuple[str, ...]
    slots: tuple[str, ...]  # empty: any time of day
    cross_district: bool
    max_travel_minutes: int
    paused: bool
    age_fit: AgeFit
    fits_from: date | None  # too young today: the first day they can start


@dataclass(frozen=True)
class MemberQuery:
    """Filters (None: any) and the order of a queue's members."""

    language: str | None = None
    slot: str | None = None
    cross_district: bool | None = None
    age_fit: str | None = None
    sort: str = Sort.POSITION.value

    def check(self) -> None:
        if self.sort not in set(Sort):
            raise InvalidInput(
                f"sort must be one of {', '.join(Sort)}, got {self.sort!r}", field="sort"
            )
        if self.age_fit is not None and self.age_fit not in set(AgeFit):
            raise InvalidInput(
                f"age_fit must be one of {', '.join(AgeFit)}, got {self.age_fit!r}",
                field="age_fit",
            )

    def keeps(self, m: QueueMember) -> bool:
        return (
            (self.language is None or self.language in m.languages)
            # a parent who left the time of day open takes any slot
            and (self.slot is None or not m.slots or self.slot in m.slots)
            and (self.cross_district is None or m.cross_district == self.cross_district)
            and (self.age_fit is None or m.age_fit == self.age_fit)
        )


@dataclass(frozen=True)
class MemberPage:
    """One page of a queue's members (each keeps its place in the whole queue) and how many
    members match in all."""

    members: list[QueueMember]
    total: int


@dataclass(frozen=True)
class Found:
    member: QueueMember | None  # None unless waiting
    status: str
    programme: str
    district: str
    queue_date: date
    pending_offer: OfferPublic | None


def _district_of(actor: Actor) -> str:
    access.require_individual_access(actor)
    if not actor.is_coordinator or actor.district is None:
        raise Forbidden("Only district coordinators see their queues.")
    return actor.district


def age_fit(child_birth: str | None, prog: Programme, today: date) -> tuple[AgeFit, date | None]:
    """Where the child's age today stands against the programme (an erased birth: fits)."""
    if not child_birth:
        return AgeFit.FITS, None
    age = child_age_on(child_birth, today)
    if age < prog.child_age_min:
        return AgeFit.TOO_YOUNG, can_start_from(child_birth, prog.child_age_min)
    if age > prog.child_age_max:
        return AgeFit.TOO_OLD, None
    return AgeFit.FITS, None


def _queue(uow: UnitOfWork, district: str, prog: Programme) -> list[QueueMember]:
    """The waiting applications of one queue, in queue order, with their positions."""
    rows = uow.session.exec(
        select(Application).where(
            Application.district == district,
            Application.programme == prog.slug,
            Application.status == S.WAITING,
        )
    ).all()
    today = uow.today()
    found, served = [], 0
    for a in in_queue_order(rows):
        fit, fits_from = age_fit(a.child_birth, prog, today)
        found.append(
            QueueMember(
                position=served + 1,
                application_id=a.id or 0,
                programme=prog.slug,
                district=district,
                queue_date=a.queue_date,
                weeks_waiting=round((today - a.queue_date).days / 7, 1),
                languages=tuple(a.languages),
                slots=tuple(a.slots),
                cross_district=a.cross_district,
                max_travel_minutes=a.max_travel_minutes if a.cross_district else 0,
                paused=a.paused,
                age_fit=fit,
                fits_from=fits_from,
            )
        )
        served += 0 if a.paused else 1
    return found


def _sorted(found: Sequence[QueueMember], sort: str) -> list[QueueMember]:
    if sort == Sort.NEWEST:
        return list(reversed(found))
    if sort == Sort.TRAVEL:  # stable: queue order among equals
        return sorted(found, key=lambda m: (not m.cross_district, -m.max_travel_minutes))
    return list(found)


def members(
    uow: UnitOfWork,
    actor: Actor,
    programme: str,
    query: MemberQuery | None = None,
    *,
    district: str | None = None,
) -> list[QueueMember]:
    """The members of the coordinator's queue for `programme`, filtered and sorted
    (`district`, when named, must be the coordinator's own)."""
    query = query or MemberQuery()
    query.check()
    own = _district_of(actor)
    with uow:
        access.require_coordinator_of(actor, district or own)
        prog = lookups.programme(uow, programme)
        kept = [m for m in _queue(uow, own, prog) if query.keeps(m)]
        return _sorted(kept, query.sort)


def members_page(
    uow: UnitOfWork,
    actor: Actor,
    programme: str,
    query: MemberQuery | None = None,
    *,
    limit: int,
    offset: int = 0,
    district: str | None = None,
) -> MemberPage:
    """`limit` of the members `members` gives, after the first `offset`."""
    if limit < 1:
        raise InvalidInput(f"limit must be 1 or more, got {limit}", field="limit")
    if offset < 0:
        raise InvalidInput(f"offset must be 0 or more, got {offset}", field="offset")
    found = members(uow, actor, programme, query, district=district)
    return MemberPage(found[offset : offset + limit], len(found))


def district_queue(uow: UnitOfWork, actor: Actor) -> list[QueueMember]:
    """Every waiting application of the coordinator's district, programme by programme."""
    district = _district_of(actor)
    with uow:
        progs = uow.session.exec(select(Programme).order_by(col(Programme.slug))).all()
        return [m for prog in progs for m in _queue(uow, district, prog)]


def find_application(uow: UnitOfWork, actor: Actor, number: int) -> Found:
    """One application by its number, if the coordinator may see it (NotFound otherwise)."""
    _district_of(actor)
    with uow:
        app = access.check_application(uow, actor, number)
        member = None
        if app.status == S.WAITING:
            prog = lookups.programme(uow, app.programme)
            member = next(m for m in _queue(uow, app.district, prog) if m.application_id == app.id)
        offer = uow.session.exec(
            select(Offer).where(Offer.application_id == number, Offer.status == OfferStatus.PENDING)
        ).first()
        return Found(
            member=member,
            status=app.status,
            programme=app.programme,
            district=app.district,
            queue_date=app.queue_date,
            pending_offer=offer_public(offer) if offer is not None else None,
        )
