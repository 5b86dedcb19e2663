"""What the pages read: catalogue and live data, through the storage's unit of work.

Only plain reads for display live here (lists for select boxes, travel minutes); every
decision (eligibility, queue order, estimates, offers) is made by waitlist/services.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from types import SimpleNamespace

from sqlalchemy.engine import Engine
from sqlmodel import SQLModel, col, select
from starlette.requests import Request

from api.security import parent_identity
from waitlist import bootstrap
from waitlist.config import get_settings
from waitlist.domain.errors import NotFound
from waitlist.domain.group import OFFERABLE_STATUSES
from waitlist.domain.queue import cross_district_from
from waitlist.services import views
from waitlist.services.access import Actor
from waitlist.services.views import ParentStatus
from waitlist.services.where_when import WhereAndWhen, where_and_when
from waitlist.storage.db import lone_statement
from waitlist.storage.tables import District, Group, GroupPublic, Programme, Travel
from waitlist.storage.uow import UnitOfWork


def engine_of(request: Request) -> Engine:
    """The app's engine (set up by the app on start), else one for the configured database."""
    engine = getattr(request.app.state, "engine", None)
    return engine if engine is not None else bootstrap.engine_for(get_settings().database_url)


def uow_factory(request: Request, actor: str = "anonymous") -> Callable[..., UnitOfWork]:
    settings = getattr(request.app.state, "settings", None) or get_settings()
    return bootstrap.uow_factory(engine_of(request), settings, actor=actor)


def plain(row: SQLModel) -> SimpleNamespace:
    """A detached copy of a row's values (the unit of work expires rows when it closes)."""
    return SimpleNamespace(**row.model_dump())


def programmes(request: Request) -> list[SimpleNamespace]:
    with uow_factory(request)(readonly=True) as uow:
        return [plain(p) for p in uow.session.exec(select(Programme)).all()]


def programme(request: Request, slug: str) -> SimpleNamespace | None:
    with uow_factory(request)(readonly=True) as uow:
        row = uow.session.get(Programme, slug)
        return plain(row) if row is not None else None


def districts(request: Request) -> list[SimpleNamespace]:
    with uow_factory(request)(readonly=True) as uow:
        rows = uow.session.exec(select(District).order_by(District.name)).all()
        return [plain(d) for d in rows]


def travel_from(request: Request, origin: str) -> dict[str, int]:
    with uow_factory(request)(readonly=True) as uow:
        rows = uow.session.exec(select(Travel).where(Travel.origin == origin)).all()
        return {row.destination: row.minutes for row in rows if row.destination != origin}


def slots_by_programme(request: Request) -> dict[str, list[str]]:
    """The time slots each programme's open groups run in (for the chooser)."""
    order = ["morning", "day", "evening", "weekend"]
    with uow_factory(request)(readonly=True) as uow:
        rows = uow.session.exec(
            select(Group.programme, Group.slot)
            .where(col(Group.status).in_([str(s) for s in OFFERABLE_STATUSES]))
            .distinct()
        ).all()
    found: dict[str, set[str]] = {}
    for programme_slug, slot in rows:
        found.setdefault(programme_slug, set()).add(slot)
    return {
        p: sorted(s, key=lambda x: order.index(x) if x in order else 9) for p, s in found.items()
    }


def district_names(request: Request) -> dict[str, str]:
    return {d.slug: d.name for d in districts(request)}


@dataclass(frozen=True)
class StatusView:
    actor: Actor
    status: ParentStatus
    programme: SimpleNamespace
    names: dict[str, str]
    enrolled_in: GroupPublic | None = None
    cross_district_from: date | None = None  # opted in: first day of offers elsewhere
    cross_district_week: int | None = None  # ... in this week of the wait
    where: WhereAndWhen | None = None  # the offered or enrolled group's venue, times, contact


def parent_actor(request: Request, token: str) -> Actor:
    """The parent a status link belongs to (through the one identity interface)."""
    # One read, begun as a reader: on SQLite a plain session would take the one write lock.
    with lone_statement(engine_of(request), write=False) as conn:
        application_id = parent_identity.resolve(conn, token)
    if application_id is None:
        raise NotFound("No application matches this link.", field="token")
    return Actor(kind="parent", application_id=application_id)


def status_view(request: Request, token: str) -> StatusView:
    """Everything the parent's status page shows; NotFound when the link is not valid."""
    actor = parent_actor(request, token)
    make = uow_factory(request, actor.actor)
    # Everything the parent opted into: the districts within their travel time too.
    status = views.parent_status(make(readonly=True), actor, elsewhere=True)
    app = status.application
    group_id = app.group_id
    enrolled = app.status == "enrolled" and group_id is not None
    after = make().rules.cross_district_after_weeks
    with make(readonly=True) as uow:  # the programme and the districts' names: one read
        programme_row = plain(uow.session.get_one(Programme, app.programme))
        names = dict(uow.session.exec(select(District.slug, District.name)).all())
    shown = status.pending_group.id if status.pending_group else group_id if enrolled else None
    return StatusView(
        actor=actor,
        status=status,
        enrolled_in=(
            views.get_group(make(readonly=True), group_id)
            if enrolled and group_id is not None
            else None
        ),
        programme=programme_row,
        names=names,
        cross_district_from=cross_district_from(app.queue_date, after)
        if app.cross_district
        else None,
        cross_district_week=after + 1 if app.cross_district else None,
        where=where_and_when(make(readonly=True), shown) if shown is not None else None,
    )


def language_options(lang: str) -> list[tuple[str, str]]:
    from api.web.catalogue import language_options as options

    return options(lang)
