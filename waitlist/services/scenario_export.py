"""A solver Scenario (solver.types) built from the live database, as of a date.

Used by `waitlist export-scenario` and by placement rounds. Included: every district and
programme, travel minutes, groups still taking offers (planned or recruiting) that start on or
after `as_of`, waiting applications that are not paused (erased ones are never waiting),
active leaders. Ids are prefixed strings: "g-<id>", "a-<id>", "l-<id>". Policy values come
from the unit of work's rules. Candidate groups are left to the recommender.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from sqlmodel import col, select

from solver.types import Application as SApplication
from solver.types import District as SDistrict
from solver.types import Group as SGroup
from solver.types import Leader as SLeader
from solver.types import Policy, Room, Scenario, group_from
from solver.types import Programme as SProgramme
from waitlist.domain.application import ApplicationStatus as S
from waitlist.domain.group import OFFERABLE_STATUSES, GroupStatus
from waitlist.domain.values import ProgrammeKind
from waitlist.services import lookups
from waitlist.storage.tables import (
    Application,
    District,
    Group,
    Leader,
    Programme,
    Travel,
    Venue,
)
from waitlist.storage.uow import UnitOfWork


def group_ref(group_id: int) -> str:
    return f"g-{group_id}"


def application_ref(application_id: int) -> str:
    return f"a-{application_id}"


def leader_ref(leader_id: int) -> str:
    return f"l-{leader_id}"


def parse_ref(ref: str) -> int:
    """'g-17' -> 17 (any of the prefixes above)."""
    return int(ref.split("-", 1)[1])


def solver_application(a: Application) -> SApplication:
    """A stored application as the solvers see it."""
    return SApplication(
        id=application_ref(a.id or 0),
        programme=a.programme,
        district=a.district,
        queue_date=a.queue_date,
        lottery=a.lottery,
        child_birth=a.child_birth or "",
        languages=tuple(a.languages),
        slots=tuple(a.slots),
        cross_district=a.cross_district,
        max_travel_minutes=a.max_travel_minutes,
    )


def _scenario(uow: UnitOfWork, as_of: date, district: str | None = None) -> Scenario:
    s = uow.session
    policy = Policy.of(uow.rules)
    districts = tuple(
        SDistrict(d.slug, d.name) for d in s.exec(select(District).order_by(col(District.slug)))
    )
    travel: dict[str, dict[str, int]] = {}
    for t in s.exec(select(Travel).order_by(col(Travel.origin), col(Travel.destination))):
        travel.setdefault(t.origin, {})[t.destination] = t.minutes
    programmes = tuple(
        SProgramme(
            slug=p.slug,
            name=p.name,
            kind=ProgrammeKind(p.kind),
            child_age_min=p.child_age_min,
            child_age_max=p.child_age_max,
            capacity=p.capacity,
            min_size=p.min_size,
            languages=tuple(p.languages),
            sessions=p.sessions,
            weeks=p.weeks,
        )
        for p in s.exec(select(Programme).order_by(col(Programme.slug)))
    )
    gq = select(Group).where(col(Group.status).in_(list(OFFERABLE_STATUSES)), Group.start >= as_of)
    groups = tuple(
        group_from(g, id=group_ref(g.id or 0), taken=g.taken, status=g.status)
        for g in s.exec(gq.order_by(col(Group.id)))
    )
    aq = select(Application).where(
        Application.status == S.WAITING,
        Application.paused == False,  # noqa: E712
        Application.queue_date <= as_of,
        col(Application.child_birth).is_not(None),
    )
    if district is not None:
        aq = aq.where(Application.district == district)
    applications = tuple(solver_application(a) for a in s.exec(aq.order_by(col(Application.id))))
    leaders = tuple(
        SLeader(
            id=leader_ref(x.id or 0),
            district=x.district,
            programmes=tuple(x.programmes),
            max_groups=x.max_groups,
            languages=tuple(x.languages),
            unavailable_weeks=tuple(x.unavailable_weeks),
        )
        for x in s.exec(select(Leader).where(Leader.active == True).order_by(col(Leader.id)))  # noqa: E712
    )
    return Scenario(
        as_of=as_of,
        policy=policy,
        districts=districts,
        travel_minutes=travel,
        programmes=programmes,
        groups=groups,
        applications=applications,
        leaders=leaders,
    )


def venue_ref(venue_id: int) -> str:
    return f"v-{venue_id}"


def rooms_in_use(uow: UnitOfWork) -> tuple[tuple[Room, ...], tuple[SGroup, ...]]:
    """Venues in use as the recommender's rooms ("v-<id>"), and the groups holding one of them
    (planned, recruiting or running: solver.recommend.rooms), inside the caller's `with uow:`."""
    rows = uow.session.exec(select(Venue).where(col(Venue.active)).order_by(col(Venue.id))).all()
    rooms = tuple(
        Room(
            id=venue_ref(v.id or 0),
            district=v.district,
            name=v.name,
            capacity=v.capacity,
            weekdays=tuple(v.weekdays),
            slots=tuple(v.slots),
        )
        for v in rows
    )
    listed = {v.id for v in rows}
    holding = select(Group).where(
        col(Group.status).in_([GroupStatus.PLANNED, GroupStatus.RECRUITING, GroupStatus.RUNNING]),
        col(Group.venue_id).in_(listed),
    )
    held = tuple(
        replace(
            group_from(g, id=group_ref(g.id or 0), taken=g.taken, status=g.status),
            room=venue_ref(g.venue_id or 0),
        )
        for g in uow.session.exec(holding.order_by(col(Group.id)))
    )
    return rooms, held


def database_scenario(
    uow: UnitOfWork, as_of: date | None = None, district: str | None = None
) -> Scenario:
    """Snapshot of the live database as a Scenario (applications of one district if given;
    groups of every district stay in, since parents may be placed across districts)."""
    with uow:
        if district is not None:
            lookups.district(uow, district)
        return _scenario(uow, as_of or uow.today(), district)
