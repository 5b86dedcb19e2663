"""What a district's queues need of its next group: for each programme, the waiting parents
with no free seat in sight, the time of day most of them can come at, and a language enough of
them can only take.

These are the rules the simulation's `queue-starts` policy announces planned groups by
(`waitlist.domain.supply`: `no_seat_in_sight`, `slot_for_queue`, `language_for_queue`), so a
coordinator creating a group sees what the policy would choose. A free seat is in sight for a
parent when the group is open for recruiting, starts today or later, has a seat left, fits the
parent (age, language and time of day; for the language suggestion, as in the simulation, age
and language at any time) and is in their own district, or within their travel limit in
another district they opted in to. Paused parents want no offer
now and are left out. Only counts leave this module: no parent is named.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import col, select

from waitlist.domain.crossing import within_reach
from waitlist.domain.eligibility import why_not
from waitlist.domain.group import OFFERABLE_STATUSES
from waitlist.domain.supply import (
    can_come,
    language_for_queue,
    no_seat_in_sight,
    only_takes,
    slot_for_queue,
)
from waitlist.domain.values import Slot
from waitlist.services import access, lookups
from waitlist.services.access import Actor
from waitlist.storage.tables import Application, Group, Leader, Programme, Travel
from waitlist.storage.uow import UnitOfWork

DEFAULT_LANGUAGE = "sv"
ANY_TIME = tuple(s.value for s in Slot)


@dataclass(frozen=True)
class QueueNeed:
    programme: str
    waiting: int  # waiting parents, not paused
    unseated: int  # of them, those with no free seat in sight they can take
    can_come: dict[str, int]  # slot -> unseated parents who take `language` and can come then
    slot: str | None  # the time of day the most of them can come at (None: nobody)
    only: dict[str, int]  # language -> unseated parents who can take only that one
    language: str  # the language to run the group in (`language_for_queue`)
    min_size: int


def queue_needs(
    uow: UnitOfWork, actor: Actor, district: str, programme: str | None = None
) -> list[QueueNeed]:
    """Per group programme with waiting parents in `district` (or only `programme`, listed
    even with nobody waiting), what its next group should be."""
    access.require_coordinator_of(actor, district)
    with uow:
        lookups.district(uow, district)
        if programme is not None:
            lookups.programme(uow, programme)
        today = uow.today()
        session = uow.session
        programmes = {p.slug: p for p in session.exec(select(Programme)).all()}
        waiting = session.exec(
            select(Application)
            .where(
                Application.district == district,
                Application.status == "waiting",
                col(Application.paused).is_(False),
            )
            .order_by(col(Application.queue_date), col(Application.lottery), col(Application.id))
        ).all()
        groups = {
            g.id: g
            for g in session.exec(
                select(Group).where(
                    col(Group.status).in_(list(OFFERABLE_STATUSES)),
                    Group.start >= today,
                    col(Group.taken) < col(Group.capacity),
                )
            ).all()
            if g.id is not None
        }
        minutes = {
            t.destination: t.minutes
            for t in session.exec(select(Travel).where(Travel.origin == district)).all()
        }
        leaders = session.exec(
            select(Leader).where(Leader.district == district, col(Leader.active).is_(True))
        ).all()
        needs = []
        # Individual support (one family at a time) starts no group.
        slugs = (
            {a.programme for a in waiting if programmes[a.programme].kind != "individual"}
            if programme is None
            else {programme}
        )
        for slug in sorted(slugs):
            queue = [a for a in waiting if a.programme == slug]
            prog = programmes[slug]
            own = [g for g in groups.values() if g.programme == slug]
            needs.append(_need(prog, queue, own, minutes, district, leaders))
        return needs


def _need(
    prog: Programme,
    queue: Sequence[Application],
    groups: Sequence[Group],
    minutes: dict[str, int],
    district: str,
    leaders: Sequence[Leader],
) -> QueueNeed:
    by_id = {g.id: g for g in groups if g.id is not None}
    seats = {gid: g.capacity - g.taken for gid, g in by_id.items()}

    def reach(app: Application, g: Group) -> bool:
        travel = minutes.get(g.district)
        return within_reach(
            district, g.district, app.cross_district, app.max_travel_minutes, travel
        )

    def any_time(app: Application, gid: int) -> bool:
        g = by_id[gid]
        return why_not(app, g, prog) in (None, "slot") and reach(app, g)

    def at_its_time(app: Application, gid: int) -> bool:
        g = by_id[gid]
        return why_not(app, g, prog) is None and reach(app, g)

    # The language from those with no seat in their language (at any time), as the
    # simulation announces a group's language; the count and the time of day from those with
    # no seat they can take at all.
    unseated = no_seat_in_sight(queue, seats, any_time)
    none_fits = no_seat_in_sight(queue, seats, at_its_time)
    runs_in = set(prog.languages or [DEFAULT_LANGUAGE])
    led_in = {lang for one in leaders if prog.slug in one.programmes for lang in one.languages}
    allowed = runs_in & led_in if runs_in & led_in else runs_in
    planned = DEFAULT_LANGUAGE if DEFAULT_LANGUAGE in allowed else min(allowed)
    language = language_for_queue([a.languages for a in unseated], allowed, planned, prog.min_size)
    at_time = [tuple(a.slots) or ANY_TIME for a in none_fits if language in a.languages]
    slot = slot_for_queue(at_time, "") or None
    return QueueNeed(
        programme=prog.slug,
        waiting=len(queue),
        unseated=len(none_fits),
        can_come=can_come(at_time),
        slot=slot,
        only=only_takes([a.languages for a in unseated], allowed),
        language=language,
        min_size=prog.min_size,
    )
