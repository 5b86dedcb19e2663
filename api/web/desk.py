"""What a coordinator's pages show, read through the services for their own district."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from fastapi import Request
from sqlmodel import col, select

from api.web import sources
from waitlist import reasons
from waitlist.domain.queue import WaitEstimate
from waitlist.domain.reasons import ReasonFacts
from waitlist.services import queues, rounds, views
from waitlist.services.access import Actor
from waitlist.services.groups import to_public as group_public
from waitlist.services.outlook import outlook
from waitlist.storage.tables import (
    Application,
    Group,
    GroupPublic,
    OfferPublic,
    PlacementRound,
    PlacementRoundPublic,
)

EXPIRING_DAYS = 3


@dataclass(frozen=True)
class QueueRow:
    programme: str
    name: str
    waiting: int
    paused: int
    opted_in: int
    oldest_weeks: float | None
    newcomer: WaitEstimate | None


def queue_rows(request: Request, actor: Actor) -> list[QueueRow]:
    make = sources.uow_factory(request, actor.actor)
    rows = []
    for prog in sources.programmes(request):
        entries = queues.queue_of(make(readonly=True), actor.district or "", prog.slug)
        home = outlook(make(readonly=True), prog.slug, actor.district or "", 0)[0]
        rows.append(
            QueueRow(
                programme=prog.slug,
                name=prog.name,
                waiting=len(entries),
                paused=sum(1 for e in entries if e.paused),
                opted_in=sum(1 for e in entries if e.cross_district),
                oldest_weeks=max((e.weeks_waiting for e in entries), default=None),
                newcomer=home.estimate,
            )
        )
    return rows


def open_groups(request: Request, actor: Actor) -> list[GroupPublic]:
    make = sources.uow_factory(request, actor.actor)
    found: list[GroupPublic] = []
    for status in ("planned", "recruiting", "running"):
        rows, _ = views.list_groups(make(readonly=True), district=actor.district, status=status)
        found += rows
    return sorted(found, key=lambda g: (g.start, g.id))


def pending_offers(request: Request, actor: Actor) -> tuple[list[OfferPublic], list[OfferPublic]]:
    """All pending offers of the district, and those whose deadline is within a few days."""
    make = sources.uow_factory(request, actor.actor)
    pending, _ = views.list_offers(make(readonly=True), actor, status="pending", limit=500)
    with make(readonly=True) as uow:
        soon = uow.today() + timedelta(days=EXPIRING_DAYS)
    return pending, [o for o in pending if o.respond_by <= soon]


@dataclass(frozen=True)
class ProposedOffer:
    application_id: int
    home: str
    queue_date: object
    group: GroupPublic | None
    travel_minutes: int
    cross_district: bool
    respond_by: date
    reason: str


def reason_in(entry: rounds.Reasoned, lang: str) -> str:
    """An offer's or unplaced application's reason in `lang`, from its facts when it has them."""
    if entry.facts:
        return reasons.render(ReasonFacts.from_dict(entry.facts), lang)
    return (entry.reason_sv if lang == "sv" else "") or entry.reason


def round_of(request: Request, actor: Actor, round_id: int) -> PlacementRoundPublic | None:
    """A placement round of the coordinator's own district (None for any other)."""
    with sources.uow_factory(request, actor.actor)(readonly=True) as uow:
        row = uow.session.get(PlacementRound, round_id)
        if row is None or row.district != actor.district:
            return None
        return rounds.to_public(row)


def proposed_offers(
    request: Request, actor: Actor, preview: PlacementRoundPublic, lang: str
) -> list[ProposedOffer]:
    offers = rounds.proposed(preview)
    with sources.uow_factory(request, actor.actor)(readonly=True) as uow:
        apps = {
            a.id: (a.district, a.queue_date)
            for a in uow.session.exec(
                select(Application).where(col(Application.id).in_([o.application for o in offers]))
            )
        }
        found = uow.session.exec(
            select(Group).where(col(Group.id).in_([o.group for o in offers]))
        ).all()
        groups_by_id = {g.id: group_public(uow, g) for g in found}
    rows = []
    for offer in offers:
        home, queued = apps.get(offer.application, ("", None))
        rows.append(
            ProposedOffer(
                application_id=offer.application,
                home=home,
                queue_date=queued,
                group=groups_by_id.get(offer.group),
                travel_minutes=offer.travel_minutes,
                cross_district=offer.cross_district,
                respond_by=offer.respond_by,
                reason=reason_in(offer, lang),
            )
        )
    return sorted(rows, key=lambda r: (str(r.queue_date), r.application_id))


def unplaced(preview: PlacementRoundPublic, lang: str) -> list[tuple[int, str]]:
    return [(u.application, reason_in(u, lang)) for u in rounds.unplaced(preview)]
