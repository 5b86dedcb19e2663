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
from waitlist.services.scenario_export import parse_ref
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


def reason_in(entry: dict, lang: str) -> str:
    """An offer's or unplaced application's reason in `lang`, from its facts when it has them."""
    if entry.get("facts"):
        return reasons.render(ReasonFacts.from_dict(entry["facts"]), lang)
    return str(entry.get(f"reason_{lang}") or entry.get("reason", ""))


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
    app_ids = [parse_ref(o["application"]) for o in preview.offers]
    group_ids = [parse_ref(o["group"]) for o in preview.offers]
    with sources.uow_factory(request, actor.actor)(readonly=True) as uow:
        apps = {
            a.id: (a.district, a.queue_date)
            for a in uow.session.exec(select(Application).where(col(Application.id).in_(app_ids)))
        }
        found = uow.session.exec(select(Group).where(col(Group.id).in_(group_ids))).all()
        groups_by_id = {g.id: group_public(uow, g) for g in found}
    rows = []
    for offer, app_id, group_id in zip(preview.offers, app_ids, group_ids, strict=True):
        home, queued = apps.get(app_id, ("", None))
        rows.append(
            ProposedOffer(
                application_id=app_id,
                home=home,
                queue_date=queued,
                group=groups_by_id.get(group_id),
                travel_minutes=int(offer.get("travel_minutes", 0)),
                cross_district=bool(offer.get("cross_district")),
                respond_by=date.fromisoformat(str(offer["respond_by"])),
                reason=reason_in(offer, lang),
            )
        )
    return sorted(rows, key=lambda r: (str(r.queue_date), r.application_id))


def unplaced(preview: PlacementRoundPublic, lang: str) -> list[tuple[int, str]]:
    rows = (preview.result or {}).get("unplaced", [])
    return [(parse_ref(r["application"]), reason_in(r, lang)) for r in rows]
