"""Replay of the live database's history: its applications and groups, every policy.

The arrivals are the database's applications (queue date, programme, district, child's
birth month, languages, slots, opt-in, lottery), in any status now; the supply is every group
it holds (its start, slot, language, size); the leaders are its active leaders. Districts,
travel and programmes come from its reference tables. What the past cannot tell (how a
parent would have answered a different offer, how long they would have waited) still comes
from the calibration's behaviour parameters and the seed. Erased applications (no birth
month left) are not replayed; the count is reported.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

from sqlmodel import col, select

from waitlist.simulation.arrivals import Arrival, PlannedGroup
from waitlist.simulation.calibration import Calibration, CityDistrict, LeaderPool
from waitlist.storage.tables import Application, District, Group, Leader, Programme, Travel
from waitlist.storage.uow import UnitOfWork


@dataclass(frozen=True)
class Replay:
    calibration: Calibration
    arrivals: list[Arrival]
    plan: list[PlannedGroup]
    weeks: int
    skipped: int


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def load_history(uow: UnitOfWork, cal: Calibration, *, until: date | None = None) -> Replay:
    """Everything the database holds up to `until` (default: the unit of work's today)."""
    with uow:
        s = uow.session
        end = until or uow.today()
        districts = tuple(
            CityDistrict(d.slug, d.name, d.population or 0, d.children_0_17 or 0)
            for d in s.exec(select(District).order_by(District.slug))
        )
        travel: dict[str, dict[str, int]] = {}
        for t in s.exec(select(Travel).order_by(Travel.origin, Travel.destination)):
            travel.setdefault(t.origin, {})[t.destination] = t.minutes
        programmes = tuple(
            {**p.model_dump(), "languages": list(p.languages)}
            for p in s.exec(select(Programme).order_by(Programme.slug))
        )
        rows = list(
            s.exec(
                select(Application)
                .where(col(Application.queue_date) <= end)
                .order_by(col(Application.id))
            )
        )
        groups = list(s.exec(select(Group).order_by(col(Group.id))))
        leaders = tuple(
            LeaderPool(ld.district, 1, ld.max_groups, tuple(ld.languages), tuple(ld.programmes))
            for ld in s.exec(select(Leader).where(col(Leader.active)).order_by(col(Leader.id)))
        )
    if not rows:
        raise ValueError("the database holds no applications to replay")
    start = _monday(min(a.queue_date for a in rows))
    weeks = max(1, (end - start).days // 7 + 1)
    arrivals: list[Arrival] = []
    skipped = 0
    for a in rows:
        if not a.child_birth:
            skipped += 1
            continue
        arrivals.append(
            Arrival(
                id=f"a-{a.id}",
                week=-(-(a.queue_date - start).days // 7),  # the first round on or after it
                queue_date=a.queue_date,
                programme=a.programme,
                district=a.district,
                child_birth=a.child_birth,
                languages=tuple(a.languages),
                slots=tuple(a.slots),
                cross_district=a.cross_district,
                max_travel_minutes=a.max_travel_minutes,
                lottery=a.lottery,
            )
        )
    arrivals.sort(key=lambda x: (x.week, x.queue_date, x.lottery, x.id))
    length = {p["slug"]: int(p.get("weeks") or 8) for p in programmes}
    plan = [
        PlannedGroup(
            id=f"g-{g.id}",
            programme=g.programme,
            district=g.district,
            start=g.start,
            weeks=length.get(g.programme, 8),
            weekday=g.weekday,
            slot=g.slot,
            language=g.language,
            capacity=g.capacity,
            min_size=g.min_size,
        )  # fmt: skip
        for g in groups
        if g.start >= start
    ]
    replayed = replace(
        cal,
        name=f"replay of the database to {end.isoformat()}",
        start=start,
        warmup_weeks=0,
        districts=districts,
        travel=travel,
        programmes=programmes,
        leaders=leaders,
        source={
            "replay": {"from": start.isoformat(), "to": end.isoformat()},
            "behaviour_from": cal.source,
        },
    )
    return Replay(replayed, arrivals, plan, weeks, skipped)
