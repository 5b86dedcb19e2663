"""What a coordinator's pages show, read through the services for their own district."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from fastapi import Request

from api.web import sources
from waitlist.domain.queue import WaitEstimate
from waitlist.services import queues, views
from waitlist.services.access import Actor
from waitlist.services.outlook import outlook
from waitlist.storage.tables import GroupPublic, OfferPublic

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
